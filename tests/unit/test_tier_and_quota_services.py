"""Tiers, quotas and alerts through the services, on the seeded database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from maas_ui import db
from maas_ui.domain.identity import Actor
from maas_ui.domain.roles import PLATFORM_ADMIN
from maas_ui.domain.tiers import TierForm
from maas_ui.models import AiAsset, ApiKey, AuditLog, Group, GroupMembership, Notification, OwnerKind, UsageRollup, User
from maas_ui.services import notifications, policies, quotas, tiers
from maas_ui.services.access import AccessDenied
from tests.unit.policy_fixtures import policy_template_db, seeded_url  # noqa: F401 (fixtures)

ADMIN = Actor("tier-admin@example.com", role=PLATFORM_ADMIN)
STRANGER = Actor("someone-else@example.com")


def _group_id(url: str, name: str) -> int:
    with db.session(url) as s:
        return s.exec(select(Group.id).where(Group.name == name)).one()


def test_seeded_tiers_highest_level_first(seeded_url):
    rows = tiers.list_tiers(actor=ADMIN, url=seeded_url)
    assert [(r.name, r.level) for r in rows] == [("Enterprise", 20), ("Premium", 10), ("Free", 0)]
    assert rows[1].groups == ("ai-engineers", "data-science") and rows[1].members > 0
    assert [r.name for r in tiers.list_tiers("finance", actor=ADMIN, url=seeded_url)] == ["Free"]


def test_create_edit_delete_a_tier_is_audited_and_admin_only(seeded_url):
    form = TierForm(name="Gold Plus", level="15", group_ids=[_group_id(seeded_url, "data-science")],
                    token_limit="250,000", request_limit="500")
    with pytest.raises(AccessDenied):
        tiers.create_tier(form, actor=STRANGER, url=seeded_url)
    slug = tiers.create_tier(form, actor=ADMIN, url=seeded_url)
    assert slug == "gold-plus"
    detail = tiers.get_tier(slug, actor=ADMIN, url=seeded_url)
    assert detail.token_label == "250,000 tokens / 1 min" and detail.row.groups == ("data-science",)
    assert "tier-gold-plus-" in detail.yaml_text
    with pytest.raises(tiers.TierInvalid) as err:
        tiers.update_tier(slug, TierForm(name="premium", level="10", token_limit="1"), actor=ADMIN, url=seeded_url)
    assert set(err.value.errors) == {"name", "level"}
    tiers.update_tier(slug, TierForm(name="Gold Plus", level="16", request_limit="700"), actor=ADMIN, url=seeded_url)
    detail = tiers.get_tier(slug, actor=ADMIN, url=seeded_url)
    assert (detail.row.level, detail.token_label, detail.row.groups) == (16, "No limit", ())
    assert tiers.delete_tier(slug, actor=ADMIN, url=seeded_url) == "Gold Plus"
    assert tiers.get_tier(slug, actor=ADMIN, url=seeded_url) is None
    with db.session(seeded_url) as s:
        actions = s.exec(select(AuditLog.action).where(AuditLog.entity_id == slug).order_by(AuditLog.id)).all()
    assert actions == ["tier.create", "tier.update", "tier.delete"]
    # A tier that still covers groups deletes too (its group links first).
    assert tiers.delete_tier("premium", actor=ADMIN, url=seeded_url) == "Premium"
    assert [r.name for r in tiers.list_tiers(actor=ADMIN, url=seeded_url)] == ["Enterprise", "Free"]


def _user_key_in(url: str, group: str) -> tuple[str, str]:
    """A user-owned key whose owner is in `group` and in no tier above it."""
    with db.session(url) as s:
        gid = s.exec(select(Group.id).where(Group.name == group)).one()
        members = set(s.exec(select(GroupMembership.user_id).where(GroupMembership.group_id == gid)).all())
        for key in s.exec(select(ApiKey).where(ApiKey.owner_kind == OwnerKind.USER, ApiKey.deleted_at == None)):  # noqa: E711
            if key.owner_id in members:
                return key.public_id, key.name
    raise AssertionError("no such key")


def test_key_policies_include_its_tier_limits(seeded_url):
    public_id, _ = _user_key_in(seeded_url, "platform-admins")
    kp = policies.key_policies(public_id, actor=ADMIN, url=seeded_url)
    sources = {(line.source_name, line.label, line.behavior_label) for m in kp.models for line in m.limits}
    assert ("tier Enterprise", "1,000,000 tokens / 1 min", "Hard throttle") in sources
    assert quotas.key_quotas(public_id, actor=ADMIN, url=seeded_url).tier_name == "Enterprise"


def _spend(url: str, public_id: str, at: datetime, usd: float) -> None:
    with db.session(url) as s:
        key = s.exec(select(ApiKey).where(ApiKey.public_id == public_id)).one()
        asset = s.exec(select(AiAsset)).first()
        hour = at.replace(minute=0, second=0, microsecond=0)
        row = s.exec(select(UsageRollup).where(UsageRollup.key_id == key.id, UsageRollup.asset_id == asset.id,
                                               UsageRollup.hour_start == hour)).first()
        if row is None:
            row = UsageRollup(key_id=key.id, asset_id=asset.id, hour_start=hour)
        row.cost_usd = (row.cost_usd or 0) + usd
        key.budget_usd = 10.0  # the key's own budget: per calendar month, UTC
        s.add_all([row, key])
        s.commit()


def _seeded_admin(url: str) -> Actor:
    """A member of the admin group: admins get a copy of every alert."""
    from maas_ui import db
    from maas_ui.services.access import admin_usernames

    with db.session(url) as s:
        return Actor(admin_usernames(s)[0], role=PLATFORM_ADMIN)


def test_alerts_once_per_threshold_and_period_and_renewal_resets_consumption(seeded_url):
    public_id, name = _user_key_in(seeded_url, "app-developers")
    now = datetime(2026, 7, 20, 10, tzinfo=timezone.utc)  # after the seeded usage: a quiet month
    _spend(seeded_url, public_id, now - timedelta(hours=2), 8.5)
    q = next(x for x in quotas.key_quotas(public_id, actor=ADMIN, url=seeded_url, now=now).quotas
             if x.source_label == "key limit")
    assert (q.consumed_label, q.remaining_label, q.percent, q.threshold) == ("$8.50", "$1.50", 85, 80)
    assert (q.period_label, q.renews_on) == ("1 Jul 2026 to 31 Jul 2026", "1 Aug 2026")
    assert "85 %" in quotas.key_quotas(public_id, actor=ADMIN, url=seeded_url, now=now).warning

    assert quotas.check_key(public_id, url=seeded_url, now=now) > 0
    assert quotas.check_key(public_id, url=seeded_url, now=now) == 0  # once per threshold and period
    inbox = notifications.inbox(actor=_seeded_admin(seeded_url), url=seeded_url)
    assert inbox.unread == 1 and inbox.rows[0].title == f"80 % of the budget used on {name}"

    _spend(seeded_url, public_id, now - timedelta(hours=1), 2.0)  # $10.50: 90 % and 100 %
    quotas.check_key(public_id, url=seeded_url, now=now)
    inbox = notifications.inbox(actor=_seeded_admin(seeded_url), url=seeded_url)
    assert [r.threshold for r in inbox.rows] == [100, 90, 80] and inbox.unread == 3
    assert inbox.rows[0].variant == "danger"
    with db.session(seeded_url) as s:  # the owner got them too
        owner = s.exec(select(User.username).join(ApiKey, ApiKey.owner_id == User.id)
                       .where(ApiKey.public_id == public_id)).one()
        assert len(s.exec(select(Notification).where(Notification.recipient == owner)).all()) == 3

    assert not notifications.mark_read(inbox.rows[0].id, actor=STRANGER, url=seeded_url)
    assert notifications.mark_read(inbox.rows[0].id, actor=_seeded_admin(seeded_url), url=seeded_url)
    assert notifications.inbox(actor=_seeded_admin(seeded_url), url=seeded_url).unread == 2
    assert notifications.mark_all_read(actor=_seeded_admin(seeded_url), url=seeded_url) == 2
    assert notifications.inbox(actor=_seeded_admin(seeded_url), url=seeded_url).unread == 0

    # Time moves to the next month: the count starts over, and no new alert is due.
    later = datetime(2026, 8, 1, 0, 30, tzinfo=timezone.utc)
    q = next(x for x in quotas.key_quotas(public_id, actor=ADMIN, url=seeded_url, now=later).quotas
             if x.source_label == "key limit")
    assert (q.consumed_label, q.threshold, q.renews_on) == ("$0", 0, "1 Sep 2026")
    assert quotas.check_key(public_id, url=seeded_url, now=later) == 0


def test_policy_renewal_round_trips_through_the_form(seeded_url):
    form = policies.policy_form("finance-budget-cap", actor=ADMIN, url=seeded_url)
    assert (form.renewal_kind, form.renewal_weekday, form.renewal_timezone) == ("weekly", "0", "America/New_York")
    form.renewal_kind, form.renewal_day, form.renewal_timezone = "monthly", "15", "Europe/Paris"
    policies.update_policy("finance-budget-cap", form, actor=ADMIN, url=seeded_url)
    detail = policies.get_policy("finance-budget-cap", actor=ADMIN, url=seeded_url)
    assert detail.facts.renewal.label == "Monthly on day 15 (Europe/Paris)"
    form.renewal_timezone = "Nowhere/Land"
    with pytest.raises(policies.ValidationError) as err:
        policies.update_policy("finance-budget-cap", form, actor=ADMIN, url=seeded_url)
    assert "renewal_timezone" in err.value.errors
