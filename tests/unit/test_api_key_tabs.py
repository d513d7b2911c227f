"""The details pages' tabs: one plain list per page, in the order routes declares."""

from __future__ import annotations

from maas_ui import routes
from maas_ui.components.details_page import route_tab, tab_on_load
from maas_ui.pages import key_tabs, policy_details
from maas_ui.pages.key_metrics_tab import KeyMetricsState
from maas_ui.pages.key_policies_tab import KeyPoliciesTabState


def test_key_tabs_are_the_routes_tabs_in_order():
    assert [t.slug for t in key_tabs.TABS] == routes.API_KEY_TABS
    assert [t.title for t in key_tabs.TABS] == ["Details", "Assets", "Metrics", "Policies", "Settings"]


def test_policy_tabs_are_the_routes_tabs_in_order():
    assert [t.slug for t in policy_details.TABS] == routes.POLICY_TABS
    assert [t.title for t in policy_details.TABS] == ["Details", "API keys", "YAML"]


def test_unknown_or_missing_tab_shows_the_first():
    assert route_tab(key_tabs.TABS, "metrics") == "metrics"
    assert route_tab(key_tabs.TABS, None) == "details"
    assert route_tab(key_tabs.TABS, "no-such-tab") == "details"
    assert route_tab(policy_details.TABS, "yaml") == "yaml"


def test_only_tabs_with_a_loader_get_one_run():
    assert tab_on_load(key_tabs.TABS, "metrics") is KeyMetricsState.load
    assert tab_on_load(key_tabs.TABS, "policies") is KeyPoliciesTabState.load
    assert tab_on_load(key_tabs.TABS, "details") is None


def test_tab_urls_drop_the_first_tab():
    assert routes.api_key_url("k1", "details") == "/settings/api-keys/k1"
    assert routes.api_key_url("k1", "metrics", range="7d") == "/settings/api-keys/k1/metrics?range=7d"
    assert routes.policy_url("p", "yaml") == "/settings/policies/p/yaml"
    assert routes.user_management_url("users") == routes.USER_MANAGEMENT
    assert routes.user_management_url("groups") == "/settings/user-management/groups"


def test_plausible_ids():
    assert routes.plausible_id("key-0123456789") and routes.plausible_id("devs-budget-standard")
    assert routes.plausible_id("k" * 255) and not routes.plausible_id("k" * 256)
    assert not routes.plausible_id("") and not routes.plausible_id(None)
    assert not routes.plausible_id("a\x00b") and not routes.plausible_id("a\nb")
