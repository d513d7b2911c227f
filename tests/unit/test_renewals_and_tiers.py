"""Quota periods (renewal rules, time moved forward) and tiers (resolution, limits, manifests)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import yaml

from maas_ui.domain import renewals as rn
from maas_ui.domain.limits import effective_limits
from maas_ui.domain.policies import GROUP, MODEL, SERVICE_ACCOUNT, USER, AssetRef, KeyFacts
from maas_ui.domain.tier_manifests import tier_manifests, tier_predicates, tier_yaml
from maas_ui.domain.tiers import TierFacts, TierForm, key_tier, tier_for_groups, tier_input, validate_tier_form

UTC = timezone.utc
GRANITE = AssetRef(1, MODEL, "granite-3.1b", "ibm/granite")
LLAMA = AssetRef(2, MODEL, "llama-70b", "meta/llama")
FREE = TierFacts("free", "Free", 0, group_ids=frozenset({1, 2}), group_names=("all", "devs"),
                 token_limit=10_000, token_window_value=1, token_window_unit="minute")
PREMIUM = TierFacts("premium", "Premium", 10, group_ids=frozenset({2}), group_names=("devs",),
                    token_limit=100_000, token_window_value=1, token_window_unit="minute",
                    request_limit=300, request_window_value=1, request_window_unit="minute")
ENTERPRISE = TierFacts("enterprise", "Enterprise", 20, group_ids=frozenset({3}), group_names=("execs",),
                       request_limit=1000, request_window_value=1, request_window_unit="minute")
TIERS = (FREE, PREMIUM, ENTERPRISE)


def _at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Renewals --------------------------------------------------------------------------------
def test_monthly_period_and_renewal_day():
    rule = rn.RenewalRule(rn.MONTHLY, day=15)
    p = rn.current_period(rule, _at(2026, 6, 20, 9))
    assert (p.start, p.end, p.renews_on) == (_at(2026, 6, 15), _at(2026, 7, 15), date(2026, 7, 15))
    before = rn.current_period(rule, _at(2026, 6, 14, 23, 59))
    assert before.start == _at(2026, 5, 15) and before.renews_on == date(2026, 6, 15)


def test_monthly_on_the_31st_renews_on_the_last_day_of_short_months():
    rule = rn.RenewalRule(rn.MONTHLY, day=31)
    p = rn.current_period(rule, _at(2026, 2, 10))
    assert p.start == _at(2026, 1, 31) and p.renews_on == date(2026, 2, 28)
    assert rn.current_period(rule, _at(2026, 2, 28, 1)).renews_on == date(2026, 3, 31)


def test_december_rolls_into_the_next_year():
    p = rn.current_period(rn.CALENDAR_MONTH, _at(2026, 12, 31, 23))
    assert p.start == _at(2026, 12, 1) and p.renews_on == date(2027, 1, 1)


def test_weekly_period_in_a_time_zone():
    rule = rn.RenewalRule(rn.WEEKLY, weekday=0, timezone="Europe/Paris")  # Mondays, Paris midnight
    # Sunday 23:30 UTC is already Monday 00:30 in Paris (summer time, UTC+2... 01:30): a new week.
    p = rn.current_period(rule, _at(2026, 6, 14, 23, 30))
    assert p.start == _at(2026, 6, 14, 22) and p.end == _at(2026, 6, 21, 22)
    assert p.renews_on == date(2026, 6, 22)
    assert rule.label == "Weekly on Monday (Europe/Paris)"


def test_fixed_range_does_not_renew_and_says_when_it_is_outside():
    rule = rn.RenewalRule(rn.FIXED, start=date(2026, 7, 1), end=date(2026, 9, 30))
    inside = rn.current_period(rule, _at(2026, 8, 1))
    assert inside.started and not inside.ended and inside.renews_on is None
    assert inside.end == _at(2026, 10, 1)
    assert not rn.current_period(rule, _at(2026, 6, 30)).started
    assert rn.current_period(rule, _at(2026, 10, 1)).ended


def test_consumption_resets_at_renewal_when_time_moves_forward():
    """A counter keyed by the period: what was used last period does not count in the next one."""
    rule = rn.RenewalRule(rn.MONTHLY, day=1)
    spent: dict[str, float] = {}

    def spend(at: datetime, usd: float) -> float:
        key = rn.current_period(rule, at).key
        spent[key] = spent.get(key, 0.0) + usd
        return spent[key]

    now = _at(2026, 6, 29, 12)
    assert spend(now, 90.0) == 90.0
    assert rn.thresholds_reached(spend(now + timedelta(hours=1), 5.0), 100) == (80, 90)
    after = now + timedelta(days=3)  # 2 July: renewed
    assert spend(after, 10.0) == 10.0
    assert rn.thresholds_reached(10.0, 100) == ()


def test_thresholds():
    assert rn.thresholds_reached(79.9, 100) == ()
    assert rn.thresholds_reached(80, 100) == (80,)
    assert rn.thresholds_reached(100, 100) == (80, 90, 100)
    assert rn.thresholds_reached(5, None) == ()


def test_rule_validation_messages():
    assert rn.validate_rule("monthly", "15", "", "", "", "UTC") == {}
    assert "renewal_day" in rn.validate_rule("monthly", "32", "", "", "", "UTC")
    errs = rn.validate_rule("fixed", "", "", "2026-09-01", "2026-08-01", "Mars/Olympus")
    assert errs["renewal_end"].startswith("The last day comes before")
    assert "renewal_timezone" in errs


# Tiers -----------------------------------------------------------------------------------
def _key(kind=USER, owner_id=7, groups=frozenset()) -> KeyFacts:
    return KeyFacts("k1", "key", kind, owner_id, "alice", owner_group_ids=frozenset(groups), assets=(GRANITE, LLAMA))


def test_highest_level_wins():
    assert tier_for_groups(TIERS, {1}) == FREE
    assert tier_for_groups(TIERS, {1, 2}) == PREMIUM
    assert tier_for_groups(TIERS, {2, 3}) == ENTERPRISE
    assert tier_for_groups(TIERS, {9}) is None
    assert key_tier(TIERS, _key(GROUP, owner_id=2)) == PREMIUM
    assert key_tier(TIERS, _key(SERVICE_ACCOUNT, owner_id=2)) is None


def test_effective_limits_include_the_tier_per_model():
    models = effective_limits([], _key(groups={1, 2}), TIERS)
    assert [m.model.name for m in models] == ["granite-3.1b", "llama-70b"]
    lines = [(lim.source_name, lim.label, lim.source_label) for lim in models[0].limits]
    assert ("tier Premium", "100,000 tokens / 1 min", "tier:premium") in lines
    assert ("tier Premium", "300 requests / 1 min", "tier:premium") in lines
    assert not any(name == "tier Free" for name, *_ in lines)  # the lower tier does not apply
    tier_token = next(lim for lim in models[0].limits if lim.source_kind == "tier" and lim.kind == "tokens")
    assert tier_token.counter_id("k1", "alice", "ibm/granite") == "tier:premium:alice:ibm/granite:tokens:1minute"


def test_tier_form_validation():
    ok = TierForm(name="Gold", level="30", token_limit="5,000")
    assert validate_tier_form(ok, taken_names=["Free"], taken_levels=[0, 10]) == {}
    assert tier_input(ok).token_limit == 5000 and tier_input(ok).request_limit is None
    errs = validate_tier_form(TierForm(name="free", level="10"), taken_names=["Free"], taken_levels=[10])
    assert set(errs) == {"name", "level", "limits"}
    assert "level" in validate_tier_form(TierForm(name="X", level="", token_limit="1"))


def test_tier_manifests_count_per_user_for_members_only():
    docs = tier_manifests(FREE, TIERS, [GRANITE, LLAMA])
    assert [d["kind"] for d in docs] == ["TokenRateLimitPolicy", "TokenRateLimitPolicy"]
    limit = docs[0]["spec"]["limits"]["free-tokens"]
    assert limit["counters"] == [{"expression": "auth.identity.userid"}]
    assert limit["rates"] == [{"limit": 10000, "window": "1m"}]
    assert docs[0]["spec"]["targetRef"]["kind"] == "HTTPRoute"
    # Free members in "devs" are premium: excluded here.
    assert tier_predicates(FREE, TIERS) == [
        'auth.identity.groups.split(",").exists(g, g in ["all", "devs"])',
        '!auth.identity.groups.split(",").exists(g, g in ["devs", "execs"])',
    ]
    text = tier_yaml(PREMIUM, TIERS, [GRANITE])
    assert [d["kind"] for d in yaml.safe_load_all(text)] == ["RateLimitPolicy", "TokenRateLimitPolicy"]
    assert text.startswith('# Kuadrant manifests for the MaaS tier "Premium"')
