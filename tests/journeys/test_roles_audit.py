"""Journeys: switching to an AI engineer (what is visible, what is refused by URL, nothing changed)
and the Audit log page (a change made here appears with its diff; filters; CSV)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.journeys.conftest import assert_accessible, screenshot, wait_for_app


def _open_switch_user(page: Page):
    page.get_by_role("button", name=re.compile("^User menu")).click()
    page.get_by_role("menuitem", name="Switch user").click()
    dialog = page.get_by_role("dialog", name="Switch user")
    expect(dialog).to_be_visible()
    return dialog


def _switch_to(page: Page, role: str) -> str:
    """Switch user to the first person with `role` in the list; returns their full name."""
    dialog = _open_switch_user(page)
    row = dialog.get_by_role("row").filter(has_text=role).filter(has=page.get_by_role("button")).first
    name = row.locator("td").first.inner_text()
    with page.expect_navigation():  # the switch reloads the page as the chosen person
        row.get_by_role("button", name=f"Switch to {name}").click()
    expect(page.get_by_role("button", name=re.compile("^User menu"))).to_contain_text(role)
    return name


def _switch_to_engineer(page: Page) -> str:
    return _switch_to(page, "AI engineer")


def _first_key(page: Page) -> tuple[str, str]:
    """(name, URL) of the first key listed."""
    link = page.get_by_role("grid", name="API keys").get_by_role("row").nth(1).get_by_role("link").first
    return link.inner_text(), link.get_attribute("href")


def test_engineer_sees_own_keys_and_is_refused_others_by_url(page: Page):
    page.goto("/settings/api-keys?sort=created")
    wait_for_app(page)
    expect(page.get_by_role("button", name=re.compile("^User menu"))).to_contain_text("Platform admin")
    admin_rows = page.get_by_role("grid", name="API keys").get_by_role("row")
    expect(admin_rows.nth(1)).to_be_visible()
    # Remember every key an admin sees on the first page, with their owners.
    admin_keys = {}
    for i in range(1, admin_rows.count()):
        link = admin_rows.nth(i).get_by_role("link").first
        admin_keys[link.get_attribute("href")] = link.inner_text()

    # The Switch user dialog: every person with their role; axe-clean; Escape closes it unchanged.
    dialog = _open_switch_user(page)
    expect(dialog.get_by_role("row").filter(has_text="Platform admin")).not_to_have_count(0)
    expect(dialog.get_by_role("row").filter(has_text="AI engineer")).not_to_have_count(0)
    expect(dialog.get_by_text("Current user")).to_have_count(1)
    screenshot(page, "roles-switch-user")
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^User menu"))).to_contain_text("Platform admin")

    name = _switch_to_engineer(page)
    wait_for_app(page)  # the switch reloads the page's data itself: let that finish first
    page.reload()
    wait_for_app(page)
    menu = page.get_by_role("button", name=re.compile("^User menu"))
    expect(menu).to_contain_text(name)  # the choice survives a reload
    expect(menu).to_contain_text("AI engineer")
    rows = page.get_by_role("grid", name="API keys").get_by_role("row")
    visible = set()
    for i in range(1, rows.count()):
        visible.add(rows.nth(i).get_by_role("link").first.get_attribute("href"))
    hidden = [href for href in admin_keys if href not in visible]
    assert hidden, "an AI engineer should not see every key an admin sees"
    screenshot(page, "roles-engineer-api-keys")

    # Usage: their own keys' only. A key of their team's service account is theirs to manage, but its
    # usage is not shown; their own key's is.
    own_href = rows.filter(has_text=name).first.get_by_role("link").first.get_attribute("href")
    # Other journeys add keys to the engineer's groups: narrow the list to service accounts.
    page.get_by_role("button", name="Filter by owner type").click()
    page.get_by_role("menuitem", name="Service account").click()
    page.keyboard.press("Escape")
    team_key = rows.filter(has_text="Service account").first
    team_href = team_key.get_by_role("link").first.get_attribute("href")
    page.goto(team_href + "/metrics")
    expect(page.get_by_role("heading", name="Usage not shown")).to_be_visible()
    page.goto(own_href + "/metrics")
    expect(page.get_by_text(re.compile(r"^(Total requests|No usage in this time range)$")).first).to_be_visible()
    expect(page.get_by_role("heading", name="Usage not shown")).to_have_count(0)
    page.goto("/settings/api-keys")

    # Another person's key by URL: refused, with a way back, and nothing about the key shown.
    page.goto(hidden[0])
    expect(page.get_by_role("heading", name="You do not have access")).to_be_visible()
    expect(page.get_by_text(admin_keys[hidden[0]], exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Delete")).to_have_count(0)
    screenshot(page, "roles-no-access")
    assert_accessible(page)
    page.get_by_role("link", name="Go to API keys").click()
    expect(page).to_have_url(re.compile(r"/settings/api-keys$"))
    # Its tabs are refused too (no figures of another person's key reach the page).
    page.goto(hidden[0] + "/metrics")
    expect(page.get_by_role("heading", name="You do not have access")).to_be_visible()

    # Policies are read-only: no Create policy.
    page.goto("/settings/policies")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Policies", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Create policy")).to_have_count(0)

    # Back as an admin: the refused key is there, unchanged, and nothing was recorded about it.
    _switch_to(page, "Platform admin")
    page.goto(hidden[0])
    expect(page.get_by_role("heading", name=admin_keys[hidden[0]], level=1)).to_be_visible()
    page.goto("/settings/audit-log")
    table = page.get_by_role("grid", name="Audit log")
    expect(table.get_by_role("row").nth(1)).to_contain_text("User switched")
    expect(table.get_by_text(hidden[0].rsplit("/", 1)[-1])).to_have_count(0)


def test_audit_log_shows_a_change_with_its_diff_filters_and_csv(page: Page):
    page.goto("/settings/api-keys")
    wait_for_app(page)
    name, href = _first_key(page)
    page.goto(href)
    wait_for_app(page)
    toggle = page.get_by_role("button", name="Disable")
    action = "API key disabled"
    if toggle.count() == 0:
        toggle = page.get_by_role("button", name="Enable")
        action = "API key enabled"
    toggle.click()
    expect(page.get_by_text(re.compile(r"API key .* (en|dis)abled"))).to_be_visible()

    page.get_by_role("navigation", name="Global").get_by_role("link", name="Audit log").click()
    expect(page).to_have_url(re.compile(r"/settings/audit-log$"))
    table = page.get_by_role("grid", name="Audit log")
    first = table.get_by_role("row").nth(1)
    expect(first).to_contain_text(action)
    expect(first).to_contain_text("status")
    expect(first.get_by_role("link", name=href.rsplit("/", 1)[-1])).to_be_visible()  # a link while it exists
    screenshot(page, "audit-log")
    assert_accessible(page)

    # Filter by action: only that action remains.
    page.get_by_role("button", name="All actions, action filter").click()
    page.get_by_role("option", name=action).click()
    expect(page).to_have_url(re.compile(r"/settings/audit-log\?action=api_key\.(en|dis)able$"))
    page.reload()  # the filter lives in the URL
    expect(page.get_by_role("button", name=f"{action}, action filter")).to_be_visible()
    rows = table.get_by_role("row")
    expect(rows.nth(1)).to_contain_text(action)
    for i in range(1, rows.count()):
        expect(rows.nth(i)).to_contain_text(action)

    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    text = open(download.value.path(), encoding="utf-8").read()
    lines = text.strip().splitlines()
    assert lines[0].startswith("Time (UTC),Actor,Action,Entity kind,Entity ID,Summary,Changes")
    assert action in lines[1] and href.rsplit("/", 1)[-1] in lines[1] and "status" in lines[1]
    assert all(action in line for line in lines[1:])

    # Dark theme: the page and its table pass axe too.
    page.get_by_role("button", name=re.compile("^User menu")).click()
    page.get_by_role("menuitem", name="Dark theme").click()
    expect(page.locator("html")).to_have_class(re.compile("pf-v6-theme-dark"))
    page.reload()  # as the shell's dark-mode journey does: axe on a page drawn dark, not mid-transition
    expect(page.locator("html")).to_have_class(re.compile("pf-v6-theme-dark"))
    expect(page.get_by_role("grid", name="Audit log")).to_be_visible()
    screenshot(page, "audit-log-dark")
    assert_accessible(page)
