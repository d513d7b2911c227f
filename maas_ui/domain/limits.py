"""Kinds of limit, and the limits in force for a key on each model it grants.

One table of limit kinds (`LIMIT_KINDS`) that the policy form, the details pages, the effective
limits, the Kuadrant manifests and the gateway iterate over: a new kind of limit is one entry
here (plus its columns and a migration).

Semantics follow Kuadrant, so what the gateway enforces is what the exported manifests would:
- every window of every applicable limit applies at once (10,000 tokens / 1 min and
  200,000 tokens / 1 day are both enforced); the tightest of one (kind, window) binds first;
- a policy limit is counted per identity (the key owner's user id, as `auth.identity.userid`):
  per model when the policy is scoped to assets (one HTTPRoute policy per model), across all
  models when it is unrestricted (one Gateway policy). A key's own limits count per key;
- requests are counted before the call, tokens after it (from the reported usage);
- a tier's limits count per user and per model, for the members of the key owner's tier
  (domain.tiers: the highest level among the owner's groups);
- budgets (USD per period, renewed by a rule: domain.renewals) and time-of-day windows (UTC) are
  enforced by the console's gateway: Kuadrant has neither.

Pure logic: no database, no Reflex.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from maas_ui.domain.policies import (
    GROUP,
    KEY_LEVEL_NAME,
    MODEL,
    RATE_LIMIT_POLICY,
    SERVICE_ACCOUNT,
    TOKEN_RATE_LIMIT_POLICY,
    AssetRef,
    KeyFacts,
    PolicyFacts,
    match_reasons,
    money_label,
    window_label,
)
from maas_ui.domain.renewals import CALENDAR_MONTH, FIXED, WEEKLY, RenewalRule
from maas_ui.domain.tiers import TierFacts, key_tier

UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
MONTH = "month"  # a calendar month (UTC): budgets renew on the 1st


@dataclass(frozen=True)
class LimitKind:
    """One kind of limit: how it is called, counted and stored."""

    name: str  # tokens | requests | time_window | budget
    label: str  # the form's and the Rules column's label
    noun: str  # what is counted ("tokens", "requests", "USD"; "" for a time window)
    windowed: bool  # a count per window of minutes/hours/days (tokens, requests)
    counted_after_call: bool  # tokens are known from the response; everything else is checked before
    field_prefix: str  # its fields on a policy row / form: token_limit, token_window_value, ...
    kuadrant_kind: str | None  # the Kuadrant policy that enforces it (None: the console's gateway does)
    help: str


TOKENS = LimitKind(
    "tokens", "Token limit", "tokens", True, True, "token", TOKEN_RATE_LIMIT_POLICY,
    "Total input and output tokens per period, counted from each response's usage.",
)
REQUESTS = LimitKind(
    "requests", "Rate limit", "requests", True, False, "request", RATE_LIMIT_POLICY,
    "Requests per period, counted before each call.",
)
TIME_WINDOW = LimitKind(
    "time_window", "Time limit", "", False, False, "time_window", None,
    "Calls are allowed only between the start and end time (UTC).",
)
BUDGET = LimitKind(
    "budget", "Budget", "USD", False, False, "budget", None,
    "Cost in US dollars per period; the count starts over when the period renews.",
)
# The order of the Rules column, the form and the effective limits.
LIMIT_KINDS: tuple[LimitKind, ...] = (TOKENS, REQUESTS, TIME_WINDOW, BUDGET)
KIND_BY_NAME = {k.name: k for k in LIMIT_KINDS}


@dataclass(frozen=True)
class Window:
    """A counting period: N minutes, hours or days, or the calendar month."""

    value: int
    unit: str  # minute | hour | day | month

    @property
    def seconds(self) -> int | None:
        """Length in seconds (None for the calendar month, whose length varies)."""
        return self.value * UNIT_SECONDS[self.unit] if self.unit in UNIT_SECONDS else None

    @property
    def label(self) -> str:
        return "month" if self.unit == MONTH else window_label(self.value, self.unit)

    @property
    def sort_key(self) -> int:
        return self.seconds if self.seconds is not None else 31 * 86400


TIER_SOURCE = "tier"


def period_noun(rule: RenewalRule | None) -> str:
    """What a budget is per: 'month', 'week', 'period' (a fixed date range)."""
    if rule is None:
        return "month"
    return {WEEKLY: "week", FIXED: "period"}.get(rule.kind, "month")


PER_MINUTE = Window(1, "minute")
PER_MONTH = Window(1, MONTH)


@dataclass(frozen=True)
class Limit:
    """One limit in force: its kind, amount and window, and who sets it.

    `source_slug` is the policy or tier ID, or None for the key's own limit (`source_kind` says
    which: key | policy | tier). Time windows carry `start`/`end` ("HH:MM", UTC) instead of an
    amount; budgets carry their renewal rule.
    """

    kind: str
    amount: float | None
    window: Window | None
    source_slug: str | None
    source_name: str
    behavior: str = "hard"  # hard | soft
    start: str | None = None
    end: str | None = None
    per_model: bool = False  # a policy scoped to assets counts each model apart
    source_kind: str = "policy"  # key | policy | tier
    renewal: RenewalRule | None = None  # budgets: when the count starts over

    @property
    def key_level(self) -> bool:
        return self.source_slug is None

    @property
    def source_label(self) -> str:
        """How error bodies and headers name it: the policy ID, "tier:<id>", or "key limit"."""
        if self.source_kind == TIER_SOURCE:
            return f"tier:{self.source_slug}"
        return self.source_slug or "key limit"

    @property
    def behavior_label(self) -> str:
        return "Soft throttle" if self.behavior == "soft" else "Hard throttle"

    @property
    def dimension(self) -> tuple[str, int]:
        """What limits of the same dimension compete on: the kind and the window's length."""
        return self.kind, self.window.sort_key if self.window else 0

    @property
    def label(self) -> str:
        """'10,000 tokens / 1 min', '60 requests / 1 hour', '$250 / month', '09:00-17:00 UTC'."""
        if self.kind == TIME_WINDOW.name:
            return f"{self.start}-{self.end} UTC"
        if self.kind == BUDGET.name:
            return f"{money_label(self.amount or 0)} / {period_noun(self.renewal)}"
        noun = KIND_BY_NAME[self.kind].noun
        return f"{int(self.amount or 0):,} {noun} / {self.window.label if self.window else '1 min'}"

    def counter_id(self, key_public_id: str, identity: str, model_identifier: str) -> str:
        """The name of the counter this limit is enforced on (shared by every request it counts)."""
        window = f"{self.window.value}{self.window.unit}" if self.window else "-"
        if self.key_level:
            return f"key:{key_public_id}:{self.kind}:{window}"
        if self.source_kind == TIER_SOURCE:
            return f"tier:{self.source_slug}:{identity}:{model_identifier}:{self.kind}:{window}"
        scope = model_identifier if self.per_model else "*"
        return f"policy:{self.source_slug}:{identity}:{scope}:{self.kind}:{window}"


def policy_limits(p: PolicyFacts) -> list[Limit]:
    """Every limit a policy sets, in LIMIT_KINDS order."""
    common = dict(source_slug=p.slug, source_name=p.name, behavior=p.over_limit_behavior,
                  per_model=not p.unrestricted)
    limits = []
    for kind in LIMIT_KINDS:
        if kind.windowed:
            amount = getattr(p, f"{kind.field_prefix}_limit")
            if amount:
                window = Window(getattr(p, f"{kind.field_prefix}_window_value") or 1,
                                getattr(p, f"{kind.field_prefix}_window_unit") or "minute")
                limits.append(Limit(kind.name, amount, window, **common))
        elif kind is TIME_WINDOW:
            if p.time_window_start and p.time_window_end:
                limits.append(Limit(kind.name, None, None, start=p.time_window_start, end=p.time_window_end,
                                    **common))
        elif kind is BUDGET and p.budget_usd:
            limits.append(Limit(kind.name, p.budget_usd, PER_MONTH, renewal=p.renewal, **common))
    return limits


def tier_limits(tier: TierFacts) -> list[Limit]:
    """A tier's default limits: per user and per model, always hard (Kuadrant's 429)."""
    common = dict(source_slug=tier.slug, source_name=tier.source_name, per_model=True, source_kind=TIER_SOURCE)
    limits = []
    for kind in LIMIT_KINDS:
        if kind.windowed:
            amount = getattr(tier, f"{kind.field_prefix}_limit", None)
            if amount:
                window = Window(getattr(tier, f"{kind.field_prefix}_window_value") or 1,
                                getattr(tier, f"{kind.field_prefix}_window_unit") or "minute")
                limits.append(Limit(kind.name, amount, window, **common))
    return limits


def key_limits(key: KeyFacts) -> list[Limit]:
    """The key's own limits (per minute for rates, per month for the budget); always hard."""
    own = {TOKENS.name: key.tokens_per_minute, REQUESTS.name: key.requests_per_minute}
    limits = [Limit(kind, amount, PER_MINUTE, None, KEY_LEVEL_NAME, source_kind="key")
              for kind, amount in own.items() if amount]
    if key.budget_usd:
        limits.append(Limit(BUDGET.name, key.budget_usd, PER_MONTH, None, KEY_LEVEL_NAME, source_kind="key",
                            renewal=CALENDAR_MONTH))
    return limits


def key_identity(key: KeyFacts) -> str:
    """The user id the gateway counts a key's traffic under (as Authorino would expose it)."""
    if key.owner_identity:
        return key.owner_identity
    if key.owner_kind == GROUP:
        return f"group:{key.owner_name}"
    if key.owner_kind == SERVICE_ACCOUNT:
        return f"serviceaccount:{key.owner_name}"
    return key.owner_name


@dataclass(frozen=True)
class ModelLimits:
    """The limits in force for one key on one model, and the one that binds first per dimension."""

    model: AssetRef
    limits: tuple[Limit, ...]  # every applicable limit: by kind order, window, amount
    tightest: tuple[Limit, ...]  # per (kind, window): the lowest amount (key first on a tie)

    def is_tightest(self, limit: Limit) -> bool:
        return limit in self.tightest

    @property
    def time_windows(self) -> tuple[Limit, ...]:
        return tuple(lim for lim in self.limits if lim.kind == TIME_WINDOW.name)


def _order(limit: Limit) -> tuple:
    kind_index = next(i for i, k in enumerate(LIMIT_KINDS) if k.name == limit.kind)
    return (kind_index, limit.window.sort_key if limit.window else 0, limit.amount or 0,
            0 if limit.key_level else 1, limit.source_name.casefold(), limit.source_slug or "")


def applies_to_model(policy: PolicyFacts, key: KeyFacts, model: AssetRef) -> bool:
    """An active policy targeting the key's owner whose asset scope covers this model."""
    return policy.is_active and policy.covers(model.id, MODEL) and bool(match_reasons(policy, key))


def limits_for_model(policies: Iterable[PolicyFacts], key: KeyFacts, model: AssetRef,
                     tier: TierFacts | None = None) -> ModelLimits:
    limits = list(key_limits(key))
    if tier is not None:
        limits.extend(tier_limits(tier))
    for p in policies:
        if applies_to_model(p, key, model):
            limits.extend(policy_limits(p))
    limits.sort(key=_order)
    tightest: dict[tuple[str, int], Limit] = {}
    for lim in limits:  # sorted: the first of each dimension is the lowest amount
        if lim.kind != TIME_WINDOW.name:
            tightest.setdefault(lim.dimension, lim)
    return ModelLimits(model=model, limits=tuple(limits), tightest=tuple(tightest.values()))


def effective_limits(policies: Iterable[PolicyFacts], key: KeyFacts,
                     tiers: Iterable[TierFacts] = ()) -> list[ModelLimits]:
    """For each model the key grants (by name): every limit in force (the key's, its owner's tier's,
    the applicable policies') and the tightest per window."""
    policies = list(policies)
    tier = key_tier(tiers, key)
    models = sorted((a for a in key.assets if a.kind == MODEL), key=lambda a: (a.name.casefold(), a.id))
    return [limits_for_model(policies, key, m, tier) for m in models]


def in_time_window(limit: Limit, minute_of_day: int) -> bool:
    """Whether a time (minutes after 00:00 UTC) falls inside a time-window limit [start, end)."""
    start_h, start_m = map(int, (limit.start or "00:00").split(":"))
    end_h, end_m = map(int, (limit.end or "24:00").split(":"))
    return start_h * 60 + start_m <= minute_of_day < end_h * 60 + end_m
