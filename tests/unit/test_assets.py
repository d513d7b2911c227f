"""AI assets: the kinds and providers tables, the form rules, the service (add, edit, delete with
blast radius, catalog usage) and Test connection against a local fake provider."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from sqlmodel import select

from tests.fake_provider import FakeProvider
from tests.unit.api_key_fixtures import NOW, World, insert_key, world  # noqa: F401 (fixture)
from maas_ui.domain.identity import Actor
from maas_ui.domain.roles import PLATFORM_ADMIN
from maas_ui.domain import assets as dom
from maas_ui.models import AiAsset, AuditLog, UsageRollup
from maas_ui.services import assets as svc
from maas_ui.services import gateway as gw

SECRET = "sk-provider-secret-123"
ACTOR = Actor("tester@example.com", role=PLATFORM_ADMIN)  # assets are managed by admins


def _form(**kw) -> dom.AssetFormInput:
    base = dict(kind="model", provider="openai_compatible", name="Fake GPT", identifiers="fake-gpt-4o",
                base_url="http://127.0.0.1:9/v1", credential=SECRET, price_in="0.5", price_out="1.5")
    return dom.AssetFormInput(**{**base, **kw})


def test_tables_cover_every_kind_and_provider():
    assert [d.kind for d in dom.ASSET_KIND_DEFS] == ["model", "mcp_server", "vector_db", "agent"]
    assert dom.kind_def("mcp-servers").kind == "mcp_server" and dom.kind_def("nonsense").kind == "model"
    assert [p.label for p in dom.PROVIDERS] == ["Internal endpoint", "OpenAI", "Anthropic", "Azure OpenAI",
                                               "OpenAI-compatible URL"]
    assert svc.auth_headers("azure_openai", "k") == {"api-key": "k"}
    assert svc.auth_headers("openai", "k") == {"Authorization": "Bearer k"}


@pytest.mark.parametrize("field,value,expected", [
    ("base_url", "not a url", "A URL cannot contain spaces."),
    ("base_url", "ftp://x/v1", "Enter a URL that starts with https:// or http://."),
    ("base_url", "", "Enter the provider's base URL."),
    ("price_in", "0", "The input price must be more than 0."),
    ("price_out", "-2", "The output price must be more than 0."),
    ("price_in", "abc", "Enter the input price as a number of US dollars, e.g. 0.50."),
    ("identifiers", " , ", "Choose or type at least one model ID to expose."),
    ("name", "  ", "Enter a name."),
])
def test_form_rules(field, value, expected):
    data, errors = dom.validate_asset_form(_form(**{field: value}))
    assert data is None
    assert errors[{"price_in": dom.PRICE_IN, "price_out": dom.PRICE_OUT}.get(field, field)] == expected


def test_credential_required_for_known_providers_but_kept_when_editing():
    _d, errors = dom.validate_asset_form(_form(provider="openai", credential=""))
    assert errors[dom.CREDENTIAL] == "Enter the API key OpenAI gave you."
    data, errors = dom.validate_asset_form(_form(provider="openai", credential=""), editing=True,
                                           credential_stored=True)
    assert errors == {} and data.credential == ""


def test_split_identifiers_and_names():
    assert dom.split_identifiers("a, b\nc a") == ["a", "b", "c"]
    assert dom.asset_names("OpenAI", ("gpt-4o", "gpt-4o-mini")) == [("OpenAI: gpt-4o", "gpt-4o"),
                                                                   ("OpenAI: gpt-4o-mini", "gpt-4o-mini")]


def test_add_encrypts_the_credential_and_the_gateway_reads_it(world: World):
    ids = svc.create_assets(_form(identifiers="fake-gpt-4o fake-gpt-4o-mini"), actor=ACTOR, box=world.box,
                            url=world.url)
    assert ids == ["fake-gpt-4o", "fake-gpt-4o-mini"]
    with world.session() as s:
        a = s.exec(select(AiAsset).where(AiAsset.identifier == "fake-gpt-4o")).one()
        assert a.name == "Fake GPT: fake-gpt-4o" and a.provider == "openai_compatible"
        assert SECRET not in a.upstream_credential_encrypted and world.box.decrypt(a.upstream_credential_encrypted) == SECRET
        audits = " ".join(r.summary for r in s.exec(select(AuditLog)).all())
        assert SECRET not in audits
        models = {m.identifier: m for m in gw.load_models(s)}
    assert gw.credential_of(models["fake-gpt-4o"], world.box) == SECRET
    assert models["fake-gpt-4o"].upstream_url == "http://127.0.0.1:9/v1"
    page = svc.asset_page("fake-gpt-4o", actor=ACTOR, base_url="http://console", url=world.url)
    assert page.detail.has_credential and page.detail.endpoint == "http://console/fake-gpt-4o/v1"
    assert SECRET not in repr(page)


def test_duplicate_name_and_id_refused(world: World):
    with pytest.raises(svc.AssetFormInvalid) as exc:
        svc.create_assets(_form(name="GPT-OSS-20B", identifiers="new-id"), actor=ACTOR, url=world.url)
    assert "already exists" in exc.value.errors[dom.NAME]
    with pytest.raises(svc.AssetFormInvalid) as exc:
        svc.create_assets(_form(name="Other", identifiers="openai/gpt-oss-20b"), actor=ACTOR, url=world.url)
    assert exc.value.errors[dom.IDENTIFIERS] == "An asset with the ID \u201copenai/gpt-oss-20b\u201d already exists."


def test_edit_keeps_the_credential_unless_retyped(world: World):
    svc.create_assets(_form(), actor=ACTOR, box=world.box, url=world.url)
    values, stored = svc.form_values("fake-gpt-4o", actor=ACTOR, url=world.url)
    assert stored and values.credential == ""
    svc.update_asset("fake-gpt-4o", replace_form(values, price_in="2"), actor=ACTOR, box=world.box, url=world.url)
    assert svc.stored_credential("fake-gpt-4o", actor=ACTOR, box=world.box, url=world.url) == SECRET
    assert svc.asset_page("fake-gpt-4o", actor=ACTOR, url=world.url).detail.price_in == "$2.00"
    svc.update_asset("fake-gpt-4o", replace_form(values, credential="sk-new"), actor=ACTOR, box=world.box,
                     url=world.url)
    assert svc.stored_credential("fake-gpt-4o", actor=ACTOR, box=world.box, url=world.url) == "sk-new"


def replace_form(values: dom.AssetFormInput, **kw) -> dom.AssetFormInput:
    from dataclasses import replace
    return replace(values, **kw)


def test_delete_shows_blast_radius_and_keeps_history(world: World):
    model = world.models[0]
    insert_key(world, "team key", assets=[model])
    with world.session() as s:
        key_id = s.exec(select(AiAsset.identifier).where(AiAsset.id == model)).one()
        s.add(UsageRollup(key_id=1, asset_id=model, hour_start=NOW - timedelta(hours=2), requests=5, cost_usd=1.25,
                          input_tokens=10, output_tokens=20))
        s.commit()
    radius = svc.blast_radius(key_id, actor=ACTOR, now=NOW, url=world.url)
    assert [k.name for k in radius.keys] == ["team key"] and radius.keys[0].owner == "Alice Doe"
    assert radius.requests_24h == 5 and radius.cost_24h == "$1.25"
    rows = svc.catalog("model", actor=ACTOR, now=NOW, url=world.url)
    assert {r.identifier: r.requests_24h for r in rows}[key_id] == 5
    assert svc.delete_asset(key_id, actor=ACTOR, url=world.url) == "gpt-oss-20b"
    assert svc.asset_page(key_id, actor=ACTOR, url=world.url) is None
    assert key_id not in [r.identifier for r in svc.catalog("model", actor=ACTOR, now=NOW, url=world.url)]
    with world.session() as s:
        assert s.get(AiAsset, model).deleted_at is not None  # the row stays: usage keeps its name
        assert s.exec(select(UsageRollup).where(UsageRollup.asset_id == model)).first() is not None
        assert key_id not in [m.identifier for m in gw.load_models(s)]
    svc.create_assets(_form(name="gpt-oss-20b", identifiers=key_id), actor=ACTOR, url=world.url)  # name and ID free again


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_check_connection_against_a_local_fake_provider():
    with FakeProvider(SECRET) as fake:
        ok = svc.check_connection("openai_compatible", fake.base_url, SECRET)
        assert ok.ok and ok.model_ids == ["fake-gpt-4o", "fake-gpt-4o-mini"]
        bad = svc.check_connection("openai_compatible", fake.base_url, "sk-wrong")
        assert not bad.ok and bad.message.startswith("The provider refused the credential: HTTP 401")
        assert fake.calls[0]["authorization"] == f"Bearer {SECRET}"
    gone = svc.check_connection("openai_compatible", f"http://127.0.0.1:{_closed_port()}/v1", SECRET)
    assert not gone.ok and gone.message.startswith("Unreachable")


def test_check_connection_timeout_and_tls():
    with socket.socket() as listener:  # accepts, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        slow = svc.check_connection("openai", f"http://127.0.0.1:{port}/v1", SECRET, timeout_s=0.5)
        assert not slow.ok and slow.message.startswith("Timed out")
    with FakeProvider(SECRET) as fake:  # https to a plain-HTTP server: the TLS handshake fails
        tls = svc.check_connection("openai", fake.base_url.replace("http://", "https://"), SECRET, timeout_s=3)
        assert not tls.ok and tls.message.startswith("TLS failed"), tls.message


def test_the_gateway_sends_azure_credentials_in_the_api_key_header(world: World):
    from maas_gateway.upstreams import HttpUpstream

    svc.create_assets(_form(provider="azure_openai", name="Azure GPT", identifiers="azure-gpt"), actor=ACTOR,
                      box=world.box, url=world.url)
    with world.session() as s:
        model = {m.identifier: m for m in gw.load_models(s)}["azure-gpt"]
    assert model.upstream_auth_header == "api-key"
    assert HttpUpstream._headers(SECRET, model.upstream_auth_header) == {"api-key": SECRET}
    assert HttpUpstream._headers(SECRET) == {"Authorization": f"Bearer {SECRET}"}


def test_traffic_status():
    assert dom.traffic_status(0, 0) == "No traffic"
    assert dom.traffic_status(10, 1) == "Healthy"
    assert dom.traffic_status(10, 2) == "Degraded"


def test_an_ai_engineer_cannot_add_change_or_delete_assets(world: World):
    from maas_ui.domain.roles import AI_ENGINEER, PermissionDenied

    engineer = Actor("engineer@example.com", role=AI_ENGINEER)
    before = svc.catalog("model", actor=ACTOR, url=world.url)
    with pytest.raises(PermissionDenied):
        svc.create_assets(_form(), actor=engineer, box=world.box, url=world.url)
    with pytest.raises(PermissionDenied):
        svc.delete_asset(before[0].identifier, actor=engineer, url=world.url)
    assert [r.identifier for r in svc.catalog("model", actor=ACTOR, url=world.url)] == [r.identifier for r in before]
