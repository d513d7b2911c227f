"""Journeys: a key made in the browser works with the openai client through the gateway; Last used,
Metrics and the Policies tab's live headroom move; disable/enable/delete take effect at once;
the Assets tab's Try it panel."""

from __future__ import annotations

import re
from pathlib import Path

import openai
import pytest
from playwright.sync_api import Page, expect

from maas_ui.domain.keys import SecretBox
from tests.gateway_support import make_key, make_user
from tests.journeys.conftest import assert_accessible, screenshot
from tests.journeys.test_api_keys import _confirm_delete, clipboard_secret, create_key, unique

MESSAGES = [{"role": "user", "content": "Hello from a journey"}]


def test_key_made_in_the_browser_calls_the_gateway_and_is_governed_by_the_console(page: Page):
    name = unique("journey-gateway")
    public_id = create_key(page, name, models=["gpt-oss-20b"])
    expect(page.get_by_role("tabpanel")).to_contain_text("Never")  # Date last used
    page.evaluate("navigator.clipboard.writeText('')")
    page.get_by_role("button", name="Copy API key").first.click()
    secret = clipboard_secret(page)

    # The endpoint the Assets tab shows is the one to paste as the client's base URL.
    page.get_by_role("tab", name="Assets").click()
    models = page.get_by_role("grid", name="Models")
    endpoint = models.get_by_role("row").nth(1).get_by_role("gridcell").nth(2).inner_text().strip()
    assert re.match(r"^https?://[^/]+/gpt-oss-20b/v1$", endpoint), endpoint
    client = openai.OpenAI(base_url=endpoint, api_key=secret, max_retries=0)
    first = client.chat.completions.create(model="openai/gpt-oss-20b", messages=MESSAGES)
    assert first.choices[0].message.content and first.usage.total_tokens > 0
    for _ in range(2):
        client.chat.completions.create(model="openai/gpt-oss-20b", messages=MESSAGES)

    # Last used and the Metrics tab move.
    page.get_by_role("tab", name="Details").click()
    page.wait_for_timeout(600)  # the gateway writes usage in batches (every 250 ms)
    page.reload()
    details = page.get_by_role("tabpanel")
    expect(details).to_contain_text("just now")
    page.get_by_role("tab", name="Metrics").click()
    live = page.get_by_role("region", name="This hour so far").or_(page.locator("[aria-label='This hour so far']"))
    expect(live.first).to_be_visible()
    expect(live.first).to_contain_text("of 3 requests")
    screenshot(page, "gateway-metrics-live")
    page.goto("/settings/usage")  # the Usage page shows the hour in progress too, and latency figures
    usage_live = page.locator("[aria-label='This hour so far']").first
    expect(usage_live).to_contain_text("Median latency (p50)")
    expect(page.locator("[aria-label='Latency percentiles and throughput']").first).to_contain_text("p95 latency")
    screenshot(page, "gateway-usage-page")
    page.go_back()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()

    # Disable: refused at once; enable: works again; delete: unknown key.
    page.get_by_role("button", name="Disable", exact=True).click()
    expect(page.get_by_role("button", name="Enable", exact=True)).to_be_visible()
    with pytest.raises(openai.PermissionDeniedError) as refused:
        client.chat.completions.create(model="openai/gpt-oss-20b", messages=MESSAGES)
    assert refused.value.body["code"] == "key_disabled" and public_id in refused.value.body["message"]
    page.get_by_role("button", name="Enable", exact=True).click()
    expect(page.get_by_role("button", name="Disable", exact=True)).to_be_visible()
    assert client.chat.completions.create(model="openai/gpt-oss-20b", messages=MESSAGES).choices
    page.get_by_role("button", name="Delete", exact=True).click()
    _confirm_delete(page, name)
    expect(page).to_have_url(re.compile(r"/settings/api-keys/?$"))
    with pytest.raises(openai.AuthenticationError) as gone:
        client.models.list()
    assert "deleted" in gone.value.body["message"]
    assert secret not in str(gone.value.body)


def test_try_it_sends_through_the_gateway_and_headroom_shows_the_count(page: Page, console):
    if console is None:
        pytest.skip("needs the console started by the tests (its database)")
    url = console.env["MAAS_DB_URL"]
    box = SecretBox(Path(console.env["MAAS_SECRET_KEY_FILE"]).read_bytes().strip())
    public_id, secret = make_key(url, box, make_user(url), models=("openai/gpt-oss-20b",), rpm=30,
                                 name=unique("journey-try"))
    page.goto(f"/settings/api-keys/{public_id}/assets")
    panel = page.get_by_role("region", name="Try it").or_(page.locator("[aria-label='Try it']")).first
    expect(panel).to_be_visible()
    expect(panel.get_by_label("Model")).to_have_value("openai/gpt-oss-20b")
    prompt = panel.get_by_label("Prompt")
    prompt.fill("")
    panel.get_by_role("button", name="Send").click()
    expect(panel).to_contain_text("Type a prompt to send.")
    prompt.fill("What does the gateway do?")
    panel.get_by_role("button", name="Send").click()
    expect(panel.get_by_label("Answer")).to_be_visible()
    expect(panel).to_contain_text("200 OK")
    expect(panel).to_contain_text(re.compile(r"\d+ in, \d+ out"))
    headers = panel.get_by_role("grid", name="Rate-limit headers")
    expect(headers).to_contain_text("x-ratelimit-limit-requests")
    expect(headers.get_by_role("row").filter(has_text="x-ratelimit-remaining-requests")).to_contain_text("29")
    assert secret not in page.content()
    screenshot(page, "gateway-try-it")
    assert_accessible(page)

    # The same counter on the Policies tab (live headroom) and for scripts (/v1/limits).
    page.get_by_role("tab", name="Policies").click()
    table = page.get_by_role("grid", name="Live headroom")
    row = table.get_by_role("row").filter(has_text="30 requests / 1 min")
    expect(row).to_contain_text("29")
    expect(row).to_contain_text("This key")
    screenshot(page, "gateway-live-headroom")
    limits = openai.OpenAI(base_url=f"{console.base_url}/v1", api_key=secret).get(
        "/limits", cast_to=object)
    requests_row = next(r for r in limits["models"][0]["limits"] if r["kind"] == "requests")
    assert (requests_row["used"], requests_row["remaining"]) == (1, 29)
