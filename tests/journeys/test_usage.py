"""Journeys: an API key's Metrics tab and the Usage page (time ranges in the URL, cards, charts,
top consumers that match each key's own figures, CSV export)."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.journeys.conftest import assert_accessible, screenshot

RANGE_LABELS = {"1h": "Last 1 hour", "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days",
                "1y": "Last year"}


# Helpers --------------------------------------------------------------------------------------


def _int(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text) or 0)


def _money(text: str) -> float:
    return float(re.sub(r"[^0-9.]", "", text) or 0)


def card(page: Page, title: str) -> Locator:
    """One of the four metric cards, by its heading."""
    return page.locator(".maas-metric-card").filter(has=page.get_by_role("heading", name=title, exact=True))


def exact_requests(page: Page) -> int:
    """The exact figure behind the "Total requests" headline (its tooltip), e.g. '1,234 requests'.

    0 when the range shows the no-usage empty state (a quiet night hour can have no traffic).
    """
    value = card(page, "Total requests").locator(".maas-metric-value")
    no_usage = page.get_by_role("heading", name="No usage in this time range")
    expect(value.or_(no_usage)).to_be_visible()
    if no_usage.is_visible():
        return 0
    expect(value).to_have_attribute("title", re.compile(r"requests$"))
    return _int(value.get_attribute("title"))


def exact(page: Page, title: str) -> str:
    return card(page, title).locator(".maas-metric-value").get_attribute("title")


def range_toggle(page: Page) -> Locator:
    return page.get_by_role("button", name=re.compile(r"^Time range "))


def wait_loaded(page: Page) -> None:
    expect(page.locator(".maas-loading")).to_have_count(0)
    expect(page.get_by_role("progressbar")).to_have_count(0)


def choose_range(page: Page, label: str) -> None:
    """Pick a range and wait until the page shows it (caption first, then the loaded figures)."""
    range_toggle(page).click()
    page.get_by_role("option", name=label, exact=True).click()
    if label != "Custom range":
        expect(page.locator(".maas-window-caption")).to_contain_text(label + ":")
        wait_loaded(page)


def open_fresh(page: Page, url: str) -> Page:
    """The same URL in a new tab (a shared link): nothing carried over from this tab's state."""
    other = page.context.new_page()
    other.goto(url)
    wait_loaded(other)
    return other


def seeded_key_with_usage(page: Page) -> tuple[str, str]:
    """(public id, name) of the busiest key over 30 days, read from the Usage page."""
    page.goto("/settings/usage?range=30d")
    expect(page.locator(".maas-window-caption")).to_contain_text("Last 30 days:")
    wait_loaded(page)
    first = page.get_by_role("grid", name="Top consumers").get_by_role("row").nth(1)
    link = first.get_by_role("link").first
    href = link.get_attribute("href")
    return href.split("/")[3], link.inner_text()


def create_key_without_usage(console) -> str:
    """A brand-new key straight in the console's database (no usage yet); returns its public id."""
    if console is None:
        pytest.skip("needs the console's database (not available with --base-url)")
    from sqlmodel import select

    from maas_ui import db
    from maas_ui.domain.keys import mint_secret, new_public_id
    from maas_ui.models import ApiKey, OwnerKind, User

    url = console.env["MAAS_DB_URL"]
    with db.session(url) as s:
        owner = s.exec(select(User).order_by(User.id)).first()
        secret = mint_secret()
        key = ApiKey(public_id=new_public_id(), name="brand-new-journey-key", owner_kind=OwnerKind.USER,
                     owner_id=owner.id, created_at=datetime.now(timezone.utc), created_by="journey@example.com",
                     secret_hash=secret.sha256, secret_prefix=secret.prefix, secret_suffix=secret.suffix)
        s.add(key)
        s.commit()
        return key.public_id


# Metrics tab ------------------------------------------------------------------------------------


def test_metrics_tab_cards_chart_and_ranges(page: Page):
    public_id, name = seeded_key_with_usage(page)
    page.goto(f"/settings/api-keys/{public_id}/metrics")
    wait_loaded(page)
    expect(range_toggle(page)).to_contain_text("Last 24 hours")  # the default range
    for title in ("Total requests", "Success rate", "Total tokens", "Total cost"):
        expect(card(page, title)).to_be_visible()
    rate = card(page, "Success rate").locator(".maas-metric-value").inner_text()
    assert re.fullmatch(r"\d{1,3}\.\d%", rate) and 50 <= float(rate[:-1]) <= 100
    expect(card(page, "Total tokens")).to_contain_text("Input")
    expect(card(page, "Total tokens")).to_contain_text("Output")
    assert _money(card(page, "Total cost").locator(".maas-metric-value").inner_text()) >= 0
    expect(card(page, "Total requests")).to_contain_text(re.compile(r"vs previous 24 hours"))
    chart = page.get_by_role("img", name="Successful and failed requests over time")
    expect(chart.locator(".main-svg").first).to_be_attached()
    expect(page.get_by_role("grid", name="Usage by model").get_by_role("row")).not_to_have_count(1)
    perses = page.get_by_role("link", name="View Perses dashboard")
    expect(perses).to_have_attribute("target", "_blank")
    expect(perses).to_have_attribute("href", re.compile(re.escape(public_id)))
    screenshot(page, "metrics-tab-24h")
    assert_accessible(page)

    requests = {}
    for key in ("7d", "30d", "1y", "1h", "24h"):
        choose_range(page, RANGE_LABELS[key])
        expect(page).to_have_url(re.compile(rf"/metrics\?range={key}$"))
        expect(range_toggle(page)).to_contain_text(RANGE_LABELS[key])
        requests[key] = exact_requests(page)
    assert requests["1y"] >= requests["30d"] >= requests["7d"] >= requests["24h"] >= requests["1h"]
    assert requests["30d"] > requests["24h"] > 0  # a busy key: the ranges really differ

    # Reload and a shared link keep the range (it lives in the URL).
    choose_range(page, "Last 7 days")
    before = exact_requests(page)
    page.reload()
    wait_loaded(page)
    expect(range_toggle(page)).to_contain_text("Last 7 days")
    assert exact_requests(page) == before
    shared = open_fresh(page, page.url)
    expect(range_toggle(shared)).to_contain_text("Last 7 days")
    assert exact_requests(shared) == before
    shared.close()
    screenshot(page, "metrics-tab-7d")


def test_metrics_tab_custom_range(page: Page):
    public_id, _ = seeded_key_with_usage(page)
    page.goto(f"/settings/api-keys/{public_id}/metrics?range=30d")
    wait_loaded(page)
    expect(page.locator(".maas-window-caption")).to_contain_text("Last 30 days:")
    month = exact_requests(page)
    choose_range(page, "Custom range")
    expect(page).to_have_url(re.compile(r"range=custom&start=\d{4}-\d\d-\d\d&end=\d{4}-\d\d-\d\d"))
    start, end = page.get_by_role("textbox", name="Start date"), page.get_by_role("textbox", name="End date")
    expect(start).to_be_visible()
    # Ten whole days ending yesterday.
    today = datetime.now(timezone.utc).date()
    first, last = today.fromordinal(today.toordinal() - 10), today.fromordinal(today.toordinal() - 1)
    start.fill(first.isoformat())
    expect(page).to_have_url(re.compile(rf"start={first.isoformat()}"))
    end.fill(last.isoformat())
    expect(page).to_have_url(re.compile(rf"start={first.isoformat()}&end={last.isoformat()}$"))
    after = last.fromordinal(last.toordinal() + 1)  # the window ends at the end of the last day
    expect(page.locator(".maas-window-caption")).to_contain_text(
        f"Custom range: {first:%b} {first.day}, {first.year} 00:00 – {after:%b} {after.day}, {after.year} 00:00 UTC")
    wait_loaded(page)
    ten_days = exact_requests(page)
    assert 0 < ten_days <= month
    screenshot(page, "metrics-tab-custom")
    shared = open_fresh(page, page.url)
    expect(range_toggle(shared)).to_contain_text("Custom range")
    expect(shared.get_by_role("textbox", name="Start date")).to_have_value(first.isoformat())
    expect(shared.get_by_role("textbox", name="End date")).to_have_value(last.isoformat())
    assert exact_requests(shared) == ten_days
    shared.close()

    # An end before the start is refused with a message, and the URL keeps the last valid range.
    url = page.url
    page.get_by_role("textbox", name="End date").fill(first.fromordinal(first.toordinal() - 3).isoformat())
    expect(page.get_by_text("The end date must be on or after the start date.")).to_be_visible()
    assert page.url == url


def test_brand_new_key_shows_empty_state(page: Page, console):
    public_id = create_key_without_usage(console)
    page.goto(f"/settings/api-keys/{public_id}/metrics")
    expect(page.get_by_role("heading", name="No usage in this time range")).to_be_visible()
    expect(page.get_by_role("img", name="Successful and failed requests over time")).to_have_count(0)
    choose_range(page, "Last year")
    expect(page).to_have_url(re.compile(r"range=1y"))
    expect(page.get_by_role("heading", name="No usage in this time range")).to_be_visible()
    screenshot(page, "metrics-tab-empty")
    assert_accessible(page)


# Usage page -----------------------------------------------------------------------------------


def test_usage_page_in_nav_with_charts_and_ranges(page: Page):
    page.goto("/settings/usage")
    nav = page.get_by_role("navigation", name="Global")
    expect(nav.get_by_role("link", name="Usage")).to_have_attribute("aria-current", "page")
    expect(page).to_have_title("Usage | Red Hat OpenShift AI")
    expect(page.get_by_role("heading", level=1)).to_have_text("Usage")
    wait_loaded(page)
    expect(range_toggle(page)).to_contain_text("Last 24 hours")
    for name in ("Successful and failed requests over time", "Tokens per user, top 10", "Tokens per group",
                 "Tokens per key, top 10", "Average and maximum latency per model"):
        expect(page.get_by_role("img", name=name).locator(".main-svg").first).to_be_attached()
    expect(card(page, "Total requests")).to_contain_text(re.compile(r"[+-]\d+\.\d%|No change|New"))
    screenshot(page, "usage-24h")
    assert_accessible(page)
    totals = {"24h": exact_requests(page)}
    for key in ("7d", "30d"):
        choose_range(page, RANGE_LABELS[key])
        expect(page).to_have_url(re.compile(rf"/settings/usage/?\?range={key}$"))
        totals[key] = exact_requests(page)
    assert totals["30d"] >= totals["7d"] >= totals["24h"] > 0
    shared = open_fresh(page, page.url)
    expect(range_toggle(shared)).to_contain_text("Last 30 days")
    assert exact_requests(shared) == totals["30d"]
    shared.close()
    screenshot(page, "usage-30d")


def _table_rows(page: Page) -> list[list[str]]:
    grid = page.get_by_role("grid", name="Top consumers")
    rows = []
    for row in grid.get_by_role("row").all()[1:]:
        rows.append([c.inner_text() for c in row.get_by_role("gridcell").all()])
    return rows


def test_top_consumers_match_each_keys_metrics_tab(page: Page):
    page.goto("/settings/usage?range=7d")
    expect(page.locator(".maas-window-caption")).to_contain_text("Last 7 days:")
    wait_loaded(page)
    grid = page.get_by_role("grid", name="Top consumers")
    rows = grid.get_by_role("row")
    expect(rows).to_have_count(11)  # header + top 10
    tokens = [_int(r[4]) for r in _table_rows(page)]
    assert tokens == sorted(tokens, reverse=True)
    for index in (1, 2):
        row = rows.nth(index)
        cells = row.get_by_role("gridcell")
        requests, token_count, cost = _int(cells.nth(3).inner_text()), _int(cells.nth(4).inner_text()), \
            cells.nth(5).inner_text()
        rate = cells.nth(6).inner_text()
        row.get_by_role("link").first.click()
        expect(page).to_have_url(re.compile(r"/settings/api-keys/[^/]+/metrics\?range=7d$"))
        expect(page.locator(".maas-window-caption")).to_contain_text("Last 7 days:")
        wait_loaded(page)
        expect(range_toggle(page)).to_contain_text("Last 7 days")
        assert exact_requests(page) == requests
        assert _int(exact(page, "Total tokens")) == token_count
        assert card(page, "Total cost").locator(".maas-metric-value").inner_text() == cost
        assert card(page, "Success rate").locator(".maas-metric-value").inner_text() == rate
        page.go_back()
        expect(page.locator(".maas-window-caption")).to_contain_text("Last 7 days:")
        wait_loaded(page)


def test_export_csv_matches_the_table(page: Page):
    page.goto("/settings/usage?range=30d")
    expect(page.locator(".maas-window-caption")).to_contain_text("Last 30 days:")
    wait_loaded(page)
    grid = page.get_by_role("grid", name="Top consumers")
    expect(grid.get_by_role("row")).to_have_count(11)
    page.get_by_role("button", name=re.compile(r"^Show ")).click()
    page.get_by_role("option", name="All").click()
    expect(grid.get_by_role("row")).not_to_have_count(11)
    table = _table_rows(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export CSV").click()
    download = info.value
    assert re.fullmatch(r"usage-top-consumers-30d-\d{8}\.csv", download.suggested_filename)
    parsed = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert len(parsed) == len(table) > 10
    # A deleted key still counts: listed, marked, not linked (its details page no longer exists).
    deleted = [line for line in parsed if line["Deleted"] == "true"]
    assert deleted, "the seed's deleted key has usage in the last 30 days"
    deleted_row = grid.get_by_role("row").filter(has_text=deleted[0]["Key ID"])
    expect(deleted_row).to_contain_text("Deleted")
    expect(deleted_row.get_by_role("link")).to_have_count(0)
    for line, row in zip(parsed, table):
        rank, key_cell, owner_cell, requests, tokens, cost, rate = row
        assert line["Rank"] == rank
        assert key_cell.startswith(line["Key"]) and line["Key ID"] in key_cell
        assert owner_cell.startswith(line["Owner"])
        assert int(line["Requests"]) == _int(requests)
        assert int(line["Tokens"]) == _int(tokens)
        assert f"${float(line['Cost (USD)']):,.2f}" == cost or (cost == "< $0.01" and float(line["Cost (USD)"]) <= 0.01)
        assert f"{float(line['Success rate (%)']):.1f}%" == rate


# Bad input and history ---------------------------------------------------------------------------


def _helper_error(page: Page) -> Locator:
    return page.locator(".pf-v6-c-helper-text__item.pf-m-error").filter(has_text="The figures below are for")


def test_custom_range_out_of_range_or_partial_dates_get_a_message(page: Page):
    today = datetime.now(timezone.utc).date()
    start = today.fromordinal(today.toordinal() - 10).isoformat()
    url = f"/settings/usage?range=custom&start={start}&end=9999-12-31"
    page.goto(url)
    message = (f"The end date cannot be after today ({today.isoformat()}). "
               "The figures below are for last 24 hours.")
    expect(_helper_error(page)).to_contain_text(message)
    # The figures are for the range the message names, and the typed dates stay where they were typed.
    expect(page.locator(".maas-window-caption")).to_contain_text("Last 24 hours:")
    wait_loaded(page)
    expect(range_toggle(page)).to_contain_text("Custom range")
    expect(page.get_by_role("textbox", name="End date")).to_have_value("9999-12-31")
    assert exact_requests(page) >= 0
    page.reload()  # the URL keeps working
    expect(_helper_error(page)).to_contain_text(message)
    expect(page.locator(".maas-window-caption")).to_contain_text("Last 24 hours:")
    screenshot(page, "usage-custom-range-out-of-range")

    # A partial date is judged when the field is left; an emptied one at once.
    end = page.get_by_role("textbox", name="End date")
    end.fill(today.isoformat()[:7])
    end.press("Tab")
    expect(_helper_error(page)).to_contain_text(
        "The end date must look like 2026-01-31. The figures below are for last 24 hours.")
    page.get_by_role("textbox", name="Start date").fill("")
    expect(_helper_error(page)).to_contain_text("Enter a start date. The figures below are for last 24 hours.")

    # A valid range clears the message and shows its figures.
    page.get_by_role("textbox", name="Start date").fill(start)
    end.fill(today.isoformat())
    expect(page).to_have_url(re.compile(rf"range=custom&start={start}&end={today.isoformat()}$"))
    expect(page.locator(".maas-window-caption")).to_contain_text("Custom range:")
    expect(_helper_error(page)).to_have_count(0)

    # Nothing typed here comes back on a later visit.
    page.goto("/settings/usage?range=custom&start=2026-02-30&end=2026-03-01")
    expect(_helper_error(page)).to_contain_text("The start date must look like 2026-01-31.")
    page.goto("/settings/api-keys")
    page.goto("/settings/usage?range=30d")
    expect(page.locator(".maas-window-caption")).to_contain_text("Last 30 days:")
    range_toggle(page).click()
    page.get_by_role("option", name="Custom range", exact=True).click()
    week_ago = today.fromordinal(today.toordinal() - 6).isoformat()
    expect(page.get_by_role("textbox", name="Start date")).to_have_value(week_ago)
    expect(page.get_by_role("textbox", name="End date")).to_have_value(today.isoformat())
    expect(_helper_error(page)).to_have_count(0)


def test_metrics_tab_url_with_an_out_of_range_date_gets_a_message(page: Page):
    public_id, _ = seeded_key_with_usage(page)
    page.goto(f"/settings/api-keys/{public_id}/metrics?range=custom&start=2026-01-01&end=9999-12-31")
    expect(_helper_error(page)).to_contain_text("The end date cannot be after today")
    expect(page.locator(".maas-window-caption")).to_contain_text("Last 24 hours:")
    wait_loaded(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_range_switches_stay_in_history_without_reloading_the_page(page: Page):
    page.goto("/settings/usage?range=24h")
    wait_loaded(page)
    page.evaluate("window.__samePage = true")  # a full page load would lose it
    for label in ("Last 7 days", "Last 30 days"):
        choose_range(page, label)
    expect(page).to_have_url(re.compile(r"range=30d$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"range=7d$"))
    expect(page.locator(".maas-window-caption")).to_contain_text("Last 7 days:")
    expect(range_toggle(page)).to_contain_text("Last 7 days")
    page.go_back()
    expect(page.locator(".maas-window-caption")).to_contain_text("Last 24 hours:")
    page.go_forward()
    expect(page.locator(".maas-window-caption")).to_contain_text("Last 7 days:")
    wait_loaded(page)
    assert page.evaluate("window.__samePage") is True
