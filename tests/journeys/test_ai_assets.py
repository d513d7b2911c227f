"""Journeys: the AI assets catalog, the Add asset wizard against a local fake OpenAI-compatible
provider (Test connection failure and success; a gateway call reaches the provider with the
provider's credential), Edit, Delete with its blast radius, and "Use this asset".

The console is shared by the session's journeys: these tests add their own assets (names starting
with "Journey") and change no seeded asset.
"""

from __future__ import annotations

import itertools
import re
import socket
import time
from pathlib import Path

import openai
import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import select

from maas_ui import db
from maas_ui.domain import assets as dom
from maas_ui.domain.identity import Actor
from maas_ui.domain.roles import PLATFORM_ADMIN
from maas_ui.domain.keys import SecretBox
from maas_ui.models import AiAsset, User
from maas_ui.services import assets as asset_svc
from tests.fake_provider import FakeProvider
from tests.gateway_support import make_key, make_user
from tests.journeys.conftest import assert_accessible, screenshot

CATALOG = "/ai-assets"
PROVIDER_SECRET = "sk-fake-provider-credential-0042"
_n = itertools.count(1)


@pytest.fixture(scope="module")
def env(console):
    if console is None:
        pytest.skip("needs the console started by the tests (its database)")
    url = console.env["MAAS_DB_URL"]
    box = SecretBox(Path(console.env["MAAS_SECRET_KEY_FILE"]).read_bytes().strip())
    return console.base_url, url, box


@pytest.fixture()
def fake():
    with FakeProvider(PROVIDER_SECRET) as provider:
        yield provider


def _unique(prefix: str) -> str:
    return f"{prefix} {int(time.time() * 1000) % 10**8}-{next(_n)}"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dark(page: Page) -> None:
    page.evaluate("() => window.maasApplyTheme('dark')")
    expect(page.locator("html.pf-v6-theme-dark")).to_have_count(1)
    page.wait_for_timeout(600)  # PatternFly's colour transitions finish before axe measures contrast


def _light(page: Page) -> None:
    page.evaluate("() => window.maasApplyTheme('light')")


def _add_via_service(url: str, box: SecretBox, base_url: str, name: str, ident: str) -> str:
    asset_svc.create_assets(dom.AssetFormInput(kind="model", provider="openai_compatible", name=name,
                                               identifiers=ident, base_url=base_url, credential=PROVIDER_SECRET,
                                               price_in="1", price_out="3"),
                            actor=Actor("journey@example.com", role=PLATFORM_ADMIN), box=box, url=url)
    with db.session(url) as s:
        a = s.exec(select(AiAsset).where(AiAsset.identifier == ident)).one()
    return f"{CATALOG}/models/{a.id}"


def _wizard(page: Page) -> Locator:
    d = page.get_by_role("dialog", name="Add asset")
    expect(d).to_be_visible()
    return d


def _next(d: Locator) -> None:
    d.get_by_role("button", name="Next", exact=True).click()


# Catalog ------------------------------------------------------------------------------------
def test_catalog_tabs_search_sort_and_accessibility(page: Page):
    page.goto(CATALOG)
    expect(page.get_by_role("heading", name="AI assets", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="AI assets")).to_have_attribute("aria-current", "page")
    models = page.get_by_role("grid", name="Models")
    expect(models.get_by_role("link", name="gpt-oss-20b", exact=True)).to_be_visible()
    for header in ("Name", "ID", "Endpoint", "Provider", "Status", "Requests (24 h)", "Cost (24 h)"):
        expect(models.get_by_role("columnheader", name=header, exact=True)).to_be_visible()
    page.get_by_role("searchbox", name="Search models").fill("granite")
    expect(models.get_by_role("link", name="gpt-oss-20b", exact=True)).to_have_count(0)
    expect(models.get_by_role("link", name="granite-3.1b", exact=True)).to_be_visible()
    page.get_by_role("searchbox", name="Search models").fill("no such model at all")
    expect(page.get_by_role("heading", name="No models match the search")).to_be_visible()
    page.get_by_role("button", name="Clear search").click()
    name_header = models.get_by_role("columnheader", name="Name", exact=True)
    first_link = models.get_by_role("row").nth(1).get_by_role("link").first
    expect(name_header).to_have_attribute("aria-sort", "ascending")
    ascending_first = first_link.inner_text()
    models.get_by_role("button", name="Name").click()
    expect(name_header).to_have_attribute("aria-sort", "descending")
    expect(first_link).not_to_have_text(ascending_first)
    assert_accessible(page)
    screenshot(page, "ai-assets-models")

    for tab, slug, column in (("MCP servers", "mcp-servers", "Tools"), ("Vector databases", "vector-databases", "Size"),
                              ("Agents", "agents", "Endpoint")):
        page.get_by_role("tab", name=tab).click()
        expect(page).to_have_url(re.compile(f"{CATALOG}/{slug}$"))
        grid = page.get_by_role("grid", name=tab)
        expect(grid.get_by_role("columnheader", name=column, exact=True)).to_be_visible()
        expect(grid.get_by_role("row")).not_to_have_count(1)
    page.reload()  # the tab lives in the URL
    expect(page.get_by_role("tab", name="Agents", selected=True)).to_be_visible()
    _dark(page)
    assert_accessible(page)
    screenshot(page, "ai-assets-agents-dark")
    _light(page)

    page.get_by_role("tab", name="MCP servers").click()
    page.get_by_role("grid", name="MCP servers").get_by_role("link").first.click()
    expect(page.get_by_role("tab", name="Details", selected=True)).to_be_visible()
    page.get_by_role("tab", name="API keys").click()
    expect(page).to_have_url(re.compile(r"/api-keys$"))
    expect(page.get_by_role("heading", name="Tools")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{CATALOG}/models/99999999")
    expect(page.get_by_role("heading", name="Asset not found")).to_be_visible()
    expect(page.get_by_role("link", name="Back to AI assets")).to_be_visible()


# Add asset ----------------------------------------------------------------------------------
def test_wizard_end_to_end_against_a_fake_provider(page: Page, env, fake: FakeProvider):
    base, url, box = env
    name = _unique("Journey fake GPT")
    page.goto(CATALOG)
    page.get_by_role("button", name="Add asset").first.click()
    d = _wizard(page)
    expect(d.get_by_role("radio", name="Model")).to_be_checked()
    assert_accessible(page)
    _next(d)
    d.get_by_role("radio", name="OpenAI-compatible URL").click()
    expect(d.get_by_role("radio", name="OpenAI-compatible URL")).to_be_checked()
    _next(d)

    d.get_by_role("textbox", name="Name").fill(name)
    base_url = d.get_by_role("textbox", name="Base URL")
    base_url.fill("not a url")
    base_url.blur()
    expect(d.get_by_text("A URL cannot contain spaces.")).to_be_visible()
    base_url.fill(f"http://127.0.0.1:{_closed_port()}/v1")
    d.get_by_label("API key of the provider").fill("sk-wrong")
    d.get_by_role("button", name="Test connection").click()
    expect(d.get_by_text(re.compile(r"Unreachable: nothing answered"))).to_be_visible()
    base_url.fill(fake.base_url)
    d.get_by_role("button", name="Test connection").click()
    expect(d.get_by_text(re.compile(r"The provider refused the credential: HTTP 401"))).to_be_visible()
    screenshot(page, "ai-assets-wizard-test-connection-401")
    d.get_by_label("API key of the provider").fill(PROVIDER_SECRET)
    d.get_by_role("button", name="Test connection").click()
    expect(d.get_by_text("Connected: the provider lists 2 models.")).to_be_visible()
    d.get_by_role("checkbox", name="fake-gpt-4o", exact=True).click()
    expect(d.get_by_role("checkbox", name="fake-gpt-4o", exact=True)).to_be_checked()
    ids = d.get_by_role("textbox", name="Model IDs to expose")
    expect(ids).to_have_value("fake-gpt-4o")
    with db.session(url) as s:  # Test connection saved nothing
        assert s.exec(select(AiAsset).where(AiAsset.name == name)).first() is None
    assert_accessible(page)
    screenshot(page, "ai-assets-wizard-connection")
    _next(d)

    price_in = d.get_by_role("textbox", name="Input price (USD per 1M tokens)")
    price_in.fill("0")
    price_in.blur()
    expect(d.get_by_text("The input price must be more than 0.")).to_be_visible()
    expect(d.get_by_role("button", name="Next", exact=True)).to_be_disabled()
    price_in.fill("0.5")
    d.get_by_role("textbox", name="Output price (USD per 1M tokens)").fill("1.5")
    d.get_by_role("textbox", name="Context length (tokens)").fill("128000")
    _next(d)
    expect(d.get_by_text("OpenAI-compatible URL")).to_be_visible()
    expect(d.get_by_text("Entered (stored encrypted)")).to_be_visible()
    _dark(page)
    assert_accessible(page)
    screenshot(page, "ai-assets-wizard-review-dark")
    _light(page)
    d.get_by_role("button", name="Add asset", exact=True).click()

    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{CATALOG}/models/\d+$"))
    expect(page.get_by_text("Stored encrypted")).to_be_visible()
    expect(page.get_by_text("$0.50")).to_be_visible()
    assert PROVIDER_SECRET not in page.content()
    page.reload()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()

    # The gateway forwards to the provider with the provider's credential, never the MaaS key.
    _, maas_secret = make_key(url, box, make_user(url), models=("fake-gpt-4o",))
    client = openai.OpenAI(base_url=f"{base}/v1", api_key=maas_secret, max_retries=0)
    deadline = time.monotonic() + 10
    while True:  # the gateway's caches pick the new model up within their time to live
        try:
            chat = client.chat.completions.create(model="fake-gpt-4o", messages=[{"role": "user", "content": "Hi"}])
            break
        except openai.NotFoundError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    assert chat.choices[0].message.content == "Hello from the fake provider as fake-gpt-4o"
    posted = [c for c in fake.calls if c["path"].endswith("/chat/completions")]
    assert posted and posted[-1]["authorization"] == f"Bearer {PROVIDER_SECRET}"
    assert all(maas_secret not in c["authorization"] for c in fake.calls)


def test_wizard_refuses_a_duplicate_name(page: Page):
    page.goto(CATALOG)
    page.get_by_role("button", name="Add asset").first.click()
    d = _wizard(page)
    _next(d)
    _next(d)  # Internal endpoint
    d.get_by_role("textbox", name="Name").fill("GPT-OSS-20B")
    d.get_by_role("textbox", name="Name").blur()
    expect(d.get_by_text("An asset named \u201cGPT-OSS-20B\u201d already exists. Choose another name.")).to_be_visible()
    ids = d.get_by_role("textbox", name="Model IDs to expose")
    ids.fill(" , ")
    ids.blur()
    expect(d.get_by_text("Choose or type at least one model ID to expose.")).to_be_visible()
    expect(d.get_by_role("button", name="Next", exact=True)).to_be_disabled()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Add asset")).to_have_count(0)


# Edit ---------------------------------------------------------------------------------------
def test_edit_keeps_the_credential_masked(page: Page, env, fake: FakeProvider):
    _base, url, box = env
    name = _unique("Journey edit")
    href = _add_via_service(url, box, fake.base_url, name, f"journey-edit-{next(_n)}-{int(time.time())}")
    page.goto(href)
    page.get_by_role("button", name="Edit", exact=True).click()
    d = page.get_by_role("dialog", name="Edit asset")
    expect(d).to_be_visible()
    credential = d.get_by_label("API key of the provider")
    expect(credential).to_have_value("")
    expect(credential).to_have_attribute("placeholder", re.compile("stored; type a new one to replace it"))
    d.get_by_role("button", name="Test connection").click()  # with the stored credential, server side
    expect(d.get_by_text("Connected: the provider lists 2 models.")).to_be_visible()
    d.get_by_role("textbox", name="Input price (USD per 1M tokens)").fill("2")
    assert_accessible(page)
    d.get_by_role("button", name="Save").click()
    expect(page.get_by_role("dialog", name="Edit asset")).to_have_count(0)
    expect(page.get_by_text("$2.00")).to_be_visible()
    page.reload()
    expect(page.get_by_text("$2.00")).to_be_visible()
    with db.session(url) as s:
        asset_id = int(href.rsplit("/", 1)[1])
        token = s.get(AiAsset, asset_id).upstream_credential_encrypted
    assert PROVIDER_SECRET not in token and box.decrypt(token) == PROVIDER_SECRET


# Delete -------------------------------------------------------------------------------------
def test_delete_shows_the_blast_radius(page: Page, env):
    _base, url, box = env
    name = _unique("Journey delete")
    ident = f"journey-delete-{next(_n)}-{int(time.time())}"
    href = _add_via_service(url, box, "http://127.0.0.1:9/v1", name, ident)
    owner = make_user(url)
    key_id, _secret = make_key(url, box, owner, models=(ident,), name=_unique("Journey blast key"))
    page.goto(href)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("menuitem", name="Delete asset").click()
    d = page.get_by_role("dialog", name="Delete asset?")
    expect(d).to_be_visible()
    expect(d.get_by_text(re.compile(r"1 API key and 0 policies lose access to it"))).to_be_visible()
    radius = d.get_by_role("grid", name="API keys that grant this asset")
    expect(radius.get_by_role("gridcell", name=re.compile("Journey blast key"))).to_be_visible()
    expect(d.get_by_role("button", name="Delete")).to_be_disabled()
    assert_accessible(page)
    screenshot(page, "ai-assets-delete-blast-radius")
    d.get_by_role("textbox", name=f"Type {name} to confirm").fill(name)
    d.get_by_role("button", name="Delete").click()
    expect(page).to_have_url(re.compile(f"{CATALOG}$"))
    expect(page.get_by_role("grid", name="Models").get_by_role("link", name=name)).to_have_count(0)
    page.goto(href)
    expect(page.get_by_role("heading", name="Asset not found")).to_be_visible()
    page.goto(f"/settings/api-keys/{key_id}/assets")  # the key no longer grants it
    expect(page.get_by_role("heading", name=re.compile("Journey blast key"))).to_be_visible()
    expect(page.get_by_text(name)).to_have_count(0)


# Use this asset -----------------------------------------------------------------------------
def test_use_this_asset_with_an_existing_or_a_new_key(page: Page, env, fake: FakeProvider):
    _base, url, box = env
    name = _unique("Journey use")
    ident = f"journey-use-{next(_n)}-{int(time.time())}"
    href = _add_via_service(url, box, fake.base_url, name, ident)
    from maas_ui.services.access import default_demo_actor

    signed_in = default_demo_actor(url)  # who the browser acts as before anyone switches user
    with db.session(url) as s:
        my_id = s.exec(select(User.id).where(User.username == signed_in.username)).one()
    key_name = _unique("Journey my key")
    make_key(url, box, my_id, models=(ident,), name=key_name)

    page.goto(href)
    page.get_by_role("button", name="Use this asset").first.click()
    d = page.get_by_role("dialog", name="Use this asset")
    expect(d).to_be_visible()
    expect(d.get_by_role("link", name=key_name)).to_be_visible()
    expect(d.get_by_text(re.compile(rf'"model": "{re.escape(ident)}"'))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "ai-assets-use-this-asset")
    d.get_by_role("button", name=f"Copy request with {key_name}").click()
    expect(page.get_by_text("Request copied with the key's secret")).to_be_visible()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("curl ") and "/chat/completions" in copied and f'"model": "{ident}"' in copied
    assert "Bearer sk-" in copied and "$MAAS_API_KEY" not in copied

    d.get_by_role("button", name="Create API key with this asset").click()
    form = page.get_by_role("dialog", name="Create API key")
    expect(form).to_be_visible()
    expect(form.get_by_text(name)).to_be_visible()  # preselected in Model endpoints
    new_key = _unique("Journey key from asset")
    form.get_by_role("textbox", name="Name", exact=True).fill(new_key)
    owner = form.get_by_role("combobox", name="Owner", exact=True)
    owner.click()
    page.get_by_role("listbox").get_by_role("option").first.click()
    form.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name=new_key, level=1)).to_be_visible()
    page.get_by_role("tab", name="Assets").click()
    page.get_by_role("link", name=name, exact=True).click()  # the key's Assets tab links to the asset's page
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
