"""Effective policies of a key (pure): who is targeted, asset scope, inactive policies, limits in force."""

from __future__ import annotations

from maas_ui.domain.policies import (
    AssetRef,
    KeyFacts,
    PolicyFacts,
    Target,
    effective_policies,
    policy_applies,
)
from maas_ui.domain.limits import effective_limits

GPT = AssetRef(1, "model", "gpt-oss-20b")
GRANITE = AssetRef(2, "model", "granite-3.1b")
LLAMA = AssetRef(3, "model", "llama-3.3-70b-instruct")
OPENSHIFT = AssetRef(10, "mcp_server", "OpenShift", "mcp-openshift")
RHEL = AssetRef(11, "mcp_server", "RHEL", "mcp-rhel")
MILVUS = AssetRef(20, "vector_db", "product-docs-milvus")

DEVS = Target("group", 1, "ai-engineers")
DATA = Target("group", 2, "data-science")
ALICE = Target("user", 7, "adoe")
RAG_SA = Target("service_account", 4, "rag-pipeline-sa", "knowledge-base")


def policy(slug, targets, **kw) -> PolicyFacts:
    return PolicyFacts(slug=slug, name=kw.pop("name", slug.replace("-", " ").capitalize()), targets=tuple(targets),
                       **{"request_limit": 60, "request_window_value": 1, "request_window_unit": "minute", **kw})


def user_key(user_id=7, groups=(), assets=(GPT,), **kw) -> KeyFacts:
    return KeyFacts(public_id="key-0000000001", name="chatbot-prod", owner_kind="user", owner_id=user_id,
                    owner_name="adoe", owner_group_ids=frozenset(groups), assets=tuple(assets), **kw)


def slugs(rows):
    return [r.slug for r in rows]


def test_direct_user_target():
    p = policy("alice-only", [ALICE])
    assert slugs(effective_policies([p], user_key())) == ["alice-only"]
    assert effective_policies([p], user_key())[0].reasons == ("Targets the owner, user adoe",)
    assert effective_policies([p], user_key(user_id=8)) == []


def test_via_the_owners_group():
    p = policy("devs", [DEVS])
    rows = effective_policies([p], user_key(groups={1, 5}))
    assert slugs(rows) == ["devs"]
    assert rows[0].reasons == ("Targets group ai-engineers, which the owner belongs to",)
    assert effective_policies([p], user_key(groups={2})) == []  # a non-member


def test_group_owned_key():
    p = policy("devs", [DEVS])
    key = KeyFacts("key-0000000002", "team-bot", "group", 1, "ai-engineers", assets=(GPT,))
    assert slugs(effective_policies([p], key)) == ["devs"]
    assert effective_policies([p], key)[0].reasons == ("Targets the owning group ai-engineers",)
    other_group = KeyFacts("key-0000000003", "ds-bot", "group", 2, "data-science", assets=(GPT,))
    assert effective_policies([p], other_group) == []


def test_a_user_target_does_not_reach_a_group_key_with_the_same_id():
    p = policy("alice-only", [Target("user", 1, "adoe")])
    key = KeyFacts("key-0000000002", "team-bot", "group", 1, "ai-engineers", assets=(GPT,))
    assert effective_policies([p], key) == []


def test_service_account_owned_key():
    p = policy("batch", [RAG_SA])
    key = KeyFacts("key-0000000004", "ingest", "service_account", 4, "rag-pipeline-sa", assets=(GPT,))
    assert slugs(effective_policies([p], key)) == ["batch"]
    assert effective_policies([p], key)[0].reasons == ("Targets the owning service account rag-pipeline-sa",)
    other = KeyFacts("key-0000000005", "ingest", "service_account", 5, "ci-evaluator-sa", assets=(GPT,))
    assert effective_policies([p], other) == []


def test_asset_scope_all_is_unrestricted():
    p = policy("devs", [DEVS])  # All models, all MCP servers
    for assets in [(GPT,), (OPENSHIFT,), (MILVUS,), ()]:
        assert policy_applies(p, user_key(groups={1}, assets=assets))


def test_restricted_models_need_an_overlap():
    p = policy("big", [DEVS], all_models=False, models=(LLAMA,), all_mcp_servers=False, mcp_servers=(RHEL,))
    assert policy_applies(p, user_key(groups={1}, assets=(GPT, LLAMA)))
    assert policy_applies(p, user_key(groups={1}, assets=(RHEL,)))
    assert not policy_applies(p, user_key(groups={1}, assets=(GPT, GRANITE, OPENSHIFT, MILVUS)))
    assert not policy_applies(p, user_key(groups={1}, assets=()))


def test_a_selector_left_at_all_covers_its_kind_only():
    p = policy("big", [DEVS], all_models=False, models=(LLAMA,))  # MCP servers: All
    assert policy_applies(p, user_key(groups={1}, assets=(OPENSHIFT,)))
    assert not policy_applies(p, user_key(groups={1}, assets=(GPT,)))
    assert not policy_applies(p, user_key(groups={1}, assets=(MILVUS,)))  # vector DBs: outside a restricted scope


def test_inactive_policies_are_ignored():
    p = policy("retired", [DEVS], is_active=False, request_limit=1)
    key = user_key(groups={1})
    assert effective_policies([p], key) == []


def test_key_level_policy_comes_last_and_carries_the_keys_limits():
    key = user_key(groups={1}, tokens_per_minute=10_000, budget_usd=100.0)
    rows = effective_policies([policy("b-devs", [DEVS]), policy("a-data", [DATA])], key)
    assert [r.name for r in rows] == ["B devs", "API key limits"]
    own = rows[-1]
    assert own.key_level and own.slug is None
    assert own.rules == ("Token limit 10,000 / 1 min", "Budget $100")
    assert own.kinds == ("TokenRateLimitPolicy",)
    assert effective_policies([], user_key()) == []  # no policy, no own limits: nothing


def test_policies_are_sorted_by_name_and_list_their_kinds_and_rules():
    a = policy("tokens-first", [DEVS], name="A tokens", token_limit=1000, token_window_value=1, token_window_unit="hour")
    b = policy("z", [DEVS], name="B requests")
    rows = effective_policies([b, a], user_key(groups={1}))
    assert [r.name for r in rows] == ["A tokens", "B requests"]
    assert rows[0].kinds == ("AuthPolicy", "RateLimitPolicy", "TokenRateLimitPolicy")
    assert rows[0].rules == ("Token limit 1,000 / 1 hour", "Rate limit 60 / 1 min")
    assert rows[1].kinds == ("AuthPolicy", "RateLimitPolicy")


def test_limits_of_policies_that_do_not_apply_are_not_in_force():
    other = policy("data", [DATA], request_limit=1)  # targets another group
    scoped = policy("llama", [DEVS], request_limit=2, all_models=False, models=(LLAMA,))  # another model
    (gpt,) = effective_limits([other, scoped], user_key(groups={1}, assets=(GPT,), requests_per_minute=100))
    assert [(x.source_name, x.label) for x in gpt.limits] == [("API key limits", "100 requests / 1 min")]
    assert gpt.tightest == gpt.limits
