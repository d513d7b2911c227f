"""Journeys: the app shell, navigation, the not-found page and User management."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.journeys.conftest import assert_accessible, screenshot


def test_home_redirects_to_first_settings_page(page: Page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/settings/[a-z-]+$"))
    settings = page.get_by_role("navigation", name="Global").get_by_role("listitem").filter(
        has=page.get_by_role("button", name="Settings"))
    first_link = settings.get_by_role("link").first  # the first Settings page (AI assets stands above the group)
    expect(first_link).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=1)).to_have_text(first_link.inner_text())


def test_masthead_shows_product_and_signed_in_user(page: Page):
    page.goto("/settings/user-management")
    expect(page.get_by_role("link", name="Red Hat OpenShift AI home")).to_be_visible()
    menu = page.get_by_role("button", name=re.compile("^User menu"))
    expect(menu).to_contain_text("Platform admin")  # demo mode starts as the first platform admin
    name = menu.inner_text().replace("Platform admin", "").strip()
    menu.click()
    expect(page.get_by_role("menuitem", name=re.compile(f"Signed in as {name}"))).to_be_visible()
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


def users_tab_count(page: Page) -> int:
    """N of the "Users (N)" tab: the 25 seeded users, plus any a gateway test made for itself."""
    tab = page.get_by_role("tab", name=re.compile(r"^Users \([1-9]\d*\)$"))  # loaded: not the empty "Users (0)"
    expect(tab).to_be_visible()
    return int(re.search(r"\((\d+)\)", tab.inner_text()).group(1))


def test_user_management_lists_users_groups_and_service_accounts(page: Page):
    page.goto("/settings/user-management")
    users = page.get_by_role("grid", name="Users")
    count = users_tab_count(page)
    assert count >= 25
    expect(users.get_by_role("row")).to_have_count(count + 1)  # header + every user
    expect(page.get_by_role("tab", name=f"Users ({count})")).to_have_attribute("aria-selected", "true")

    page.get_by_role("tab", name="Groups (6)").click()
    expect(page).to_have_url(re.compile(r"/settings/user-management/groups$"))  # the tab lives in the URL
    page.reload()
    expect(page.get_by_role("tab", name="Groups (6)")).to_have_attribute("aria-selected", "true")
    groups = page.get_by_role("grid", name="Groups")
    ai_row = groups.get_by_role("row").filter(has_text="ai-engineers")
    expect(ai_row).to_have_count(1)
    member_count = int(ai_row.get_by_role("gridcell").nth(2).inner_text())
    assert member_count > 0
    screenshot(page, "user-management-groups")

    page.get_by_role("tab", name="Service accounts (4)").click()
    expect(page).to_have_url(re.compile(r"/settings/user-management/service-accounts$"))
    accounts = page.get_by_role("grid", name="Service accounts")
    expect(accounts.get_by_role("row").filter(has_text="rag-pipeline-sa")).to_have_count(1)
    assert_accessible(page)


def test_user_management_search_filters_and_clears(page: Page):
    page.goto("/settings/user-management")
    users = page.get_by_role("grid", name="Users")
    count = users_tab_count(page)
    first_name = users.get_by_role("row").nth(1).get_by_role("gridcell").first.inner_text()
    search = page.get_by_label("Search users, groups and service accounts")
    search.fill(first_name)
    expect(page.get_by_role("tab", name=re.compile(r"^Users \(1\)$"))).to_be_visible()
    expect(users.get_by_role("row").nth(1)).to_contain_text(first_name)

    search.fill("zzz-nobody-matches")
    expect(page.get_by_role("heading", name="No users found")).to_be_visible()
    screenshot(page, "user-management-no-match")
    page.get_by_role("button", name="Clear search").click()
    expect(page.get_by_role("tab", name=f"Users ({count})")).to_be_visible()
    expect(search).to_have_value("")


def test_user_management_sorts_users_by_column(page: Page):
    page.goto("/settings/user-management")
    users = page.get_by_role("grid", name="Users")
    names = lambda: [r.get_by_role("gridcell").first.inner_text() for r in users.get_by_role("row").all()[1:]]  # noqa: E731
    expect(users.get_by_role("row")).to_have_count(users_tab_count(page) + 1)
    assert names() == sorted(names(), key=str.lower)
    users.get_by_role("button", name="Name", exact=True).click()
    expect(users.get_by_role("columnheader", name="Name", exact=True)).to_have_attribute("aria-sort", "descending")
    assert names() == sorted(names(), key=str.lower, reverse=True)
    users.get_by_role("button", name="Username").click()
    expect(users.get_by_role("columnheader", name="Username")).to_have_attribute("aria-sort", "ascending")
    usernames = [r.get_by_role("gridcell").nth(1).inner_text() for r in users.get_by_role("row").all()[1:]]
    assert usernames == sorted(usernames)


def test_user_management_tab_from_the_url_and_back(page: Page):
    page.goto("/settings/user-management/service-accounts")
    expect(page.get_by_role("tab", name="Service accounts (4)")).to_have_attribute("aria-selected", "true")
    page.get_by_role("tab", name=re.compile(r"^Users \(\d+\)$")).click()
    expect(page).to_have_url(re.compile(r"/settings/user-management$"))
    page.go_back()
    expect(page.get_by_role("tab", name="Service accounts (4)")).to_have_attribute("aria-selected", "true")
    page.goto("/settings/user-management/no-such-tab")
    expect(page.get_by_role("tab", name=re.compile(r"^Users \(\d+\)$"))).to_have_attribute("aria-selected", "true")


def test_ids_too_long_for_a_file_name_or_with_nul_get_the_apps_pages(page: Page):
    """The static server used to answer these with a bare plain-text 404."""
    page.goto("/settings/api-keys/" + "k" * 300)
    expect(page.get_by_role("heading", name="API key not found")).to_be_visible()
    expect(page.get_by_role("link", name="Go to API keys")).to_be_visible()
    page.goto("/settings/api-keys/abc%00def/metrics")
    expect(page.get_by_role("heading", name="API key not found")).to_be_visible()
    page.goto("/settings/policies/" + "p" * 300 + "/yaml")
    expect(page.get_by_role("heading", name="Policy not found")).to_be_visible()
    screenshot(page, "policy-not-found-long-id")
    page.goto("/settings/policies/a%00b")
    expect(page.get_by_role("heading", name="Policy not found")).to_be_visible()
    expect(page.get_by_role("link", name="Back to policies")).to_be_visible()
    page.goto("/settings/" + "x" * 300)
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


# Records, when <body> first appears, whether PF's dark theme class is already on <html>:
# the theme must be applied before the first paint, not after hydration.
_DARK_AT_FIRST_BODY = """
new MutationObserver((_, observer) => {
  if (document.body) {
    window.__darkAtFirstBody = document.documentElement.classList.contains("pf-v6-theme-dark");
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""
DARK = re.compile(r"(^|\s)pf-v6-theme-dark(\s|$)")


def _choose_theme(page: Page, label: str) -> None:
    page.get_by_role("button", name=re.compile("^User menu")).click()
    page.get_by_role("menuitem", name=re.compile(f"^{label}")).click()


def _reload_then_expect(page: Page, *, dark: bool) -> None:
    page.reload()
    expect(page.get_by_role("heading", name="API keys", level=1)).to_be_visible()
    html = page.locator("html")
    expect(html).to_have_class(DARK) if dark else expect(html).not_to_have_class(DARK)
    assert page.evaluate("window.__darkAtFirstBody") is dark  # already so before the first paint


def test_dark_theme_persists_across_reloads_before_first_paint(page: Page):
    page.add_init_script(_DARK_AT_FIRST_BODY)
    page.goto("/settings/api-keys")
    html = page.locator("html")
    expect(page.get_by_role("heading", name="API keys", level=1)).to_be_visible()
    expect(html).not_to_have_class(DARK)  # System, and Chromium prefers light here
    _choose_theme(page, "Dark theme")
    expect(html).to_have_class(DARK)
    _reload_then_expect(page, dark=True)
    page.get_by_role("button", name=re.compile("^User menu")).click()
    expect(page.get_by_role("menuitem", name=re.compile("^Dark theme"))).to_contain_text("In use")
    page.keyboard.press("Escape")
    screenshot(page, "theme-dark-api-keys")

    _choose_theme(page, "Light theme")
    expect(html).not_to_have_class(DARK)
    _reload_then_expect(page, dark=False)


def test_system_theme_follows_the_operating_system(page: Page):
    page.emulate_media(color_scheme="dark")
    page.goto("/settings/policies")
    _choose_theme(page, "System theme")
    expect(page.locator("html")).to_have_class(DARK)
    page.emulate_media(color_scheme="light")
    expect(page.locator("html")).not_to_have_class(DARK)


def test_pages_in_dark_mode_have_no_accessibility_violations(page: Page):
    page.goto("/settings/api-keys")
    _choose_theme(page, "Dark theme")
    expect(page.locator("html")).to_have_class(DARK)
    key_link = page.get_by_role("grid", name="API keys").get_by_role("row").nth(1).get_by_role("link").first
    key_href = key_link.get_attribute("href")
    assert_accessible(page)
    pages = [
        (key_href, "Details"),
        (key_href + "/assets", "Assets"),
        (key_href + "/metrics", "Metrics"),
        (key_href + "/policies", "Policies"),
        (key_href + "/settings", "Settings"),
        ("/settings/policies", None),
        ("/settings/policies/devs-budget-standard", "Details"),
        ("/settings/policies/devs-budget-standard/api-keys", "API keys"),
        ("/settings/policies/devs-budget-standard/yaml", "YAML"),
        ("/settings/usage", None),
        ("/settings/user-management/groups", "Groups (6)"),
    ]
    for url, tab in pages:
        page.goto(url)
        expect(page.locator("html")).to_have_class(DARK)
        if tab:
            expect(page.get_by_role("tab", name=tab, exact=True)).to_have_attribute("aria-selected", "true")
        else:
            expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert_accessible(page)
    screenshot(page, "theme-dark-user-management")
    page.goto("/settings/usage")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, "theme-dark-usage")
