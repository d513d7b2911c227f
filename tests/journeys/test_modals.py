"""Journeys: what every modal does alike. Escape closes the innermost open thing (a menu, then the modal)
and keeps what was typed; every typeahead is named by its visible label; axe-core finds nothing serious
in any modal; a modal belongs to the page that opened it; bad input is refused where the person looks."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.journeys.conftest import assert_accessible, screenshot
from tests.journeys.test_api_keys import KEY_URL, create_key, dialog, fill_limits, open_list, pick_owner, unique
from tests.journeys.test_policies import LIST as POLICIES
from tests.journeys.test_policies import create_policy, kebab, row, textbox

KEY_COMBOBOXES = ["Owner", "Model endpoints", "MCP servers & tools", "Vector databases", "Agents"]
POLICY_COMBOBOXES = ["Models", "MCP servers & tools", "Groups", "Users", "Service accounts"]
OPEN_MENU = ".pf-v6-c-modal-box .pf-v6-c-menu, .pf-v6-c-modal-box .pf-v6-c-popover"


def _escape_closes_only_the_menu(page: Page, dlg: Locator, open_menu, kept: dict[str, tuple[Locator, str]]) -> None:
    open_menu()
    expect(page.locator(OPEN_MENU).first).to_be_visible()
    # A popover takes the focus once shown (its Escape handling starts then): press Escape after that.
    if page.locator(".pf-v6-c-modal-box .pf-v6-c-popover").count():
        expect(page.locator(".pf-v6-c-modal-box .pf-v6-c-popover :focus")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator(OPEN_MENU)).to_have_count(0)
    expect(dlg).to_be_visible()
    for what, (box, value) in kept.items():
        expect(box, f"{what} kept after Escape").to_have_value(value)


def _open_key_create(page: Page) -> Locator:
    open_list(page)
    page.get_by_role("button", name="Create API key").first.click()
    dlg = dialog(page)
    expect(dlg.get_by_role("heading", name="Create API key")).to_be_visible()
    return dlg


def _open_policy_create(page: Page) -> Locator:
    page.goto(POLICIES)
    page.get_by_role("button", name="Create policy").click()
    dlg = page.get_by_role("dialog", name="Create policy")
    expect(dlg).to_be_visible()
    return dlg


# Escape -------------------------------------------------------------------------------------------
def test_escape_in_each_menu_of_the_key_modals_closes_only_that_menu(page: Page):
    dlg = _open_key_create(page)
    name, description = dlg.get_by_role("textbox", name="Name"), dlg.get_by_label("Description")
    name.fill("typed before escape")
    description.fill("kept\non two lines")
    kept = {"name": (name, "typed before escape"), "description": (description, "kept\non two lines")}
    for label in KEY_COMBOBOXES:
        _escape_closes_only_the_menu(page, dlg, dlg.get_by_role("combobox", name=label, exact=True).click, kept)
    fill_limits(page, tokens="500")
    kept["tokens"] = (dlg.get_by_label("Token rate limit"), "500")
    _escape_closes_only_the_menu(page, dlg, dlg.get_by_role("button", name="Toggle date picker").click, kept)
    page.keyboard.press("Escape")  # nothing open inside any more: now the modal closes
    expect(page.get_by_role("dialog")).to_have_count(0)

    # The Edit modal, from a key's details page.
    create_key(page, unique("journey-esc"))
    page.get_by_role("button", name="Edit", exact=True).click()
    dlg = dialog(page)
    expect(dlg.get_by_role("heading", name="Edit API key")).to_be_visible()
    name = dlg.get_by_role("textbox", name="Name")
    name.fill("edited before escape")
    for label in KEY_COMBOBOXES[1:]:  # the owner can't change on edit
        _escape_closes_only_the_menu(page, dlg, dlg.get_by_role("combobox", name=label, exact=True).click,
                                     {"name": (name, "edited before escape")})
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_escape_in_each_menu_of_the_policy_modals_closes_only_that_menu(page: Page):
    dlg = _open_policy_create(page)
    textbox(dlg, "Name").fill("Journey escape")
    textbox(dlg, "Token limit").fill("1234")
    kept = {"name": (textbox(dlg, "Name"), "Journey escape"), "tokens": (textbox(dlg, "Token limit"), "1234")}
    for label in POLICY_COMBOBOXES:
        _escape_closes_only_the_menu(page, dlg, dlg.get_by_role("combobox", name=label, exact=True).click, kept)
    window = dlg.get_by_role("radio", name=re.compile("^Only between"))
    window.click()
    expect(window).to_be_checked()
    _escape_closes_only_the_menu(page, dlg, dlg.get_by_role("textbox", name="Start time").click, kept)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)

    page.goto(f"{POLICIES}/devs-budget-standard")
    page.get_by_role("button", name="Edit", exact=True).click()
    dlg = page.get_by_role("dialog", name="Edit policy")
    textbox(dlg, "Name").fill("Devs budget edited")
    for label in POLICY_COMBOBOXES:
        _escape_closes_only_the_menu(page, dlg, dlg.get_by_role("combobox", name=label, exact=True).click,
                                     {"name": (textbox(dlg, "Name"), "Devs budget edited")})
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Devs budget standard")  # nothing saved


# Names and accessibility ------------------------------------------------------------------------
def test_every_typeahead_is_named_by_its_label_and_every_modal_passes_axe(page: Page):
    dlg = _open_key_create(page)
    for label in KEY_COMBOBOXES:
        expect(dlg.get_by_role("combobox", name=label, exact=True)).to_have_count(1)
    expect(dlg.get_by_role("combobox", name="Type to filter")).to_have_count(0)
    screenshot(page, "modal-create-api-key")
    assert_accessible(page)
    dlg.get_by_role("button", name="Cancel").click()

    name = unique("journey-axe")
    create_key(page, name)
    page.get_by_role("button", name="Edit", exact=True).click()
    dlg = dialog(page)
    expect(dlg.get_by_role("combobox", name="Model endpoints")).to_be_visible()
    assert_accessible(page)
    dlg.get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(dialog(page).get_by_role("heading", name="Delete API key?")).to_be_visible()
    assert_accessible(page)
    dialog(page).get_by_role("button", name="Cancel").click()

    dlg = _open_policy_create(page)
    for label in POLICY_COMBOBOXES:
        expect(dlg.get_by_role("combobox", name=label, exact=True)).to_have_count(1)
    assert_accessible(page)
    dlg.get_by_role("button", name="Cancel").click()
    kebab(page, "Devs budget standard", "Edit")
    dlg = page.get_by_role("dialog", name="Edit policy")
    expect(dlg.get_by_role("combobox", name="Groups")).to_be_visible()
    screenshot(page, "modal-edit-policy")
    assert_accessible(page)
    dlg.get_by_role("button", name="Cancel").click()
    kebab(page, "Devs budget standard", "Delete")
    expect(page.get_by_role("dialog", name="Delete policy?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()


# A modal belongs to its page --------------------------------------------------------------------
def test_a_modal_left_open_never_follows_to_another_page(page: Page):
    name = unique("journey-follow")
    key_id = create_key(page, name)
    page.get_by_role("button", name="Edit", exact=True).click()
    dialog(page).get_by_role("textbox", name="Name").fill("unsaved draft")
    page.go_back()  # client-side navigation back to the list, with the modal open
    expect(page).to_have_url(re.compile(r"/settings/api-keys/?$"))
    expect(page.get_by_role("grid", name="API keys")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.go_forward()
    expect(page).to_have_url(KEY_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_role("button", name="Edit", exact=True).click()
    expect(dialog(page).get_by_role("textbox", name="Name")).to_have_value(name)  # the draft was discarded
    dialog(page).get_by_role("button", name="Cancel").click()
    assert key_id

    page.goto(POLICIES)
    page.get_by_role("link", name="Devs budget standard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Devs budget standard")
    page.go_back()
    page.get_by_role("button", name="Create policy").click()
    textbox(page.get_by_role("dialog", name="Create policy"), "Name").fill("Journey never saved")
    page.go_forward()
    expect(page.get_by_role("heading", level=1)).to_have_text("Devs budget standard")
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.go_back()
    expect(page.get_by_role("grid", name="Policies")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_saving_from_the_list_refreshes_the_list(page: Page):
    create_policy(page, "Journey list edit", requests="5", group="ml-ops")
    page.goto(POLICIES)
    kebab(page, "Journey list edit", "Edit")
    dlg = page.get_by_role("dialog", name="Edit policy")
    textbox(dlg, "Name").fill("Journey list edited")
    textbox(dlg, "Rate limit").fill("7")
    dlg.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text('Policy "Journey list edited" saved')).to_be_visible()
    expect(page).to_have_url(re.compile(r"/settings/policies/?$"))
    expect(row(page, "Journey list edited").get_by_text("Rate limit 7 / 1 min")).to_be_visible()
    expect(row(page, "Journey list edit")).to_have_count(0)


def test_create_clicked_twice_saves_one_policy(page: Page):
    dlg = _open_policy_create(page)
    textbox(dlg, "Name").fill("Journey double click")
    textbox(dlg, "Rate limit").fill("3")
    create = dlg.get_by_role("button", name="Create", exact=True)
    expect(create).to_be_enabled()
    create.dblclick()
    expect(page).to_have_url(re.compile(r"/settings/policies/journey-double-click$"))
    page.goto(POLICIES)
    page.get_by_label("Search policies").fill("Journey double click")
    expect(page.get_by_role("grid", name="Policies").get_by_role("link", name=re.compile("^Journey double click"))
           ).to_have_count(1)


def test_editing_a_policy_deleted_meanwhile_says_so_and_keeps_the_draft(page: Page):
    create_policy(page, "Journey gone meanwhile", tokens="100", group="ml-ops")
    page.get_by_role("button", name="Edit", exact=True).click()
    dlg = page.get_by_role("dialog", name="Edit policy")
    textbox(dlg, "Token limit").fill("200")
    other = page.context.new_page()
    other.goto(POLICIES)
    kebab(other, "Journey gone meanwhile", "Delete")
    other.get_by_role("dialog").get_by_label("Type the policy name to confirm").fill("Journey gone meanwhile")
    other.get_by_role("dialog").get_by_role("button", name="Delete", exact=True).click()
    expect(other.get_by_text('Policy "Journey gone meanwhile" deleted')).to_be_visible()
    other.close()
    dlg.get_by_role("button", name="Save", exact=True).click()
    expect(dlg.locator(".pf-v6-c-alert.pf-m-danger")).to_have_text(
        re.compile("This policy was deleted meanwhile: nothing was saved."))
    expect(textbox(dlg, "Token limit")).to_have_value("200")
    expect(dlg.get_by_text("Error", exact=True)).to_have_count(0)


# Bad input ----------------------------------------------------------------------------------------
def test_key_expiration_must_be_yyyy_mm_dd_in_create_and_edit(page: Page):
    dlg = _open_key_create(page)
    dlg.get_by_role("textbox", name="Name").fill(unique("journey-date"))
    pick_owner(page, "User")
    create = dlg.get_by_role("button", name="Create", exact=True)
    message = "Enter the expiration date as YYYY-MM-DD, such as 2030-12-31."
    for text in ["2099-W01-1", "20270315"]:
        fill_limits(page, expires=text)
        expect(dlg.get_by_text(message)).to_have_count(1)  # shown once, under the field
        expect(create).to_be_disabled()
    screenshot(page, "modal-key-bad-date")
    dlg.get_by_label("Expiration date").fill("2099-01-05")
    expect(dlg.get_by_text(message)).to_have_count(0)
    expect(create).to_be_enabled()
    create.click()
    expect(page).to_have_url(KEY_URL)
    expect(page.get_by_role("tabpanel")).to_contain_text("5 Jan 2099")

    page.get_by_role("button", name="Edit", exact=True).click()
    dlg = dialog(page)
    dlg.get_by_label("Expiration date").fill("2099-W01-1")
    expect(dlg.get_by_text(message)).to_have_count(1)
    expect(dlg.get_by_role("button", name="Save", exact=True)).to_be_disabled()
    dlg.get_by_role("button", name="Cancel").click()
    page.reload()
    expect(page.get_by_role("tabpanel")).to_contain_text("5 Jan 2099")


def test_key_name_and_limits_bad_input(page: Page):
    dlg = _open_key_create(page)
    owner = pick_owner(page, "User")
    name = dlg.get_by_role("textbox", name="Name")
    create = dlg.get_by_role("button", name="Create", exact=True)
    # An owner picked but no name: the button is disabled and says why.
    expect(create).to_be_disabled()
    expect(dlg.get_by_text("Name is required.")).to_be_visible()
    screenshot(page, "modal-key-says-why-create-is-disabled")
    name.fill("abc\u202egpj.exe")
    expect(dlg.get_by_text(re.compile(r"can't contain invisible or text-direction characters \(found U\+202E\)"))
           ).to_be_visible()
    name.fill("ab\u200bc")
    expect(dlg.get_by_text(re.compile(r"found U\+200B"))).to_be_visible()
    fill_limits(page, tokens="\uff11\uff10\uff10", requests="\u0661\u0662", budget="1,2,3")
    expect(dlg.get_by_text("Token rate limit must be typed with the digits 0-9.")).to_be_visible()
    expect(dlg.get_by_text("Request rate limit must be typed with the digits 0-9.")).to_be_visible()
    expect(dlg.get_by_text("Budget limit must be an amount in US dollars, such as 250 or 99.50.")).to_be_visible()
    for budget in ["$$5", "1e3", "1e-9"]:
        dlg.get_by_label("Budget limit (USD)").fill(budget)
        expect(dlg.get_by_text("Budget limit must be an amount in US dollars, such as 250 or 99.50.")).to_be_visible()
    dlg.get_by_label("Budget limit (USD)").fill("0.001")
    expect(dlg.get_by_text("Budget limit can't have fractions of a cent: use at most 2 decimal places.")
           ).to_be_visible()
    expect(create).to_be_disabled()
    screenshot(page, "modal-key-bad-input")
    for label in ["Token rate limit", "Request rate limit", "Budget limit (USD)"]:
        dlg.get_by_label(label).fill("")

    # A Cyrillic name, then the same name in another case for the same owner.
    base = unique("ключ")
    name.fill(base.capitalize())
    dlg.get_by_label("Description").fill("first line\nsecond line")
    expect(create).to_be_enabled()
    create.click()
    expect(page).to_have_url(KEY_URL)
    description = page.get_by_role("tabpanel").get_by_text("first line")
    expect(description).to_be_visible()
    assert description.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-line"
    assert description.bounding_box()["height"] > 1.5 * page.get_by_role("tabpanel").get_by_text(
        "Active", exact=True).first.bounding_box()["height"]  # shown on two lines

    dlg = _open_key_create(page)
    pick_owner(page, "User", owner)
    dlg.get_by_role("textbox", name="Name").fill(base.upper())
    dlg.get_by_role("textbox", name="Name").blur()
    expect(dlg.get_by_text(f"This owner already has an API key named \u201c{base.upper()}\u201d. Choose another name.")
           ).to_be_visible()
    expect(dlg.get_by_role("button", name="Create", exact=True)).to_be_disabled()
    dlg.get_by_role("button", name="Cancel").click()

    page.get_by_label("Search API keys by name").fill(base.upper())
    expect(page.get_by_role("grid", name="API keys").get_by_role("link", name=base.capitalize())).to_be_visible()


def test_policy_bad_input_and_a_name_in_another_script(page: Page):
    dlg = _open_policy_create(page)
    textbox(dlg, "Name").fill("Journey money")
    for budget, message in [
        ("0.001", "The budget can't have fractions of a cent: use at most 2 decimal places."),
        ("1e-9", "The budget must be an amount in US dollars, such as 250 or 99.50."),
        ("$$5", "The budget must be an amount in US dollars, such as 250 or 99.50."),
        ("1,2,3", "The budget must be an amount in US dollars, such as 250 or 99.50."),
    ]:
        textbox(dlg, "Budget").fill(budget)
        expect(dlg.get_by_text(message)).to_be_visible()
        expect(dlg.get_by_role("button", name="Create", exact=True)).to_be_disabled()
    textbox(dlg, "Budget").fill("")
    textbox(dlg, "Rate limit").fill("\uff16\uff10")
    expect(dlg.get_by_text("The rate limit must be typed with the digits 0-9.")).to_be_visible()
    textbox(dlg, "Rate limit").fill("60")

    # A Cyrillic name gives no ID: the modal asks for one, says why, then saves.
    textbox(dlg, "Name").fill("Политика лимитов")
    policy_id = textbox(dlg, "Policy ID")
    expect(policy_id).to_be_visible()
    expect(dlg.get_by_text(re.compile("^Enter a policy ID: the name has no Latin letters or digits"))).to_be_visible()
    expect(dlg.get_by_role("button", name="Create", exact=True)).to_be_disabled()
    screenshot(page, "modal-policy-asks-for-id")
    policy_id.fill("journey-limits-ru")
    dlg.get_by_label("Description").fill("line one\nline two")
    dlg.get_by_role("button", name="Create", exact=True).click()
    expect(page).to_have_url(re.compile(r"/settings/policies/journey-limits-ru$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Политика лимитов")
    shown = page.get_by_label("Policy details", exact=True).get_by_text("line one")
    assert shown.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-line"

    page.goto(POLICIES)
    page.get_by_label("Search policies").fill("ПОЛИТИКА")
    expect(row(page, "Политика лимитов")).to_have_count(1)
    page.get_by_role("button", name="Create policy").click()
    dlg = page.get_by_role("dialog", name="Create policy")
    textbox(dlg, "Name").fill("политика ЛИМИТОВ")
    expect(dlg.get_by_text('A policy named "политика ЛИМИТОВ" already exists. Choose another name.')).to_be_visible()
    textbox(dlg, "Name").fill("限流策略")
    expect(textbox(dlg, "Policy ID")).to_be_visible()
    dlg.get_by_role("button", name="Cancel").click()
