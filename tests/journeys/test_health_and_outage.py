"""Journeys: the running console's /healthz and /readyz, and a database outage seen in the page
(an error alert, no stack trace) that recovers by itself when the database is back."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import make_url

from tests import databases
from tests.journeys.conftest import assert_accessible, screenshot
from tests.journeys.harness import ConsoleServer, TcpProxy

KEYS = "/settings/api-keys"


def _get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_console_answers_liveness_and_readiness(console, base_url, page: Page):
    status, body = _get_json(f"{base_url}/healthz")
    assert status == 200 and body["status"] == "alive"
    status, body = _get_json(f"{base_url}/readyz")
    assert status == 200 and body["status"] == "ready", body
    assert body["checks"]["database"]["status"] == "up"
    if console is not None:  # started here: on the database this run was given
        assert body["checks"]["database"]["dialect"] == databases.dialect()
        assert body["checks"]["redis"]["status"] == ("up" if "MAAS_REDIS_URL" in console.env else "not configured")
    # The endpoints sit in front of the pages without hiding them.
    page.goto(KEYS)
    expect(page.get_by_role("grid", name="API keys")).to_be_visible()


@pytest.fixture()
def console_behind_proxy():
    """A console of its own whose PostgreSQL connections go through a proxy the test can cut."""
    server_url = databases.server_url()
    if not server_url:
        pytest.skip("needs a database server to take away: run with MAAS_TEST_DB_URL (make test-postgres)")
    target = make_url(server_url)
    proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
    direct = databases.new_database(databases.Path("/tmp"), "outage")
    via_proxy = make_url(direct).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    console = ConsoleServer(db_url=via_proxy)
    try:
        console.prepare_database()
        console.start()
        yield console, proxy
    finally:
        console.cleanup()
        proxy.cut()
        databases.drop_database(direct)


def test_database_outage_shows_an_alert_and_the_page_recovers(console_behind_proxy, page: Page):
    console, proxy = console_behind_proxy
    page.goto(f"{console.base_url}{KEYS}")
    grid = page.get_by_role("grid", name="API keys")
    expect(grid.get_by_role("row")).not_to_have_count(0)
    expect(page.get_by_role("heading", name="The database is not available")).to_have_count(0)

    proxy.cut()
    status, body = _get_json(f"{console.base_url}/readyz")
    assert status == 503 and body["checks"]["database"]["status"] == "down"
    page.get_by_role("searchbox").first.fill("chatbot")  # any action that reads the database
    alert = page.get_by_role("heading", name="The database is not available")
    expect(alert).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"Reason: .*(refused|failed|closed|terminat)", re.I))).to_be_visible()
    expect(page.get_by_text("Traceback")).to_have_count(0)
    screenshot(page, "database-outage-alert")
    assert_accessible(page)
    page.get_by_role("button", name="Try again").click()
    expect(alert).to_be_visible()  # still down: the alert stays

    proxy.restore()
    expect(alert).to_have_count(0, timeout=30_000)  # rechecked, reloaded: no restart
    expect(page.get_by_role("grid", name="API keys").get_by_role("row")).not_to_have_count(0)
    status, body = _get_json(f"{console.base_url}/readyz")
    assert status == 200 and body["checks"]["database"]["status"] == "up"
