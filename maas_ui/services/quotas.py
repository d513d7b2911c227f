"""Quotas of a key: its tier, and for each budget in force the current period, what was consumed
in it, what remains and when it renews; and the alerts that consumption raises (80/90/100 %),
stored once per threshold, limit and period for the key's owner and the admins.

Consumption is read from the usage rollups (hourly), counted the way the limit counts: a key's
own budget over that key, a policy budget over every key of the same owner (per model when the
policy is scoped to models). No Reflex import.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func
from sqlmodel import Session, select

from maas_ui import db
from maas_ui.domain import limits as lim
from maas_ui.domain import renewals as rn
from maas_ui.domain.identity import Actor
from maas_ui.domain.policies import GROUP, USER, money_label
from maas_ui.domain.tiers import key_tier
from maas_ui.models import ApiKey, GroupMembership, KeyStatus, Notification, UsageRollup, User
from maas_ui.services import policies as policy_svc
from maas_ui.services.access import admin_usernames
from maas_ui.services.tiers import all_tier_facts


@dataclass(frozen=True)
class QuotaStatus:
    """One budget in force for a key, in its current period."""

    source_name: str  # "Key limit", the policy's name
    source_label: str  # "key limit", the policy ID
    kind: str  # budget
    model: str  # the model it counts on ("" when across all models)
    amount: float
    amount_label: str  # "$250 / month"
    behavior: str  # hard | soft
    behavior_label: str  # "Hard throttle" | "Soft throttle"
    rule_label: str  # "Monthly on day 1 (UTC)"
    period_label: str  # "1 Jun 2026 to 30 Jun 2026"
    renews_on: str  # "1 Jul 2026", or "Does not renew"
    period_key: str
    consumed: float
    consumed_label: str
    remaining_label: str
    percent: int  # of the amount, rounded down
    threshold: int  # the highest alert threshold reached (0: none)


@dataclass(frozen=True)
class KeyQuotas:
    tier_name: str  # "" when the owner has no tier
    tier_slug: str
    quotas: tuple[QuotaStatus, ...]

    @property
    def warning(self) -> str:
        """The inline warning of the key's pages ("" when every quota is under 80 %)."""
        hot = [q for q in self.quotas if q.threshold]
        if not hot:
            return ""
        worst = max(hot, key=lambda q: q.percent)
        what = "reached" if worst.threshold >= 100 else f"over {worst.threshold} % of"
        return (f"{worst.source_name}: {worst.consumed_label} used, {what} the budget of {worst.amount_label}"
                f" ({worst.percent} %). It renews on {worst.renews_on}." if worst.renews_on != "Does not renew"
                else f"{worst.source_name}: {worst.consumed_label} used, {what} the budget of {worst.amount_label}.")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _spent(s: Session, key: ApiKey, limit: lim.Limit, asset_id: int | None, period: rn.Period) -> float:
    stmt = select(func.coalesce(func.sum(UsageRollup.cost_usd), 0.0)).join(ApiKey, ApiKey.id == UsageRollup.key_id)
    stmt = stmt.where(UsageRollup.hour_start >= period.start, UsageRollup.hour_start < period.end)
    if limit.key_level:
        stmt = stmt.where(UsageRollup.key_id == key.id)
    else:  # counted per identity: every key of the same owner
        stmt = stmt.where(ApiKey.owner_kind == key.owner_kind, ApiKey.owner_id == key.owner_id)
    if asset_id is not None:
        stmt = stmt.where(UsageRollup.asset_id == asset_id)
    return float(s.exec(stmt).one() or 0.0)


def _status(s: Session, key: ApiKey, limit: lim.Limit, model, now: datetime) -> QuotaStatus:
    rule = limit.renewal or rn.CALENDAR_MONTH
    period = rn.current_period(rule, now)
    per_model = limit.per_model and model is not None
    consumed = _spent(s, key, limit, model.id if per_model else None, period) if period.started else 0.0
    amount = float(limit.amount or 0)
    reached = rn.thresholds_reached(consumed, amount) if period.started and not period.ended else ()
    last_day = (period.end.astimezone(rule.zone) - timedelta(seconds=1)).date()
    return QuotaStatus(
        source_name="Key limit" if limit.key_level else limit.source_name, source_label=limit.source_label,
        kind=limit.kind, model=model.name if per_model else "", amount=amount, amount_label=limit.label,
        behavior=limit.behavior, behavior_label=limit.behavior_label, rule_label=rule.label,
        period_label=f"{rn.days_label(period.start.astimezone(rule.zone).date())} to {rn.days_label(last_day)}",
        renews_on=rn.days_label(period.renews_on) if period.renews_on else "Does not renew",
        period_key=period.key, consumed=consumed, consumed_label=money_label(round(consumed, 2)),
        remaining_label=money_label(round(max(amount - consumed, 0.0), 2)),
        percent=int(rn.percent_used(consumed, amount)), threshold=max(reached, default=0),
    )


def _key_quotas(s: Session, key: ApiKey, now: datetime) -> KeyQuotas:
    facts = policy_svc._key_facts(s, [key])[key.id]
    tiers = all_tier_facts(s)
    tier = key_tier(tiers, facts)
    seen: set[str] = set()
    quotas = []
    models = lim.effective_limits(policy_svc._all_policy_facts(s), facts, tiers)
    budgets = [(m.model, x) for m in models for x in m.limits if x.kind == lim.BUDGET.name]
    if not models and facts.budget_usd:  # a key with no model still has its own budget
        budgets = [(None, x) for x in lim.key_limits(facts) if x.kind == lim.BUDGET.name]
    for model, limit in budgets:
        counter = f"{limit.source_label}:{model.identifier if limit.per_model and model else '*'}"
        if counter in seen:
            continue
        seen.add(counter)
        quotas.append(_status(s, key, limit, model, now))
    return KeyQuotas(tier_name=tier.name if tier else "", tier_slug=tier.slug if tier else "", quotas=tuple(quotas))


def key_quotas(public_id: str, *, actor: Actor, url: str | None = None, now: datetime | None = None) -> KeyQuotas | None:
    with db.session(url) as s:
        key = s.exec(select(ApiKey).where(ApiKey.public_id == public_id, ApiKey.deleted_at == None)).first()  # noqa: E711
        return None if key is None else _key_quotas(s, key, now or _now())


# Alerts ------------------------------------------------------------------------------------
def _recipients(s: Session, key: ApiKey) -> list[str]:
    kind = key.owner_kind.value if hasattr(key.owner_kind, "value") else str(key.owner_kind)
    people = set(admin_usernames(s))
    if kind == USER:
        people.update(s.exec(select(User.username).where(User.id == key.owner_id)).all())
    elif kind == GROUP:
        people.update(s.exec(select(User.username).join(GroupMembership, GroupMembership.user_id == User.id)
                             .where(GroupMembership.group_id == key.owner_id)).all())
    return sorted(people)


def _alert_text(key: ApiKey, q: QuotaStatus, threshold: int) -> tuple[str, str]:
    title = (f"Budget reached on {key.name}" if threshold >= 100 else f"{threshold} % of the budget used on {key.name}")
    scope = f" on {q.model}" if q.model else ""
    body = (f"{q.source_name}{scope}: {q.consumed_label} of {q.amount_label} used in {q.period_label}. "
            + (f"{'Requests are rejected' if q.behavior == 'hard' else 'Requests are flagged'} until it renews on "
               f"{q.renews_on}." if threshold >= 100 and q.renews_on != "Does not renew"
               else (f"It renews on {q.renews_on}." if q.renews_on != "Does not renew" else "")))
    return title, body.strip()


def _raise_alerts(s: Session, key: ApiKey, now: datetime) -> int:
    """Store the notifications this key's consumption calls for and that do not exist yet."""
    created = 0
    recipients: list[str] | None = None
    for q in _key_quotas(s, key, now).quotas:
        for threshold in (t for t in rn.ALERT_THRESHOLDS if t <= q.threshold):
            recipients = recipients if recipients is not None else _recipients(s, key)
            existing = set(s.exec(select(Notification.recipient).where(
                Notification.key_public_id == key.public_id, Notification.limit_source == q.source_label,
                Notification.limit_kind == q.kind, Notification.threshold == threshold,
                Notification.period_key == q.period_key)).all())
            title, body = _alert_text(key, q, threshold)
            for person in recipients:
                if person not in existing:
                    s.add(Notification(recipient=person, key_public_id=key.public_id, limit_source=q.source_label,
                                       limit_kind=q.kind, threshold=threshold, period_key=q.period_key, title=title,
                                       body=body, created_at=now))
                    created += 1
    return created


def check_key(public_id: str, *, url: str | None = None, now: datetime | None = None) -> int:
    """After traffic on one key (the gateway's recorder): raise the alerts it crossed."""
    with db.session(url) as s:
        key = s.exec(select(ApiKey).where(ApiKey.public_id == public_id, ApiKey.deleted_at == None)).first()  # noqa: E711
        if key is None:
            return 0
        n = _raise_alerts(s, key, now or _now())
        s.commit()
        return n


def check_key_id(key_id: int, *, url: str | None = None, now: datetime | None = None) -> int:
    """The gateway's recorder, after writing traffic of this key (by its row id)."""
    with db.session(url) as s:
        key = s.get(ApiKey, key_id)
        if key is None or key.deleted_at is not None:
            return 0
        n = _raise_alerts(s, key, now or _now())
        s.commit()
        return n


def check_all(*, url: str | None = None, now: datetime | None = None) -> int:
    """The periodic check: every active key's budgets. Returns how many notifications were created."""
    now = now or _now()
    with db.session(url) as s:
        keys = s.exec(select(ApiKey).where(ApiKey.deleted_at == None, ApiKey.status == KeyStatus.ACTIVE)).all()  # noqa: E711
        n = sum(_raise_alerts(s, k, now) for k in keys)
        s.commit()
        return n


_last_check: dict[str, float] = {}
_check_lock = threading.Lock()
CHECK_EVERY_SECONDS = 60.0


def check_all_now_and_then(*, url: str | None = None) -> None:
    """The periodic check, at most once a minute per database (pages call it as they load)."""
    key = url or "default"
    with _check_lock:
        if time.monotonic() - _last_check.get(key, -CHECK_EVERY_SECONDS) < CHECK_EVERY_SECONDS:
            return
        _last_check[key] = time.monotonic()
    check_all(url=url)
