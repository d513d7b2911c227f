"""Journeys: the app shell, navigation, the not-found page and User management."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.journeys.conftest import assert_accessible, screenshot


def test_home_redirects_to_first_settings_page(page: Page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/settings/[a-z-]+$"))
    first_link = page.get_by_role("navigation", name="Global").get_by_role("link").first
    expect(first_link).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=1)).to_have_text(first_link.inner_text())


def test_masthead_shows_product_and_signed_in_user(page: Page):
    page.goto("/settings/user-management")
    expect(page.get_by_role("link", name="Red Hat OpenShift AI home")).to_be_visible()
    menu = page.get_by_role("button", name=re.compile("^User menu"))
    expect(menu).to_contain_text("admin@example.com")
    menu.click()
    expect(page.get_by_role("menuitem", name=re.compile("Signed in as admin@example.com"))).to_be_visible()
    page.get_by_role("menuitem", name="User management").click()
    expect(page).to_have_url(re.compile(r"/settings/user-management$"))


def test_nav_lists_settings_pages_and_navigates(page: Page):
    page.goto("/settings/user-management")
    nav = page.get_by_role("navigation", name="Global")
    expect(nav.get_by_role("button", name="Settings")).to_have_attribute("aria-expanded", "true")
    link = nav.get_by_role("link", name="User management")
    expect(link).to_have_attribute("aria-current", "page")
    link.click()
    expect(page).to_have_title("User management | Red Hat OpenShift AI")
    screenshot(page, "shell-user-management")


def test_unknown_url_shows_not_found_with_way_home(page: Page):
    page.goto("/settings/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page).to_have_title("Page not found | Red Hat OpenShift AI")
    screenshot(page, "not-found")
    assert_accessible(page)
    page.get_by_role("link", name="Return to home").click()
    expect(page).to_have_url(re.compile(r"/settings/[a-z-]+$"))
    expect(page.get_by_role("heading", name="Page not found")).to_have_count(0)


def test_user_management_lists_users_groups_and_service_accounts(page: Page):
    page.goto("/settings/user-management")
    users = page.get_by_role("grid", name="Users")
    expect(users.get_by_role("row")).to_have_count(26)  # header + 25 seeded users
    expect(page.get_by_role("tab", name="Users (25)")).to_have_attribute("aria-selected", "true")

    page.get_by_role("tab", name="Groups (6)").click()
    groups = page.get_by_role("grid", name="Groups")
    ai_row = groups.get_by_role("row").filter(has_text="ai-engineers")
    expect(ai_row).to_have_count(1)
    member_count = int(ai_row.get_by_role("gridcell").nth(2).inner_text())
    assert member_count > 0
    screenshot(page, "user-management-groups")

    page.get_by_role("tab", name="Service accounts (4)").click()
    accounts = page.get_by_role("grid", name="Service accounts")
    expect(accounts.get_by_role("row").filter(has_text="rag-pipeline-sa")).to_have_count(1)
    assert_accessible(page)


def test_user_management_search_filters_and_clears(page: Page):
    page.goto("/settings/user-management")
    users = page.get_by_role("grid", name="Users")
    first_name = users.get_by_role("row").nth(1).get_by_role("gridcell").first.inner_text()
    search = page.get_by_label("Search users, groups and service accounts")
    search.fill(first_name)
    expect(page.get_by_role("tab", name=re.compile(r"^Users \(1\)$"))).to_be_visible()
    expect(users.get_by_role("row").nth(1)).to_contain_text(first_name)

    search.fill("zzz-nobody-matches")
    expect(page.get_by_role("heading", name="No users found")).to_be_visible()
    screenshot(page, "user-management-no-match")
    page.get_by_role("button", name="Clear search").click()
    expect(page.get_by_role("tab", name="Users (25)")).to_be_visible()
    expect(search).to_have_value("")


def test_user_management_sorts_users_by_column(page: Page):
    page.goto("/settings/user-management")
    users = page.get_by_role("grid", name="Users")
    names = lambda: [r.get_by_role("gridcell").first.inner_text() for r in users.get_by_role("row").all()[1:]]  # noqa: E731
    expect(users.get_by_role("row")).to_have_count(26)
    assert names() == sorted(names(), key=str.lower)
    users.get_by_role("button", name="Name", exact=True).click()
    expect(users.get_by_role("columnheader", name="Name", exact=True)).to_have_attribute("aria-sort", "descending")
    assert names() == sorted(names(), key=str.lower, reverse=True)
    users.get_by_role("button", name="Username").click()
    expect(users.get_by_role("columnheader", name="Username")).to_have_attribute("aria-sort", "ascending")
    usernames = [r.get_by_role("gridcell").nth(1).inner_text() for r in users.get_by_role("row").all()[1:]]
    assert usernames == sorted(usernames)
