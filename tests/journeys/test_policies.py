"""Journeys: Policies list, Create/Edit policy modal, details with routed tabs and YAML, delete, a key's Policies tab.

The console is shared by every journey of the session: these tests create their own policies (names
starting with "Journey") and change no seeded policy.
"""

from __future__ import annotations

import importlib.util
import re

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from tests.journeys.conftest import assert_accessible, screenshot

LIST = "/settings/policies"
# The key details page comes with the API keys issue; the key-tab journeys run once it is on this branch.
HAS_KEY_PAGE = importlib.util.find_spec("maas_ui.pages.api_key_details") is not None
needs_key_page = pytest.mark.skipif(not HAS_KEY_PAGE, reason="the API key details page is not on this branch yet")


# Helpers --------------------------------------------------------------------------------
def open_list(page: Page) -> None:
    page.goto(LIST)
    expect(page.get_by_role("heading", name="Policies", level=1)).to_be_visible()
    expect(page.get_by_role("grid", name="Policies")).to_be_visible()


def dialog(page: Page, name: str = "Create policy") -> Locator:
    d = page.get_by_role("dialog", name=name)
    expect(d).to_be_visible()
    return d


def choose(d: Locator, group_label: str, option: str) -> None:
    """Pick an option in one of the modal's multi-select typeaheads, then close its menu."""
    box = d.get_by_role("group", name=group_label, exact=True).get_by_role("combobox")
    box.click()
    box.fill(option)
    d.page.get_by_role("option", name=option, exact=True).click()
    box.fill("")
    d.get_by_role("heading", name=re.compile("policy$")).first.click()  # closes the menu
    expect(d.page.get_by_role("listbox")).to_have_count(0)


def textbox(d: Locator, name: str) -> Locator:
    return d.get_by_role("textbox", name=name, exact=True)


def create_policy(page: Page, name: str, *, tokens: str = "", requests: str = "", group: str | None = None,
                  token_period: tuple[str, str] | None = None) -> None:
    open_list(page)
    page.get_by_role("button", name="Create policy").click()
    d = dialog(page)
    textbox(d, "Name").fill(name)
    if tokens:
        textbox(d, "Token limit").fill(tokens)
    if token_period:
        textbox(d, "Token limit period count").fill(token_period[0])
        d.get_by_role("combobox", name="Token limit period").select_option(token_period[1])
    if requests:
        textbox(d, "Rate limit").fill(requests)
    if group:
        choose(d, "Groups", group)
    d.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("dialog")).to_have_count(0)


def row(page: Page, name: str) -> Locator:
    return page.get_by_role("grid", name="Policies").get_by_role("row").filter(
        has=page.get_by_role("link", name=name, exact=True))


def kebab(page: Page, name: str, action: str) -> None:
    row(page, name).get_by_role("button", name=f"Actions for {name}").click()
    page.get_by_role("menuitem", name=action, exact=True).click()


# Journeys -------------------------------------------------------------------------------
def test_list_shows_policies_with_status_targets_and_rules(page: Page):
    open_list(page)
    expect(page).to_have_title("Policies | Red Hat OpenShift AI")
    nav = page.get_by_role("navigation", name="Global")
    links = nav.get_by_role("link")
    expect(nav.get_by_role("link", name="Policies")).to_have_attribute("aria-current", "page")
    names = [links.nth(i).inner_text() for i in range(links.count())]
    assert names.index("Policies") == names.index("User management") + 1
    grid = page.get_by_role("grid", name="Policies")
    headers = grid.get_by_role("columnheader")
    expect(headers).to_contain_text(["Name", "Description", "Status", "Targets", "Rules"])
    devs = row(page, "Devs budget standard")
    expect(devs).to_contain_text("Active")
    expect(devs.get_by_text("ai-engineers")).to_be_visible()
    expect(devs.get_by_text("app-developers")).to_be_visible()
    expect(devs.get_by_text("Token limit 200,000 / 1 day")).to_be_visible()
    expect(devs.get_by_text("Budget $250 / month")).to_be_visible()
    expect(row(page, "Large models business hours").get_by_text("Time limit 09:00-17:00")).to_be_visible()
    expect(row(page, "Legacy unlimited trial")).to_contain_text("Inactive")
    expect(row(page, "Service accounts throttle").get_by_text("rag-pipeline-sa")).to_be_visible()
    screenshot(page, "policies-list")
    assert_accessible(page)


def test_search_status_filter_sort_and_no_match(page: Page):
    open_list(page)
    grid = page.get_by_role("grid", name="Policies")
    search = page.get_by_label("Search policies")
    search.fill("budget")
    expect(row(page, "Devs budget standard")).to_have_count(1)
    expect(row(page, "Finance budget cap")).to_have_count(1)
    expect(row(page, "Devs rate limit standard")).to_have_count(0)
    search.fill("")
    # The filter is named by its visible text (axe label-content-name-mismatch), then by what it filters.
    page.get_by_role("button", name="All statuses, status filter", exact=True).click()
    page.get_by_role("option", name="Inactive", exact=True).click()
    expect(page.get_by_role("button", name="Inactive, status filter", exact=True)).to_be_visible()
    expect(row(page, "Legacy unlimited trial")).to_have_count(1)
    expect(row(page, "Devs budget standard")).to_have_count(0)
    search.fill("zzz no such policy")
    expect(page.get_by_role("heading", name="No policies match the filters")).to_be_visible()
    screenshot(page, "policies-no-match")
    page.get_by_role("button", name="Clear all filters").first.click()
    expect(row(page, "Devs budget standard")).to_have_count(1)
    expect(search).to_have_value("")
    first_names = lambda: [r.get_by_role("link").first.inner_text()  # noqa: E731
                           for r in grid.get_by_role("row").all()[1:]]
    assert first_names() == sorted(first_names(), key=str.casefold)
    grid.get_by_role("button", name="Name", exact=True).click()
    expect(grid.get_by_role("columnheader", name="Name", exact=True)).to_have_attribute("aria-sort", "descending")
    assert first_names() == sorted(first_names(), key=str.casefold, reverse=True)
    grid.get_by_role("button", name="Status", exact=True).click()
    expect(grid.get_by_role("row").last).to_contain_text("Inactive")


def test_validation_messages_in_the_modal(page: Page):
    open_list(page)
    page.get_by_role("button", name="Create policy").click()
    d = dialog(page)
    expect(d.get_by_role("group", name="Models", exact=True).get_by_role("combobox")).to_have_attribute(
        "placeholder", "All")
    expect(d.get_by_role("group", name="MCP servers & tools").get_by_role("combobox")).to_have_attribute(
        "placeholder", "All")
    expect(d.get_by_text("This policy will apply to all users in these groups.")).to_be_visible()
    screenshot(page, "policy-create-modal")
    assert_accessible(page)

    create = d.get_by_role("button", name="Create", exact=True)
    expect(create).to_be_disabled()  # nothing typed yet: disabled, and nothing shouts before a field is used
    expect(d.get_by_text("Enter a name for the policy.")).to_have_count(0)
    textbox(d, "Name").fill("x")
    textbox(d, "Name").fill("")
    expect(d.get_by_text("Enter a name for the policy.")).to_be_visible()
    textbox(d, "Token limit").fill("5")
    textbox(d, "Token limit").fill("")
    expect(d.get_by_text("Set at least one limit: a token limit, a rate limit, a time limit or a budget.")).to_be_visible()
    expect(d.get_by_text(re.compile("^No targets: this policy applies to nobody"))).to_be_visible()

    textbox(d, "Name").fill("devs BUDGET standard")
    expect(d.get_by_text('A policy named "devs BUDGET standard" already exists. Choose another name.')).to_be_visible()
    textbox(d, "Name").fill("Journey validation")
    expect(d.get_by_text("Policy ID: journey-validation")).to_be_visible()

    textbox(d, "Token limit").fill("0")
    expect(d.get_by_text("The token limit must be greater than 0.")).to_be_visible()
    textbox(d, "Token limit").fill("1.5")
    expect(d.get_by_text("The token limit must be a whole number, such as 10000.")).to_be_visible()
    textbox(d, "Token limit").fill("10000")
    textbox(d, "Token limit period count").fill("0")
    expect(d.get_by_text("Enter a whole number of periods from 1 to 1,000.")).to_be_visible()
    textbox(d, "Token limit period count").fill("1")
    textbox(d, "Rate limit").fill("-3")
    expect(d.get_by_text("The rate limit must be greater than 0.")).to_be_visible()
    textbox(d, "Rate limit").fill("")

    window = d.get_by_role("radio", name=re.compile("^Only between"))
    window.click()  # controlled by the server state: checked once the round trip is done
    expect(window).to_be_checked()
    d.get_by_role("textbox", name="Start time").fill("17:00")
    d.get_by_role("textbox", name="End time").fill("09:00")
    expect(d.get_by_text("The end time must be after the start time (17:00).")).to_be_visible()
    textbox(d, "Budget").fill("-5")
    expect(d.get_by_text("The budget must be greater than $0. Leave it empty for no limit.")).to_be_visible()
    expect(d.get_by_text("Enter a name for the policy.")).to_have_count(0)
    expect(d.get_by_text("Set at least one limit", exact=False)).to_have_count(0)
    expect(create).to_be_disabled()  # nothing can be saved while invalid
    screenshot(page, "policy-create-modal-errors")
    d.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(row(page, "Journey validation")).to_have_count(0)


def test_create_group_policy_then_details_yaml_keys_deactivate(page: Page):
    name = "Journey finance tokens"
    create_policy(page, name, tokens="5000", token_period=("1", "hour"), requests="30", group="finance-analytics")
    expect(page).to_have_url(re.compile(r"/settings/policies/journey-finance-tokens$"))
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.get_by_text(f'Policy "{name}" created')).to_be_visible()
    expect(page.get_by_role("tab", name="Details")).to_have_attribute("aria-selected", "true")
    details = page.get_by_label("Policy details", exact=True)
    expect(details).to_contain_text("journey-finance-tokens")
    expect(details).to_contain_text("5,000 tokens / 1 hour")
    expect(details).to_contain_text("30 requests / 1 min")
    expect(details.get_by_text("finance-analytics")).to_be_visible()
    screenshot(page, "policy-details")
    assert_accessible(page)

    # The YAML tab, by click then by URL.
    page.get_by_role("tab", name="YAML").click()
    expect(page).to_have_url(re.compile(r"/journey-finance-tokens/yaml$"))
    intro = page.get_by_text(re.compile("^The Kuadrant manifests that would enforce"))
    expect(intro.locator("code")).to_have_text("python -m maas_ui.export --out <dir>")  # code, not backticks
    expect(intro).not_to_contain_text("`")
    code = page.locator("#policy-yaml")
    expect(code).to_contain_text("kind: TokenRateLimitPolicy")
    text = code.inner_text()
    docs = list(yaml.safe_load_all(text))
    assert [d["kind"] for d in docs] == ["AuthPolicy", "RateLimitPolicy", "TokenRateLimitPolicy"]
    tokens = docs[2]["spec"]["limits"]["per-user-tokens"]
    assert tokens["rates"] == [{"limit": 5000, "window": "1h"}]
    assert tokens["when"] == [{"predicate": 'auth.identity.groups.split(",").exists(g, g == "finance-analytics")'}]
    page.get_by_role("button", name="Copy YAML").click()
    expect(page.get_by_text("YAML copied to the clipboard")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == text.rstrip("\n") + "\n" or \
        page.evaluate("navigator.clipboard.readText()").strip() == text.strip()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download YAML").click()
    assert download.value.suggested_filename == "journey-finance-tokens.yaml"
    screenshot(page, "policy-yaml")
    page.reload()
    expect(page.get_by_role("tab", name="YAML")).to_have_attribute("aria-selected", "true")

    # API keys tab: the keys of the group's members.
    page.get_by_role("tab", name="API keys").click()
    expect(page).to_have_url(re.compile(r"/journey-finance-tokens/api-keys$"))
    keys = page.get_by_role("grid", name="API keys this policy applies to")
    expect(keys.get_by_role("row").nth(1)).to_be_visible()
    expect(keys).to_contain_text("finance-analytics")
    screenshot(page, "policy-api-keys")

    # Back in the list with the right rules and targets.
    page.get_by_role("link", name="Policies").first.click()
    r = row(page, name)
    expect(r.get_by_text("Token limit 5,000 / 1 hour")).to_be_visible()
    expect(r.get_by_text("Rate limit 30 / 1 min")).to_be_visible()
    expect(r.get_by_text("finance-analytics")).to_be_visible()
    expect(r).to_contain_text("Active")

    # Deactivate from the row kebab: the API keys tab empties.
    kebab(page, name, "Deactivate")
    expect(r).to_contain_text("Inactive")
    page.goto("/settings/policies/journey-finance-tokens/api-keys")
    expect(page.get_by_role("heading", name="No API keys")).to_be_visible()
    expect(page.get_by_text("This policy is inactive")).to_be_visible()
    # ... and activate again from the details page.
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("menuitem", name="Activate").click()
    expect(page.get_by_role("grid", name="API keys this policy applies to")).to_be_visible()


def test_edit_keeps_the_id(page: Page):
    name = "Journey edit me"
    create_policy(page, name, requests="100", group="data-science")
    page.get_by_role("button", name="Edit", exact=True).click()
    d = dialog(page, "Edit policy")
    expect(textbox(d, "Name")).to_have_value(name)
    expect(textbox(d, "Rate limit")).to_have_value("100")
    expect(d.get_by_text("Policy ID: journey-edit-me (the ID does not change)")).to_be_visible()
    textbox(d, "Name").fill("Journey edited")
    textbox(d, "Rate limit").fill("250")
    d.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("heading", name="Journey edited", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/settings/policies/journey-edit-me$"))
    expect(page.get_by_label("Policy details", exact=True)).to_contain_text("250 requests / 1 min")
    # Edit from the list's kebab opens the same modal, filled in.
    open_list(page)
    kebab(page, "Journey edited", "Edit")
    d = dialog(page, "Edit policy")
    expect(textbox(d, "Rate limit")).to_have_value("250")
    d.get_by_role("button", name="Cancel").click()


def test_delete_needs_the_exact_name(page: Page):
    create_policy(page, "Journey delete from list", requests="10", group="ml-ops")
    open_list(page)
    kebab(page, "Journey delete from list", "Delete")
    d = dialog(page, "Delete policy?")
    confirm = d.get_by_role("button", name="Delete", exact=True)
    expect(confirm).to_be_disabled()
    d.get_by_label("Type the policy name to confirm").fill("journey delete from list")
    expect(confirm).to_be_disabled()
    screenshot(page, "policy-delete-modal")
    assert_accessible(page)
    d.get_by_label("Type the policy name to confirm").fill("Journey delete from list")
    expect(confirm).to_be_enabled()
    confirm.click()
    expect(page.get_by_text('Policy "Journey delete from list" deleted')).to_be_visible()
    expect(row(page, "Journey delete from list")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("grid", name="Policies")).to_be_visible()
    expect(row(page, "Journey delete from list")).to_have_count(0)

    # From the details page: Cancel keeps it, Delete lands on the list.
    create_policy(page, "Journey delete from details", tokens="1000", group="ml-ops")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("menuitem", name="Delete policy").click()
    d = dialog(page, "Delete policy?")
    d.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("heading", name="Journey delete from details", level=1)).to_be_visible()
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("menuitem", name="Delete policy").click()
    d = dialog(page, "Delete policy?")
    d.get_by_label("Type the policy name to confirm").fill("Journey delete from details")
    d.get_by_role("button", name="Delete", exact=True).click()
    expect(page).to_have_url(re.compile(r"/settings/policies$"))
    expect(row(page, "Journey delete from details")).to_have_count(0)
    page.goto("/settings/policies/journey-delete-from-details")
    expect(page.get_by_role("heading", name="Policy not found")).to_be_visible()


def test_unknown_policy_and_unknown_tab(page: Page):
    page.goto("/settings/policies/no-such-policy")
    expect(page.get_by_role("heading", name="Policy not found")).to_be_visible()
    screenshot(page, "policy-not-found")
    assert_accessible(page)
    page.get_by_role("link", name="Back to policies").click()
    expect(page).to_have_url(re.compile(r"/settings/policies$"))
    page.goto("/settings/policies/devs-budget-standard/no-such-tab")
    expect(page.get_by_role("tab", name="Details")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_label("Policy details", exact=True)).to_contain_text("devs-budget-standard")


@needs_key_page
def test_key_policies_tab_follows_group_membership_and_activation(page: Page):
    name = "Journey finance keys"
    create_policy(page, name, requests="15", group="finance-analytics")
    page.get_by_role("tab", name="API keys").click()
    member_key = page.get_by_role("grid", name="API keys this policy applies to").get_by_role("link").first
    member_key_name = member_key.inner_text()
    member_key.click()
    expect(page).to_have_url(re.compile(r"/settings/api-keys/key-[0-9a-f]+/policies$"))
    member_url = page.url
    tab = page.get_by_role("grid", name="Policies applied to this API key")
    expect(tab.get_by_role("link", name=name)).to_be_visible()
    expect(tab.get_by_role("row").filter(has_text=name)).to_contain_text("RateLimitPolicy")
    expect(page.get_by_role("region", name="Effective limits")).to_be_visible()
    screenshot(page, "key-policies-tab")
    assert_accessible(page)
    assert member_key_name

    # A key of a non-member (a service account's) does not list it.
    page.goto("/settings/policies/service-accounts-throttle/api-keys")
    page.get_by_role("grid", name="API keys this policy applies to").get_by_role("link").first.click()
    expect(page.get_by_role("grid", name="Policies applied to this API key").get_by_role(
        "link", name="Service accounts throttle")).to_be_visible()
    expect(page.get_by_role("link", name=name)).to_have_count(0)

    # Deactivated, it leaves the member's tab.
    open_list(page)
    kebab(page, name, "Deactivate")
    expect(row(page, name)).to_contain_text("Inactive")
    page.goto(member_url)
    expect(page.get_by_role("region", name="Effective limits")).to_be_visible()
    expect(page.get_by_role("link", name=name)).to_have_count(0)


def test_reload_and_restart_keep_policies(page: Page, restart_console):
    create_policy(page, "Journey survives restart", tokens="777", group="platform-admins")
    open_list(page)
    kebab(page, "Journey survives restart", "Deactivate")
    expect(row(page, "Journey survives restart")).to_contain_text("Inactive")
    page.reload()
    expect(row(page, "Journey survives restart")).to_contain_text("Inactive")
    restart_console()
    open_list(page)
    r = row(page, "Journey survives restart")
    expect(r).to_contain_text("Inactive")
    expect(r.get_by_text("Token limit 777 / 1 min")).to_be_visible()
    expect(r.get_by_text("platform-admins")).to_be_visible()
    page.goto("/settings/policies/journey-survives-restart/yaml")
    expect(page.locator("#policy-yaml")).to_contain_text("This policy is inactive")


def _member_key_with_two_models(console) -> tuple[str, list[str]]:
    """A seeded key of a finance-analytics member that grants at least two models: (public id, model names)."""
    if console is None:
        pytest.skip("needs the console's own database to pick a key")
    from sqlmodel import select

    from maas_ui import db
    from maas_ui.domain.identity import Actor
    from maas_ui.models import ApiKey, Group, GroupMembership, OwnerKind
    from maas_ui.services import policies as svc

    url = console.env["MAAS_DB_URL"]
    with db.session(url) as s:
        group = s.exec(select(Group).where(Group.name == "finance-analytics")).one()
        members = s.exec(select(GroupMembership.user_id).where(GroupMembership.group_id == group.id)).all()
        keys = s.exec(select(ApiKey).where(ApiKey.owner_kind == OwnerKind.USER, ApiKey.owner_id.in_(members),
                                           ApiKey.deleted_at == None).order_by(ApiKey.id)).all()  # noqa: E711
    for key in keys:
        models = [m.name for m in svc.key_policies(key.public_id, actor=Actor("journey@example.com"), url=url).models]
        if len(models) >= 2:
            return key.public_id, models
    pytest.fail("the seed has no finance-analytics member key granting two models")


@needs_key_page
def test_effective_limits_per_model_every_window_and_the_tightest(page: Page, console):
    key_id, models = _member_key_with_two_models(console)
    scoped_model, other_model = models[0], models[1]
    create_policy(page, "Journey daily tokens", tokens="150", token_period=("1", "day"), group="finance-analytics")
    # A policy scoped to one model binds only that model.
    open_list(page)
    page.get_by_role("button", name="Create policy").click()
    d = dialog(page)
    textbox(d, "Name").fill("Journey scoped tokens")
    textbox(d, "Token limit").fill("100")
    choose(d, "Models", scoped_model)
    choose(d, "Groups", "finance-analytics")
    d.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("dialog")).to_have_count(0)

    page.goto(f"/settings/api-keys/{key_id}/policies")
    expect(page.get_by_role("region", name="Effective limits")).to_be_visible()

    def line(model: str, policy: str) -> Locator:
        return page.get_by_role("grid", name=f"Limits on {model}").get_by_role("row").filter(
            has=page.get_by_role("link", name=policy, exact=True))

    # The scoped model: both windows apply, each with its own tightest.
    expect(line(scoped_model, "Journey scoped tokens")).to_contain_text("100 tokens / 1 min")
    expect(line(scoped_model, "Journey scoped tokens")).to_contain_text("Tightest")
    expect(line(scoped_model, "Journey daily tokens")).to_contain_text("150 tokens / 1 day")
    expect(line(scoped_model, "Journey daily tokens")).to_contain_text("Tightest")
    # The other model: the daily limit applies, the scoped one does not.
    expect(line(other_model, "Journey daily tokens")).to_contain_text("Tightest")
    expect(line(other_model, "Journey scoped tokens")).to_have_count(0)
    # Exactly one limit binds first per kind and window (the key's own per-minute limit, if any, does not).
    per_minute = page.get_by_role("grid", name=f"Limits on {scoped_model}").get_by_role("row").filter(
        has_text="tokens / 1 min")
    expect(per_minute.filter(has_text="Tightest")).to_have_count(1)
    screenshot(page, "key-policies-effective-limits-per-model")
    assert_accessible(page)

    page.reload()  # the tab and its figures come back from the URL
    expect(line(scoped_model, "Journey scoped tokens")).to_contain_text("Tightest")
