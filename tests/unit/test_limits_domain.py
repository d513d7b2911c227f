"""Limit kinds and per-model effective limits (maas_ui/domain/limits.py)."""

from __future__ import annotations

from maas_ui.domain import limits as lim
from maas_ui.domain.policies import GROUP, MODEL, SERVICE_ACCOUNT, USER, AssetRef, KeyFacts, PolicyFacts, Target

GRANITE = AssetRef(1, MODEL, "granite-3.1b", "granite")
GPT = AssetRef(2, MODEL, "gpt-oss-20b", "gpt-oss")
RHEL = AssetRef(10, "mcp_server", "RHEL", "rhel-mcp")
DEVS = Target(GROUP, 7, "devs")
ALICE = Target(USER, 3, "alice")

KEY = KeyFacts(
    public_id="k1", name="ci", owner_kind=USER, owner_id=3, owner_name="alice",
    owner_group_ids=frozenset({7}), assets=(GRANITE, GPT, RHEL),
)


def policy(slug: str, **kw) -> PolicyFacts:
    return PolicyFacts(slug=slug, name=kw.pop("name", slug.title()), targets=kw.pop("targets", (DEVS,)), **kw)


def test_the_table_lists_every_kind_once_in_rules_order():
    assert [k.name for k in lim.LIMIT_KINDS] == ["tokens", "requests", "time_window", "budget"]
    assert lim.KIND_BY_NAME["tokens"].counted_after_call and not lim.KIND_BY_NAME["requests"].counted_after_call
    assert [k.name for k in lim.LIMIT_KINDS if k.windowed] == ["tokens", "requests"]


def test_every_window_applies_and_the_tightest_is_per_window():
    per_min = policy("tokens-per-minute", token_limit=10_000, token_window_value=1, token_window_unit="minute")
    per_day = policy("tokens-per-day", token_limit=200_000, token_window_value=1, token_window_unit="day")
    looser = policy("loose-minute", token_limit=50_000, token_window_value=1, token_window_unit="minute")
    (gpt, granite) = lim.effective_limits([per_day, looser, per_min], KEY)  # by model name
    assert gpt.model == GPT and granite.model == GRANITE
    labels = [(x.source_slug, x.label) for x in granite.limits]
    assert labels == [
        ("tokens-per-minute", "10,000 tokens / 1 min"),
        ("loose-minute", "50,000 tokens / 1 min"),
        ("tokens-per-day", "200,000 tokens / 1 day"),
    ]
    assert [x.source_slug for x in granite.tightest] == ["tokens-per-minute", "tokens-per-day"]
    assert not granite.is_tightest(granite.limits[1])


def test_a_policy_scoped_to_one_model_binds_only_that_model():
    only_gpt = policy("gpt-only", all_models=False, models=(GPT,), request_limit=5,
                      request_window_value=1, request_window_unit="hour")
    by_model = {m.model.name: m for m in lim.effective_limits([only_gpt], KEY)}
    assert [x.source_slug for x in by_model["gpt-oss-20b"].limits] == ["gpt-only"]
    assert by_model["granite-3.1b"].limits == ()
    # Scoped policies count each model apart; unrestricted ones count across models.
    assert by_model["gpt-oss-20b"].limits[0].per_model


def test_an_mcp_only_scope_leaves_models_at_all():
    mcp_scoped = policy("mcp", all_mcp_servers=False, mcp_servers=(RHEL,), request_limit=9,
                        request_window_value=1, request_window_unit="minute")
    assert all(m.limits for m in lim.effective_limits([mcp_scoped], KEY))


def test_inactive_or_untargeted_policies_do_not_apply():
    inactive = policy("off", is_active=False, request_limit=1, request_window_value=1, request_window_unit="minute")
    elsewhere = policy("others", targets=(Target(USER, 99, "bob"),), request_limit=1,
                       request_window_value=1, request_window_unit="minute")
    assert all(m.limits == () for m in lim.effective_limits([inactive, elsewhere], KEY))


def test_key_limits_win_ties_and_budget_is_monthly():
    key = KeyFacts(**{**KEY.__dict__, "requests_per_minute": 60, "budget_usd": 100.0})
    same = policy("same-rate", request_limit=60, request_window_value=1, request_window_unit="minute",
                  budget_usd=50.0)
    (_gpt, granite) = lim.effective_limits([same], key)
    tight = {x.kind: x for x in granite.tightest}
    assert tight["requests"].key_level and tight["requests"].source_label == "key limit"
    assert tight["budget"].source_slug == "same-rate" and tight["budget"].label == "$50 / month"
    assert tight["budget"].window == lim.PER_MONTH


def test_time_windows_are_listed_never_tightest_and_half_open():
    office = policy("office-hours", time_window_start="09:00", time_window_end="17:00", over_limit_behavior="soft")
    (_gpt, granite) = lim.effective_limits([office], KEY)
    (window,) = granite.time_windows
    assert window.label == "09:00-17:00 UTC" and window.behavior == "soft"
    assert granite.tightest == ()
    assert lim.in_time_window(window, 9 * 60) and lim.in_time_window(window, 17 * 60 - 1)
    assert not lim.in_time_window(window, 17 * 60) and not lim.in_time_window(window, 8 * 60 + 59)


def test_counter_ids_follow_kuadrant_scoping():
    scoped = policy("scoped", all_models=False, models=(GPT,), token_limit=5, token_window_value=2,
                    token_window_unit="hour")
    unrestricted = policy("everything", token_limit=5, token_window_value=2, token_window_unit="hour")
    (s,) = lim.policy_limits(scoped)
    (u,) = lim.policy_limits(unrestricted)
    assert s.counter_id("k1", "alice", "gpt-oss") == "policy:scoped:alice:gpt-oss:tokens:2hour"
    assert u.counter_id("k1", "alice", "gpt-oss") == "policy:everything:alice:*:tokens:2hour"
    (own,) = lim.key_limits(KeyFacts(**{**KEY.__dict__, "tokens_per_minute": 100}))
    assert own.counter_id("k1", "alice", "gpt-oss") == "key:k1:tokens:1minute"


def test_identity_of_each_owner_kind():
    assert lim.key_identity(KEY) == "alice"
    group_key = KeyFacts(public_id="k2", name="g", owner_kind=GROUP, owner_id=7, owner_name="devs")
    sa_key = KeyFacts(public_id="k3", name="s", owner_kind=SERVICE_ACCOUNT, owner_id=1, owner_name="ci-bot",
                      owner_identity="system:serviceaccount:llm:ci-bot")
    assert lim.key_identity(group_key) == "group:devs"
    assert lim.key_identity(sa_key) == "system:serviceaccount:llm:ci-bot"
