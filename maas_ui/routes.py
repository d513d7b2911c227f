"""Every route string and URL builder of the console. Pages never hand-build URLs."""

from __future__ import annotations

from urllib.parse import urlencode

HOME = "/"
SETTINGS = "/settings"
USER_MANAGEMENT = "/settings/user-management"
API_KEYS = "/settings/api-keys"
API_KEY_DETAILS = "/settings/api-keys/[key_id]"
API_KEY_DETAILS_TAB = "/settings/api-keys/[key_id]/[tab]"
POLICIES = "/settings/policies"
POLICY_DETAILS = "/settings/policies/[policy_id]"
POLICY_DETAILS_TAB = "/settings/policies/[policy_id]/[tab]"
USAGE = "/settings/usage"

# The tabs of the details pages, in the spec's order.
API_KEY_TABS = ["details", "assets", "metrics", "policies", "settings"]
POLICY_TABS = ["details", "api-keys", "yaml"]


def api_key_url(key_id: str, tab: str | None = None, **query: str) -> str:
    url = f"{API_KEYS}/{key_id}"
    if tab and tab != "details":
        url += f"/{tab}"
    return url + (f"?{urlencode(query)}" if query else "")


def policy_url(policy_id: str, tab: str | None = None) -> str:
    url = f"{POLICIES}/{policy_id}"
    return url + (f"/{tab}" if tab and tab != "details" else "")


def usage_url(**query: str) -> str:
    return USAGE + (f"?{urlencode(query)}" if query else "")
