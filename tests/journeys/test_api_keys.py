"""Journeys: API keys list, Create/Edit modal, details page with routed tabs, copy, disable/enable, delete."""

from __future__ import annotations

import re
import time
import uuid

from playwright.sync_api import Locator, Page, expect

from tests.journeys.conftest import assert_accessible, screenshot

LIST = "/settings/api-keys"
KEY_URL = re.compile(r"/settings/api-keys/(key-[0-9a-f]{10})/?$")


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def open_list(page: Page) -> Locator:
    page.goto(LIST)
    table = page.get_by_role("grid", name="API keys")
    expect(table).to_be_visible()
    return table


def dialog(page: Page) -> Locator:
    return page.get_by_role("dialog")


def menu_option(page: Page, name: str) -> Locator:
    """An option of an open PF select menu (not the native <option>s of a FormSelect)."""
    return page.locator(".pf-v6-c-menu").get_by_role("option", name=re.compile(rf"^{re.escape(name)}(\s|$)"))


def pick_owner(page: Page, kind: str = "User", search: str | None = None) -> str:
    dlg = dialog(page)
    dlg.get_by_label("Owner type").select_option(label=kind)
    placeholder = {"User": "Select a user", "Group": "Select a group", "Service account": "Select a service account"}
    box = dlg.get_by_placeholder(placeholder[kind])
    option = page.locator(".pf-v6-c-menu").get_by_role("option").first
    for _ in range(3):  # the select is remounted when the owner type changes: open it once that is done
        if search:
            box.fill(search)
        else:
            box.click()
        try:
            expect(option).to_be_visible(timeout=3000)
            break
        except AssertionError:
            continue
    name = option.inner_text().strip().splitlines()[0].strip()
    option.click()
    expect(box).to_have_value(name)
    return name


def pick_assets(page: Page, placeholder: str, names: list[str]) -> None:
    dlg = dialog(page)
    box = dlg.get_by_placeholder(placeholder)
    for name in names:
        box.fill(name)  # typing filters the options and opens the menu
        menu_option(page, name).click()
        expect(dlg.locator(".pf-v6-c-label").filter(has_text=re.compile(rf"^{re.escape(name)}$"))).to_have_count(1)
    dlg.get_by_role("heading", name="AI Asset Access").click()  # close the menu


def fill_limits(page: Page, tokens="", requests="", budget="", expires="") -> None:
    dlg = dialog(page)
    toggle = dlg.get_by_role("button", name="Limits and Policies")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    for label, value in [("Token rate limit", tokens), ("Request rate limit", requests),
                         ("Budget limit (USD)", budget), ("Expiration date", expires)]:
        if value:
            dlg.get_by_label(label).fill(value)


def create_key(page: Page, name: str, *, description: str = "", owner_kind: str = "User",
               owner_search: str | None = None, models: list[str] | None = None) -> str:
    """Create a key through the modal; returns its public id (from the details URL it lands on)."""
    open_list(page)
    page.get_by_role("button", name="Create API key").first.click()
    dlg = dialog(page)
    expect(dlg.get_by_role("heading", name="Create API key")).to_be_visible()
    dlg.get_by_role("textbox", name="Name").fill(name)
    if description:
        dlg.get_by_label("Description").fill(description)
    pick_owner(page, owner_kind, owner_search)
    if models:
        pick_assets(page, "Select models", models)
    create = dlg.get_by_role("button", name="Create", exact=True)
    expect(create).to_be_enabled()
    create.click()
    expect(page).to_have_url(KEY_URL)
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    return KEY_URL.search(page.url).group(1)


def search_list(page: Page, text: str) -> Locator:
    table = open_list(page)
    page.get_by_label("Search API keys by name").fill(text)
    return table


def row_of(page: Page, name: str) -> Locator:
    return page.get_by_role("grid", name="API keys").get_by_role("row").filter(
        has=page.get_by_role("link", name=name, exact=True))


def clipboard_secret(page: Page, timeout_s: float = 15) -> str:
    """What the copy button put on the clipboard (it arrives after a round trip to the server)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = page.evaluate("navigator.clipboard.readText()")
        if text.startswith("sk-"):
            return text
        page.wait_for_timeout(100)
    raise AssertionError("the copy button put no API key on the clipboard")


def selected_tab(page: Page) -> Locator:
    return page.get_by_role("tab", selected=True)


# Create ----------------------------------------------------------------------------------------
def test_create_key_with_limits_and_assets_lands_on_its_details(page: Page):
    name = unique("journey-create")
    open_list(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("API keys")
    expect(page.get_by_text("Browse endpoints for available models and MCP servers.")).to_be_visible()
    page.get_by_role("button", name="Create API key").first.click()
    dlg = dialog(page)
    expect(dlg.get_by_role("heading", name="Create API key")).to_be_visible()
    expect(dlg.get_by_role("button", name="Limits and Policies")).to_have_attribute("aria-expanded", "false")
    expect(dlg.get_by_role("button", name="Create", exact=True)).to_be_disabled()

    dlg.get_by_role("textbox", name="Name").fill(f"  {name}  ")
    dlg.get_by_label("Description").fill("Support chatbot in production")
    owner = pick_owner(page, "Group")
    fill_limits(page, tokens="20000", requests="60", budget="250", expires="2030-12-31")
    pick_assets(page, "Select models", ["gpt-oss-20b", "granite-3.1b"])
    pick_assets(page, "Select MCP servers", ["OpenShift"])
    pick_assets(page, "Select vector databases", ["product-docs-milvus"])
    screenshot(page, "api-keys-create-modal-filled")
    assert_accessible(page)
    dlg.get_by_role("button", name="Create", exact=True).click()

    expect(page).to_have_url(KEY_URL)
    expect(page.get_by_text(f"API key \u201c{name}\u201d created")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    details = page.get_by_role("tabpanel")
    expect(selected_tab(page)).to_have_text("Details")
    for text in [name, "Support chatbot in production", owner, "(Group)", "Active", "Never", "31 Dec 2030",
                 "20,000 tokens per minute", "60 requests per minute", "$250"]:
        expect(details).to_contain_text(text)
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text(name)
    screenshot(page, "api-key-details-new")
    assert_accessible(page)

    page.get_by_role("tab", name="Assets").click()
    expect(page).to_have_url(re.compile(r"/assets/?$"))
    models = page.get_by_role("grid", name="Models")
    expect(models.get_by_role("row")).to_have_count(3)
    expect(models).to_contain_text("gpt-oss-20b")
    # Models answer through this console's gateway, under their own base path.
    base = re.match(r"^https?://[^/]+", page.url).group(0)
    expect(models).to_contain_text(f"{base}/granite-3-1/v1")
    expect(page.get_by_role("grid", name="MCP servers & tools")).to_contain_text("pods_list")
    expect(page.get_by_role("grid", name="Vector databases")).to_contain_text("18.4 GB")
    expect(page.get_by_text("This API key grants no agents.")).to_be_visible()
    expect(page.get_by_text(f"curl {base}/gpt-oss-20b/v1/chat/completions")).to_be_visible()
    expect(page.get_by_text(f'base_url="{base}/gpt-oss-20b/v1"')).to_be_visible()
    screenshot(page, "api-key-details-assets")
    assert_accessible(page)

    search_list(page, name)
    row = row_of(page, name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("gpt-oss-20b")
    expect(row).to_contain_text("granite-3.1b")
    expect(row).to_contain_text("OpenShift")
    expect(row).to_contain_text("+1 more")
    expect(row).to_contain_text(owner)
    expect(row).to_contain_text("Group")
    expect(row).to_contain_text("Never")
    expect(row.get_by_role("gridcell").nth(2)).to_have_text(re.compile(r"^sk-.{4}\.\.\..{4}$"))


def test_validation_messages_for_each_bad_input(page: Page):
    taken = create_key(page, unique("journey-taken"), owner_kind="Service account")
    taken_name = page.get_by_role("heading", level=1).inner_text()
    assert taken
    open_list(page)
    page.get_by_role("button", name="Create API key").first.click()
    dlg = dialog(page)
    name = dlg.get_by_role("textbox", name="Name")
    create = dlg.get_by_role("button", name="Create", exact=True)

    name.fill("something")
    name.fill("")
    expect(dlg.get_by_text("Name is required.")).to_be_visible()
    name.fill("x" * 65)
    expect(dlg.get_by_text("Name can be at most 64 characters (now 65).")).to_be_visible()
    dlg.get_by_label("Description").fill("d" * 1025)
    expect(dlg.get_by_text("Description can be at most 1,024 characters (now 1,025).")).to_be_visible()
    dlg.get_by_label("Description").fill("ok")
    expect(dlg.get_by_text("Description can be at most")).to_have_count(0)

    # Duplicate: the same name (any case) for the same owner (create_key picked the first service account).
    pick_owner(page, "Service account")
    name.fill(taken_name.upper())
    duplicate = dlg.get_by_text(f"This owner already has an API key named \u201c{taken_name.upper()}\u201d. "
                                "Choose another name.")
    expect(duplicate).to_be_visible()
    name.fill(unique("journey-valid"))
    expect(duplicate).to_have_count(0)
    expect(create).to_be_enabled()

    fill_limits(page, tokens="1.5", requests="0", budget="-3", expires="2020-01-01")
    expect(dlg.get_by_text("Token rate limit must be a whole number, such as 10000.")).to_be_visible()
    expect(dlg.get_by_text("Request rate limit must be greater than 0.")).to_be_visible()
    expect(dlg.get_by_text("Budget limit must be greater than $0. Leave it empty for no limit.")).to_be_visible()
    expect(dlg.get_by_text("Expiration date can't be in the past.")).to_be_visible()
    expect(create).to_be_disabled()
    screenshot(page, "api-keys-create-validation")
    assert_accessible(page)
    dlg.get_by_label("Token rate limit").fill("-5")
    expect(dlg.get_by_text("Token rate limit must be greater than 0.")).to_be_visible()
    dlg.get_by_label("Request rate limit").fill("abc")
    expect(dlg.get_by_text("Request rate limit must be a whole number, such as 60.")).to_be_visible()

    for label in ["Token rate limit", "Request rate limit", "Budget limit (USD)"]:
        dlg.get_by_label(label).fill("")
    dlg.get_by_label("Expiration date").fill("2031-01-01")
    expect(dlg.locator(".pf-m-error")).to_have_count(0)
    expect(create).to_be_enabled()
    dlg.get_by_role("button", name="Cancel").click()
    expect(dlg).to_have_count(0)


def test_failed_save_keeps_everything_typed_and_says_why(page: Page):
    name = unique("journey-race")
    open_list(page)
    page.get_by_role("button", name="Create API key").first.click()
    dlg = dialog(page)
    dlg.get_by_role("textbox", name="Name").fill(name)
    dlg.get_by_label("Description").fill("typed before the failure")
    owner = pick_owner(page, "Group")
    fill_limits(page, tokens="5000")

    # Meanwhile, in another tab, someone creates a key with that name for the same owner.
    other = page.context.new_page()
    create_key(other, name, owner_kind="Group", owner_search=owner)
    other.close()

    dlg.get_by_role("button", name="Create", exact=True).click()
    alert = dlg.locator(".pf-v6-c-alert.pf-m-danger")
    expect(alert).to_contain_text("The API key was not created: something changed meanwhile.")
    expect(dlg.get_by_text("This owner already has an API key named")).to_be_visible()
    expect(dlg.get_by_role("textbox", name="Name")).to_have_value(name)
    expect(dlg.get_by_label("Description")).to_have_value("typed before the failure")
    expect(dlg.get_by_label("Token rate limit")).to_have_value("5000")
    expect(page).to_have_url(re.compile(r"/settings/api-keys/?$"))
    screenshot(page, "api-keys-create-failed-save")
    dlg.get_by_role("textbox", name="Name").fill(name + "-2")
    dlg.get_by_role("button", name="Create", exact=True).click()
    expect(page).to_have_url(KEY_URL)


# Details page ----------------------------------------------------------------------------------
SPEC_TABS = [("Details", ""), ("Assets", "assets"), ("Metrics", "metrics"), ("Policies", "policies"),
             ("Settings", "settings")]


def test_every_tab_by_click_and_by_url_with_reload_and_history(page: Page):
    key_id = create_key(page, unique("journey-tabs"), models=["gpt-oss-20b"])
    base = f"{LIST}/{key_id}"
    tabs = page.get_by_role("tablist").get_by_role("tab")
    expect(tabs.first).to_have_text("Details")
    shown = [t.strip() for t in tabs.all_inner_texts()]
    # The spec's order; Metrics and Policies come from other modules and show only when they exist.
    assert shown == [name for name, _ in SPEC_TABS if name in shown], shown
    assert {"Details", "Assets", "Settings"} <= set(shown)
    present = [(name, slug) for name, slug in SPEC_TABS if name in shown]

    for name, slug in [*present[1:], present[0]]:
        page.get_by_role("tab", name=name, exact=True).click()
        expect(page).to_have_url(re.compile(f"{base}{'/' + slug if slug else ''}/?$"))
        expect(selected_tab(page)).to_have_text(name)
        expect(page.get_by_role("tabpanel")).to_be_visible()
    page.get_by_role("tab", name="Assets").click()
    expect(page.get_by_role("grid", name="Models")).to_be_visible()
    page.get_by_role("tab", name="Settings").click()
    expect(page.get_by_role("heading", name="Danger zone")).to_be_visible()
    screenshot(page, "api-key-details-settings")
    assert_accessible(page)

    page.go_back()
    expect(selected_tab(page)).to_have_text("Assets")
    expect(page).to_have_url(re.compile(f"{base}/assets/?$"))
    page.go_forward()
    expect(selected_tab(page)).to_have_text("Settings")
    page.reload()
    expect(selected_tab(page)).to_have_text("Settings")
    expect(page.get_by_role("heading", name="Danger zone")).to_be_visible()

    for name, slug in [*present, ("Details", "details"), ("Details", "no-such-tab")]:
        page.goto(base + (f"/{slug}" if slug else ""))
        expect(selected_tab(page)).to_have_text(name)
        expect(page.get_by_role("tabpanel")).to_be_visible()


def test_unknown_key_id_shows_not_found_with_way_back(page: Page):
    for url in [f"{LIST}/key-0000000000", f"{LIST}/nonsense/assets"]:
        page.goto(url)
        expect(page.get_by_role("heading", name="API key not found")).to_be_visible()
    screenshot(page, "api-key-not-found")
    assert_accessible(page)
    page.get_by_role("link", name="Go to API keys").click()
    expect(page).to_have_url(re.compile(r"/settings/api-keys/?$"))
    expect(page.get_by_role("grid", name="API keys")).to_be_visible()


def test_copy_button_puts_the_whole_secret_on_the_clipboard(page: Page):
    create_key(page, unique("journey-copy"))
    masked = page.locator(".pf-v6-c-clipboard-copy").first.inner_text().strip()
    assert re.fullmatch(r"sk-.{4}\.\.\..{4}", masked), masked
    page.evaluate("navigator.clipboard.writeText('')")
    page.get_by_role("button", name="Copy API key").first.click()
    secret = clipboard_secret(page)
    assert re.fullmatch(r"sk-[A-Za-z0-9_-]{40,}", secret)
    assert secret.startswith(masked[:7]) and secret.endswith(masked[-4:])
    assert secret not in page.content()  # never rendered, never in page state


# Edit, disable, enable -------------------------------------------------------------------------
def test_edit_name_from_the_details_header(page: Page):
    old = unique("journey-edit")
    create_key(page, old, description="before")
    page.get_by_role("button", name="Edit", exact=True).click()
    dlg = dialog(page)
    expect(dlg.get_by_role("heading", name="Edit API key")).to_be_visible()
    name = dlg.get_by_role("textbox", name="Name")
    expect(name).to_have_value(old)
    expect(dlg.get_by_label("Description")).to_have_value("before")
    expect(dlg.get_by_label("Owner type")).to_be_disabled()
    new = unique("journey-renamed")
    name.fill(new)
    dlg.get_by_role("button", name="Save").click()
    expect(dlg).to_have_count(0)
    expect(page.get_by_text(f"API key \u201c{new}\u201d updated")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(new)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(new)
    search_list(page, new)
    expect(row_of(page, new)).to_have_count(1)


def test_disable_then_enable_from_header_and_row_kebab(page: Page):
    name = unique("journey-toggle")
    create_key(page, name)
    page.get_by_role("button", name="Disable", exact=True).click()
    expect(page.get_by_text(f"API key \u201c{name}\u201d disabled")).to_be_visible()
    header = page.get_by_role("main")
    expect(header.locator(".pf-v6-c-label").first).to_have_text("Disabled")
    expect(page.get_by_role("button", name="Enable", exact=True)).to_be_visible()

    search_list(page, name)
    row = row_of(page, name)
    expect(row).to_contain_text("Disabled")
    row.get_by_role("button", name=f"Actions for {name}").click()
    page.get_by_role("menuitem", name="Enable API key").click()
    expect(page.get_by_text(f"API key \u201c{name}\u201d enabled")).to_be_visible()
    expect(row).to_contain_text("Active")
    row.get_by_role("button", name=f"Actions for {name}").click()
    page.get_by_role("menuitem", name="Disable API key").click()
    expect(row).to_contain_text("Disabled")
    row.get_by_role("button", name=f"Actions for {name}").click()
    page.get_by_role("menuitem", name="View details").click()
    expect(page).to_have_url(KEY_URL)
    page.get_by_role("button", name="Enable", exact=True).click()
    expect(page.get_by_role("button", name="Disable", exact=True)).to_be_visible()


# Delete ----------------------------------------------------------------------------------------
def _confirm_delete(page: Page, name: str) -> None:
    dlg = dialog(page)
    expect(dlg.get_by_role("heading", name="Delete API key?")).to_be_visible()
    expect(dlg).to_contain_text("applications using it will stop working")
    expect(dlg.get_by_text(name, exact=True).first).to_be_visible()
    delete = dlg.get_by_role("button", name="Delete", exact=True)
    expect(delete).to_be_disabled()
    box = dlg.get_by_label(f"Type {name} to confirm")
    box.fill(name[:-1])
    expect(delete).to_be_disabled()
    box.fill(name + " ")
    expect(delete).to_be_disabled()
    screenshot(page, "api-key-delete-modal")
    assert_accessible(page)
    box.fill(name)
    expect(delete).to_be_enabled()
    delete.click()
    expect(dlg).to_have_count(0)


def test_delete_from_danger_zone_after_wrong_then_right_text(page: Page):
    name = unique("journey-delete")
    key_id = create_key(page, name)
    page.get_by_role("tab", name="Settings").click()
    page.get_by_role("button", name="Delete API key").click()
    expect(dialog(page).get_by_role("heading", name="Delete API key?")).to_be_visible()
    page.keyboard.press("Escape")  # Esc closes without change
    expect(dialog(page)).to_have_count(0)
    page.get_by_role("button", name="Delete API key").click()
    dialog(page).get_by_role("button", name="Cancel").click()
    expect(dialog(page)).to_have_count(0)
    page.get_by_role("button", name="Delete API key").click()
    _confirm_delete(page, name)
    expect(page).to_have_url(re.compile(r"/settings/api-keys/?$"))
    expect(page.get_by_text(f"API key \u201c{name}\u201d deleted")).to_be_visible()
    page.get_by_label("Search API keys by name").fill(name)
    expect(page.get_by_role("heading", name="No API keys found")).to_be_visible()
    page.reload()
    page.get_by_label("Search API keys by name").fill(name)
    expect(page.get_by_role("heading", name="No API keys found")).to_be_visible()
    page.goto(f"{LIST}/{key_id}")
    expect(page.get_by_role("heading", name="API key not found")).to_be_visible()


def test_delete_from_header_and_from_row_kebab(page: Page):
    first, second = unique("journey-del-head"), unique("journey-del-row")
    create_key(page, first)
    page.get_by_role("button", name="Delete", exact=True).click()
    _confirm_delete(page, first)
    expect(page).to_have_url(re.compile(r"/settings/api-keys/?$"))

    create_key(page, second)
    search_list(page, "journey-del-")
    row = row_of(page, second)
    expect(row).to_have_count(1)
    expect(row_of(page, first)).to_have_count(0)
    row.get_by_role("button", name=f"Actions for {second}").click()
    page.get_by_role("menuitem", name="Delete API key").click()
    _confirm_delete(page, second)
    expect(page).to_have_url(re.compile(r"/settings/api-keys/?$"))
    expect(page.get_by_text(f"API key \u201c{second}\u201d deleted")).to_be_visible()
    expect(row_of(page, second)).to_have_count(0)


# Toolbar -----------------------------------------------------------------------------------------
def _names(page: Page) -> list[str]:
    table = page.get_by_role("grid", name="API keys")
    return [r.get_by_role("gridcell").first.inner_text().strip() for r in table.get_by_role("row").all()[1:]]


def _ids(page: Page) -> list[str]:
    table = page.get_by_role("grid", name="API keys")
    return [link.get_attribute("href").rsplit("/", 1)[-1] for link in table.locator("tbody tr td:first-child a").all()]


def _column(page: Page, index: int) -> list[str]:
    table = page.get_by_role("grid", name="API keys")
    return [r.get_by_role("gridcell").nth(index).inner_text().strip() for r in table.get_by_role("row").all()[1:]]


def test_search_filter_sort_and_pagination(page: Page):
    table = open_list(page)
    rows = table.get_by_role("row")
    expect(rows).to_have_count(11)  # header + 10 per page
    total = int(re.search(r"of (\d+)", page.locator(".pf-v6-c-pagination").first.inner_text()).group(1))
    assert total >= 38
    screenshot(page, "api-keys-list")
    assert_accessible(page)

    # Pagination: next page, then 20 per page.
    toggle = page.locator(".pf-v6-c-pagination.pf-m-bottom .pf-v6-c-menu-toggle")
    expect(toggle).to_contain_text(f"1 - 10 of {total}")
    first_page = _ids(page)
    page.get_by_role("navigation", name="Pagination bottom").get_by_role("button", name="Go to next page").click()
    expect(toggle).to_contain_text(f"11 - 20 of {total}")
    second_page = _ids(page)
    assert len(second_page) == 10 and not set(second_page) & set(first_page)  # names repeat across owners; ids don't
    toggle.click()
    page.get_by_role("menuitem", name="20 per page").click()
    expect(rows).to_have_count(21)

    # Sort by name, both directions.
    table.get_by_role("button", name="Name", exact=True).click()
    expect(table.get_by_role("columnheader", name="Name", exact=True)).to_have_attribute("aria-sort", "ascending")
    names = _names(page)
    assert names == sorted(names, key=str.lower)
    table.get_by_role("button", name="Name", exact=True).click()
    expect(table.get_by_role("columnheader", name="Name", exact=True)).to_have_attribute("aria-sort", "descending")
    names = _names(page)
    assert names == sorted(names, key=str.lower, reverse=True)
    table.get_by_role("button", name="Status", exact=True).click()
    expect(table.get_by_role("columnheader", name="Status", exact=True)).to_have_attribute("aria-sort", "ascending")
    statuses = _column(page, 1)
    order = {"Active": 0, "Expired": 1, "Disabled": 2}
    assert [order[s] for s in statuses] == sorted(order[s] for s in statuses)

    # Filters: status, owner type; labels and "Clear all filters".
    body_rows = table.locator("tbody tr")
    page.get_by_role("button", name="Filter by status").click()
    page.get_by_role("menuitem", name="Disabled").click()
    page.keyboard.press("Escape")
    expect(body_rows.filter(has_not_text="Disabled")).to_have_count(0)
    expect(body_rows).not_to_have_count(0)
    page.get_by_role("button", name="Filter by status").click()
    page.get_by_role("menuitem", name="Expired").click()
    page.keyboard.press("Escape")
    expect(body_rows.filter(has_text="Expired").first).to_be_visible()
    expect(body_rows.filter(has_not_text=re.compile("Disabled|Expired"))).to_have_count(0)
    page.get_by_role("button", name="Filter by owner type").click()
    page.get_by_role("menuitem", name="Group").click()
    page.keyboard.press("Escape")
    expect(body_rows.filter(has_not_text="Group")).to_have_count(0)
    expect(body_rows).not_to_have_count(0)
    owners = _column(page, 4)
    assert owners and all(o.endswith("Group") for o in owners)
    screenshot(page, "api-keys-list-filtered")
    assert_accessible(page)
    page.get_by_role("button", name="Clear all filters").first.click()
    expect(rows).to_have_count(21)

    # Search by name; no match shows the empty state with "Clear all filters".
    search = page.get_by_label("Search API keys by name")
    search.fill("chatbot")
    expect(body_rows.filter(has_not_text="chatbot")).to_have_count(0)
    expect(body_rows).not_to_have_count(0)
    assert all("chatbot" in n for n in _names(page))
    search.fill("zzz-no-key-matches")
    expect(page.get_by_role("heading", name="No API keys found")).to_be_visible()
    screenshot(page, "api-keys-list-no-match")
    page.get_by_role("button", name="Clear all filters").last.click()
    expect(rows).to_have_count(21)
    expect(search).to_have_value("")


# Persistence -------------------------------------------------------------------------------------
def test_reload_and_server_restart_keep_everything(page: Page, restart_console):
    kept, disabled, deleted = unique("journey-kept"), unique("journey-off"), unique("journey-gone")
    kept_id = create_key(page, kept, description="survives restarts", models=["gpt-oss-20b"])
    page.evaluate("navigator.clipboard.writeText('')")
    page.get_by_role("button", name="Copy API key").first.click()
    secret = clipboard_secret(page)
    create_key(page, disabled)
    page.get_by_role("button", name="Disable", exact=True).click()
    expect(page.get_by_role("button", name="Enable", exact=True)).to_be_visible()
    create_key(page, deleted)
    page.get_by_role("button", name="Delete", exact=True).click()
    _confirm_delete(page, deleted)
    expect(page).to_have_url(re.compile(r"/settings/api-keys/?$"))

    def check() -> None:
        search_list(page, "journey-")
        expect(row_of(page, kept)).to_contain_text("Active")
        expect(row_of(page, disabled)).to_contain_text("Disabled")
        expect(row_of(page, deleted)).to_have_count(0)
        page.goto(f"{LIST}/{kept_id}/assets")
        expect(selected_tab(page)).to_have_text("Assets")
        expect(page.get_by_role("grid", name="Models")).to_contain_text("gpt-oss-20b")
        page.evaluate("navigator.clipboard.writeText('')")
        page.get_by_role("button", name="Copy API key").first.click()
        assert clipboard_secret(page) == secret

    page.reload()
    check()
    restart_console()
    page.goto(LIST)
    check()
