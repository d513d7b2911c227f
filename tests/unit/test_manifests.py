"""Kuadrant manifests: kinds, apiVersions, windows, targets, predicates, YAML that parses back, stable output."""

from __future__ import annotations

import re

import pytest
import yaml

from maas_ui.domain.manifests import (
    GatewaySettings,
    kuadrant_window,
    manifests_yaml,
    policy_manifests,
    targets_predicate,
)
from maas_ui.domain.policies import AssetRef, PolicyFacts, Target

WINDOW = re.compile(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$")
LLAMA = AssetRef(3, "model", "llama-3.3-70b-instruct", "meta-llama/Llama-3.3-70B-Instruct")
GRANITE = AssetRef(2, "model", "granite-3.1b", "ibm-granite/granite-3.1-8b-instruct")
OPENSHIFT = AssetRef(10, "mcp_server", "OpenShift", "mcp-openshift")
CATALOG = (GRANITE, LLAMA, OPENSHIFT)


def facts(**kw) -> PolicyFacts:
    base = dict(slug="devs-budget-standard", name="Devs budget standard", description="Monthly spend cap",
                token_limit=200_000, token_window_value=1, token_window_unit="day",
                request_limit=60, request_window_value=1, request_window_unit="minute",
                targets=(Target("group", 1, "ai-engineers"), Target("group", 2, "app-developers")))
    base.update(kw)
    return PolicyFacts(**base)


@pytest.mark.parametrize("value, unit, expected", [
    (1, "minute", "1m"), (15, "minute", "15m"), (1, "hour", "1h"), (6, "hour", "6h"),
    (1, "day", "24h"), (7, "day", "168h"), (1000, "day", "24000h"), (1000, "minute", "1000m"),
])
def test_windows_use_kuadrant_durations(value, unit, expected):
    assert kuadrant_window(value, unit) == expected
    assert WINDOW.match(expected)


def test_kinds_and_api_versions():
    docs = policy_manifests(facts())
    assert [(d["apiVersion"], d["kind"]) for d in docs] == [
        ("kuadrant.io/v1", "AuthPolicy"),
        ("kuadrant.io/v1", "RateLimitPolicy"),
        ("kuadrant.io/v1alpha1", "TokenRateLimitPolicy"),
    ]
    assert [d["kind"] for d in policy_manifests(facts(token_limit=None))] == ["AuthPolicy", "RateLimitPolicy"]
    assert [d["kind"] for d in policy_manifests(facts(request_limit=None))] == ["AuthPolicy", "TokenRateLimitPolicy"]


def test_unrestricted_policy_targets_the_gateway():
    docs = policy_manifests(facts(), CATALOG, GatewaySettings(namespace="maas", gateway_name="gw"))
    for d in docs:
        assert d["spec"]["targetRef"] == {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "gw"}
        assert d["metadata"]["namespace"] == "maas"
    assert [d["metadata"]["name"] for d in docs] == [
        "devs-budget-standard-auth", "devs-budget-standard-requests", "devs-budget-standard-tokens"]


def test_restricted_policy_targets_one_httproute_per_model():
    docs = policy_manifests(facts(all_models=False, models=(LLAMA, GRANITE), all_mcp_servers=False), CATALOG)
    refs = [(d["kind"], d["spec"]["targetRef"]["kind"], d["spec"]["targetRef"]["name"]) for d in docs]
    assert refs == [
        ("AuthPolicy", "HTTPRoute", "granite-3-1b"), ("RateLimitPolicy", "HTTPRoute", "granite-3-1b"),
        ("TokenRateLimitPolicy", "HTTPRoute", "granite-3-1b"),
        ("AuthPolicy", "HTTPRoute", "llama-3-3-70b-instruct"), ("RateLimitPolicy", "HTTPRoute", "llama-3-3-70b-instruct"),
        ("TokenRateLimitPolicy", "HTTPRoute", "llama-3-3-70b-instruct"),
    ]
    names = [d["metadata"]["name"] for d in docs]
    assert len(set(names)) == len(names) and "devs-budget-standard-llama-3-3-70b-instruct-tokens" in names


def test_a_selector_left_at_all_beside_a_restricted_one_lists_every_route_of_its_kind():
    docs = policy_manifests(facts(all_models=False, models=(LLAMA,), request_limit=None, token_limit=10), CATALOG)
    assert sorted({d["spec"]["targetRef"]["name"] for d in docs}) == ["llama-3-3-70b-instruct", "mcp-openshift"]


def test_limits_count_per_user_with_a_when_predicate_for_the_targets():
    docs = policy_manifests(facts())
    rlp, trlp = docs[1]["spec"]["limits"], docs[2]["spec"]["limits"]
    assert rlp["per-user-requests"]["rates"] == [{"limit": 60, "window": "1m"}]
    assert trlp["per-user-tokens"]["rates"] == [{"limit": 200_000, "window": "24h"}]
    for limit in (rlp["per-user-requests"], trlp["per-user-tokens"]):
        assert limit["counters"] == [{"expression": "auth.identity.userid"}]
        assert limit["when"] == [{"predicate":
                                  'auth.identity.groups.split(",").exists(g, g in ["ai-engineers", "app-developers"])'}]
        assert WINDOW.match(limit["rates"][0]["window"])


def test_predicates_for_users_service_accounts_and_nobody():
    one_group = facts(targets=(Target("group", 1, "premium"),))
    assert targets_predicate(one_group) == 'auth.identity.groups.split(",").exists(g, g == "premium")'
    mixed = facts(targets=(Target("user", 3, "adoe"), Target("service_account", 4, "rag-sa", "kb"),
                           Target("group", 1, "finance-analytics")))
    assert targets_predicate(mixed) == (
        'auth.identity.groups.split(",").exists(g, g == "finance-analytics") || '
        'auth.identity.userid in ["adoe", "system:serviceaccount:kb:rag-sa"]')
    assert targets_predicate(facts(targets=())) == "false"


def test_auth_policy_authenticates_api_keys_and_exposes_the_identity():
    auth = policy_manifests(facts())[0]["spec"]["rules"]
    assert auth["authentication"]["api-key-users"]["credentials"] == {"authorizationHeader": {"prefix": "APIKEY"}}
    assert auth["authentication"]["api-key-users"]["apiKey"] == {"selector": {"matchLabels": {"app": "maas"}}}
    props = auth["response"]["success"]["filters"]["identity"]["json"]["properties"]
    assert set(props) == {"userid", "groups"}


def test_budget_time_window_and_soft_throttle_are_annotations_and_comments():
    f = facts(budget_usd=250.0, time_window_start="09:00", time_window_end="17:00", over_limit_behavior="soft")
    text = manifests_yaml(f)
    assert "# Budget $250 / month: Kuadrant has no dollar budgets" in text
    assert "# Time limit 09:00-17:00: Kuadrant has no time-of-day windows" in text
    assert "soft throttle" in text
    for doc in yaml.safe_load_all(text):
        notes = doc["metadata"]["annotations"]
        assert notes["maas.opendatahub.io/budget-usd-per-month"] == "250.00"
        assert notes["maas.opendatahub.io/time-window"] == "09:00-17:00"
        assert notes["maas.opendatahub.io/over-limit"] == "soft"
        assert doc["metadata"]["labels"]["maas.opendatahub.io/policy"] == "devs-budget-standard"


def test_hard_throttle_is_exported_as_hard():
    f = facts(over_limit_behavior="hard")
    text = manifests_yaml(f)
    assert "soft throttle" not in text
    docs = list(yaml.safe_load_all(text))
    assert docs and all(d["metadata"]["annotations"]["maas.opendatahub.io/over-limit"] == "hard" for d in docs)


def test_yaml_parses_back_to_the_same_documents():
    f = facts(all_models=False, models=(LLAMA,), description='Quotes " and : colons # and a hash')
    text = manifests_yaml(f, CATALOG)
    assert list(yaml.safe_load_all(text)) == policy_manifests(f, CATALOG)
    assert text.count("\n---\n") == len(policy_manifests(f, CATALOG))
    for doc in yaml.safe_load_all(text):
        for limit in doc["spec"].get("limits", {}).values():
            assert all(WINDOW.match(r["window"]) for r in limit["rates"])


def test_output_is_stable():
    a = manifests_yaml(facts(targets=(Target("group", 2, "b"), Target("group", 1, "a"))), CATALOG)
    b = manifests_yaml(facts(targets=(Target("group", 1, "a"), Target("group", 2, "b"))), tuple(reversed(CATALOG)))
    assert a == b
    assert a == manifests_yaml(facts(targets=(Target("group", 2, "b"), Target("group", 1, "a"))), CATALOG)
    assert a.endswith("\n") and not a.endswith("\n\n")


def test_inactive_and_targetless_policies_say_so():
    text = manifests_yaml(facts(is_active=False, targets=()))
    assert "# This policy is inactive in the console" in text
    assert "# No targets: the predicates below match nobody." in text
    docs = list(yaml.safe_load_all(text))
    assert docs[1]["spec"]["limits"]["per-user-requests"]["when"] == [{"predicate": "false"}]
