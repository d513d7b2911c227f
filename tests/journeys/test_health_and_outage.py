"""Journeys: the running console's /healthz and /readyz, and a database outage seen in the page
(an error alert, no stack trace) that recovers by itself when the database is back."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests import databases
from tests.journeys.conftest import assert_accessible, screenshot

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
def db_proxy(console):
    """The cuttable link between the console and its PostgreSQL database; restored afterwards."""
    if console is None or console.db_proxy is None:
        pytest.skip("needs a database server to take away: run on PostgreSQL (make test-postgres)")
    yield console.db_proxy
    console.db_proxy.restore_if_cut()


def test_database_outage_shows_an_alert_and_the_page_recovers(console, db_proxy, page: Page):
    proxy = db_proxy
    page.goto(KEYS)
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
