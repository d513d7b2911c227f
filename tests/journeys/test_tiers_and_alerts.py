"""Journeys: tiers end to end (list, create, edit, details, YAML, a key shows its tier and the tier's
limits), and budget alerts in the masthead's notification drawer (unread count, mark read, the key's
inline warning). Axe on the new pages, the drawer and the modal, light and dark.

The console is shared by the session: these journeys create their own tier ("Journey ...") and
raise alerts on one key's own budget only.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from tests.journeys.conftest import assert_accessible, screenshot

LIST = "/settings/tiers"
DARK = re.compile(r"(^|\s)pf-v6-theme-dark(\s|$)")


def _dialog(page: Page, name: str) -> Locator:
    d = page.get_by_role("dialog", name=name)
    expect(d).to_be_visible()
    return d


def _choose_group(d: Locator, group: str) -> None:
    box = d.get_by_role("group", name="Groups", exact=True).get_by_role("combobox")
    box.click()
    box.fill(group)
    d.page.get_by_role("option", name=group, exact=True).click()
    box.fill("")
    d.get_by_role("heading", name=re.compile("tier$")).first.click()  # closes the menu
    expect(d.page.get_by_role("listbox")).to_have_count(0)


def _dark(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^User menu")).click()
    page.get_by_role("menuitem", name=re.compile("^Dark theme")).click()
    expect(page.locator("html")).to_have_class(DARK)
    _settled(page)


def _settled(page: Page) -> None:
    """No CSS transition under way (colours mid-transition would be judged by axe)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def _key_in_group(console, group: str) -> str:
    """A seeded active user key whose owner is a member of `group`."""
    if console is None:
        pytest.skip("needs the console's own database to pick a key")
    from sqlmodel import select

    from maas_ui import db
    from maas_ui.models import ApiKey, Group, GroupMembership, KeyStatus, OwnerKind

    url = console.env["MAAS_DB_URL"]
    with db.session(url) as s:
        gid = s.exec(select(Group.id).where(Group.name == group)).one()
        memberships = s.exec(select(GroupMembership)).all()
        groups_of: dict[int, set[int]] = {}
        for m in memberships:
            groups_of.setdefault(m.user_id, set()).add(m.group_id)
        for key in s.exec(select(ApiKey).where(ApiKey.owner_kind == OwnerKind.USER, ApiKey.deleted_at == None,  # noqa: E711
                                               ApiKey.status == KeyStatus.ACTIVE).order_by(ApiKey.id)):
            if gid in groups_of.get(key.owner_id, set()):
                return key.public_id
    pytest.fail(f"the seed has no key of a member of {group}")


def test_seeded_tiers_list_and_axe(page: Page):
    page.goto(LIST)
    expect(page.get_by_role("heading", name="Tiers", level=1)).to_be_visible()
    grid = page.get_by_role("grid", name="Tiers")
    rows = grid.get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Enterprise")
    expect(rows.nth(2)).to_contain_text("Premium")
    expect(rows.nth(3)).to_contain_text("Free")
    expect(rows.nth(2)).to_contain_text("100,000 tokens / 1 min")
    expect(page.get_by_role("link", name="Tiers")).to_have_attribute("aria-current", "page")
    page.get_by_label("Search tiers").fill("finance")
    expect(grid.get_by_role("row")).to_have_count(2)
    expect(grid).to_contain_text("Free")
    page.get_by_label("Search tiers").fill("")
    screenshot(page, "tiers-list")
    assert_accessible(page)


def test_tier_end_to_end_create_edit_details_yaml_and_the_key_shows_it(page: Page, console):
    key_id = _key_in_group(console, "finance-analytics")
    page.goto(f"/settings/api-keys/{key_id}")
    tier_before = page.locator("dd").filter(has=page.get_by_role("link", name=re.compile("^(Free|Premium|Enterprise)$")))
    expect(tier_before).to_have_count(1)
    tier_before_name = tier_before.inner_text().strip()
    page.goto(LIST)
    page.get_by_role("button", name="Create tier").click()
    d = _dialog(page, "Create tier")
    d.get_by_role("textbox", name="Name", exact=True).fill("Journey Gold")
    d.get_by_role("textbox", name="Level", exact=True).fill("10")  # taken by Premium
    d.get_by_role("textbox", name="Level", exact=True).blur()
    expect(d.locator("#tier-level-error")).to_contain_text("Another tier has level 10")
    d.get_by_role("textbox", name="Level", exact=True).fill("30")
    d.get_by_role("textbox", name="Token limit", exact=True).fill("5,000")
    d.get_by_role("textbox", name="Rate limit", exact=True).fill("12")
    _choose_group(d, "finance-analytics")
    screenshot(page, "tier-create-modal")
    assert_accessible(page)
    d.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("dialog")).to_have_count(0)

    # Its details page.
    expect(page).to_have_url(re.compile(r"/settings/tiers/journey-gold$"))
    expect(page.get_by_role("heading", name="Journey Gold", level=1)).to_be_visible()
    details = page.get_by_role("region", name="Tier details") if page.get_by_role(
        "region", name="Tier details").count() else page.locator("dl").first
    expect(details).to_contain_text("5,000 tokens / 1 min")
    expect(details).to_contain_text("12 requests / 1 min")
    expect(details).to_contain_text("finance-analytics")
    expect(details).to_contain_text("30")

    # Edit: the rate limit changes, the ID stays.
    page.get_by_role("button", name="Edit", exact=True).click()
    d = _dialog(page, "Edit tier")
    d.get_by_role("textbox", name="Rate limit", exact=True).fill("24")
    d.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator("dl").first).to_contain_text("24 requests / 1 min")
    expect(page).to_have_url(re.compile(r"/settings/tiers/journey-gold$"))
    screenshot(page, "tier-details")
    assert_accessible(page)

    # YAML: per-user counters on each model's route, for the tier's members.
    page.get_by_role("tab", name="YAML").click()
    expect(page).to_have_url(re.compile(r"/settings/tiers/journey-gold/yaml$"))
    code = page.locator("#tier-yaml")
    expect(code).to_contain_text("TokenRateLimitPolicy")
    docs = list(yaml.safe_load_all(code.inner_text()))
    assert docs and all(doc["spec"]["targetRef"]["kind"] == "HTTPRoute" for doc in docs)
    limit = next(iter(docs[0]["spec"]["limits"].values()))
    assert limit["counters"] == [{"expression": "auth.identity.userid"}]
    assert "finance-analytics" in limit["when"][0]["predicate"]
    assert {doc["kind"] for doc in docs} == {"RateLimitPolicy", "TokenRateLimitPolicy"}
    screenshot(page, "tier-yaml")
    assert_accessible(page)

    # The key of a finance-analytics member is now in Journey Gold (the highest level of its groups).
    page.goto(f"/settings/api-keys/{key_id}")
    expect(page.get_by_role("link", name="Journey Gold")).to_be_visible()
    page.goto(f"/settings/api-keys/{key_id}/policies")
    expect(page.get_by_role("region", name="Effective limits")).to_be_visible()
    tier_line = page.get_by_role("row").filter(has=page.get_by_role("link", name="tier Journey Gold")).first
    expect(tier_line).to_contain_text("5,000 tokens / 1 min")
    expect(tier_line).to_contain_text("Hard throttle")

    # After a reload the tier is still there; deleting it puts the key back in its former tier.
    page.goto(LIST)
    page.reload()
    row = page.get_by_role("grid", name="Tiers").get_by_role("row").filter(has_text="Journey Gold")
    row.get_by_role("button", name="Actions for Journey Gold").click()
    page.get_by_role("menuitem", name="Delete").click()
    d = _dialog(page, "Delete tier?")
    d.get_by_role("textbox", name="Type the tier name to confirm").fill("Journey Gold")
    d.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_role("grid", name="Tiers")).not_to_contain_text("Journey Gold")
    page.goto(f"/settings/api-keys/{key_id}")
    expect(page.get_by_role("link", name=tier_before_name, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Journey Gold")).to_have_count(0)


def test_unknown_tier_is_an_empty_state_with_a_way_back(page: Page):
    page.goto("/settings/tiers/no-such-tier/yaml")
    expect(page.get_by_role("heading", name="Tier not found")).to_be_visible()
    page.get_by_role("link", name="Back to tiers").click()
    expect(page.get_by_role("heading", name="Tiers", level=1)).to_be_visible()


def _overspend(console, key_id: str) -> None:
    """Traffic on the key this hour that takes it to 92 % of its own monthly budget, then the
    recorder's check (as the gateway does after recording)."""
    from sqlmodel import select

    from maas_ui import db
    from maas_ui.models import AiAsset, ApiKey, UsageRollup
    from maas_ui.services import quotas

    url = console.env["MAAS_DB_URL"]
    hour = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    from maas_ui.domain.identity import Actor
    from maas_ui.domain.roles import PLATFORM_ADMIN

    with db.session(url) as s:
        key = s.exec(select(ApiKey).where(ApiKey.public_id == key_id)).one()
        key.budget_usd = 1_000_000.0
        s.add(key)
        s.commit()
    already = next(q.consumed for q in quotas.key_quotas(key_id, actor=Actor("journey@example.com", role=PLATFORM_ADMIN), url=url).quotas
                   if q.source_label == "key limit")
    with db.session(url) as s:
        key = s.exec(select(ApiKey).where(ApiKey.public_id == key_id)).one()
        key.budget_usd = round((already + 4.6) / 0.92, 2)
        asset = s.exec(select(AiAsset).order_by(AiAsset.id)).first()
        row = s.exec(select(UsageRollup).where(UsageRollup.key_id == key.id, UsageRollup.asset_id == asset.id,
                                               UsageRollup.hour_start == hour)).first()
        row = row or UsageRollup(key_id=key.id, asset_id=asset.id, hour_start=hour)
        row.requests, row.cost_usd = (row.requests or 0) + 40, (row.cost_usd or 0) + 4.6
        s.add_all([key, row])
        s.commit()
    assert quotas.check_key(key_id, url=url) >= 2  # 80 % and 90 %, for the owner and the admins


def test_alerts_in_the_notification_drawer_and_the_keys_warning(page: Page, console):
    if console is None:
        pytest.skip("needs the console's own database to record traffic")
    key_id = _key_in_group(console, "app-developers")
    page.goto(f"/settings/api-keys/{key_id}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    key_name = page.get_by_role("heading", level=1).inner_text()
    _overspend(console, key_id)

    page.reload()
    badge = page.get_by_role("button", name=re.compile(r"^Notifications, \d+ unread"))
    expect(badge).to_be_visible()
    unread = int(re.search(r"(\d+) unread", badge.get_attribute("aria-label")).group(1))
    assert unread >= 2
    # The key's inline warning, and its budgets with period and renewal.
    expect(page.get_by_text(re.compile(r"Key limit: \$[\d.,]+ used, over 90 % of the budget of \$[\d.,]+ / month \(9[12] %\)"))).to_be_visible()
    budgets = page.get_by_role("grid", name="Budgets in the current period")
    expect(budgets.get_by_role("row").filter(has_text="Key limit")).to_contain_text(re.compile(r"9[12] %"))
    expect(budgets).to_contain_text("Renews on")
    screenshot(page, "key-budget-warning")

    badge.click()
    drawer = page.get_by_role("heading", name="Notifications", exact=True)
    expect(drawer).to_be_visible()
    items = page.get_by_role("list", name="Notifications").get_by_role("listitem")
    expect(items.filter(has_text=f"90 % of the budget used on {key_name}")).to_have_count(1)
    expect(items.filter(has_text=f"80 % of the budget used on {key_name}")).to_have_count(1)
    screenshot(page, "notification-drawer")
    assert_accessible(page)

    # Mark one read: the count goes down by one, and stays so after a reload.
    items.filter(has_text=f"90 % of the budget used on {key_name}").get_by_role("button", name=re.compile("^Mark read")).click()
    expect(page.get_by_role("button", name=f"Notifications, {unread - 1} unread")).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name=f"Notifications, {unread - 1} unread")).to_be_visible()

    # Mark all read, then dark mode: the drawer and the key page stay accessible.
    page.get_by_role("button", name=re.compile("^Notifications")).click()
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("button", name="Notifications", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Mark all read")).to_have_count(0)
    _dark(page)
    assert_accessible(page)
    page.get_by_role("button", name="Notifications", exact=True).click()
    expect(page.get_by_role("button", name="Mark all read")).to_be_visible()
    _settled(page)
    assert_accessible(page)
    page.get_by_role("button", name="Close notifications").click()
    for url, ready in ((LIST, page.get_by_role("grid", name="Tiers")),
                       (f"{LIST}/premium", page.get_by_role("tab", name="Details", selected=True)),
                       (f"{LIST}/premium/yaml", page.locator("#tier-yaml"))):
        page.goto(url)
        expect(page.locator("html")).to_have_class(DARK)
        expect(ready).to_be_visible()
        _settled(page)  # the nav's current-item colours settle
        assert_accessible(page)
    screenshot(page, "tier-yaml-dark")
