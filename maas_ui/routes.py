"""Every route string and URL builder of the console. Pages never hand-build URLs."""

from __future__ import annotations

from urllib.parse import urlencode

HOME = "/"
SETTINGS = "/settings"
USER_MANAGEMENT = "/settings/user-management"
USER_MANAGEMENT_TAB = "/settings/user-management/[tab]"
API_KEYS = "/settings/api-keys"
API_KEY_DETAILS = "/settings/api-keys/[key_id]"
API_KEY_DETAILS_TAB = "/settings/api-keys/[key_id]/[tab]"
POLICIES = "/settings/policies"
POLICY_DETAILS = "/settings/policies/[policy_id]"
POLICY_DETAILS_TAB = "/settings/policies/[policy_id]/[tab]"
TIERS = "/settings/tiers"
TIER_DETAILS = "/settings/tiers/[tier_id]"
TIER_DETAILS_TAB = "/settings/tiers/[tier_id]/[tab]"
USAGE = "/settings/usage"
AUDIT_LOG = "/settings/audit-log"
AI_ASSETS = "/ai-assets"
AI_ASSETS_KIND = "/ai-assets/[asset_kind]"
AI_ASSET_DETAILS = "/ai-assets/[asset_kind]/[asset_id]"
AI_ASSET_DETAILS_TAB = "/ai-assets/[asset_kind]/[asset_id]/[tab]"

# The tabs of the details pages, in the spec's order.
API_KEY_TABS = ["details", "assets", "metrics", "policies", "settings"]
POLICY_TABS = ["details", "api-keys", "yaml"]
USER_MANAGEMENT_TABS = ["users", "groups", "service-accounts"]
AI_ASSET_TABS = ["details", "api-keys", "metrics", "policies"]
# The catalog's tabs are the asset kinds' slugs (domain.assets.ASSET_KIND_DEFS): models first.
TIER_TABS = ["details", "yaml"]


ID_MAX = 255  # no key or policy id is longer; longer ones are "not found" without a query


def plausible_id(value: str | None) -> bool:
    """Whether a route's id could name something (databases refuse NUL and other control characters)."""
    return bool(value) and len(value) <= ID_MAX and value.isprintable()


def _with_tab(base: str, tab: str | None, first: str) -> str:
    """The first tab is the bare URL; the others add their slug."""
    return base + (f"/{tab}" if tab and tab != first else "")


def api_key_url(key_id: str, tab: str | None = None, **query: str) -> str:
    url = _with_tab(f"{API_KEYS}/{key_id}", tab, API_KEY_TABS[0])
    return url + (f"?{urlencode(query)}" if query else "")


def policy_url(policy_id: str, tab: str | None = None) -> str:
    return _with_tab(f"{POLICIES}/{policy_id}", tab, POLICY_TABS[0])


def tier_url(tier_id: str, tab: str | None = None) -> str:
    return _with_tab(f"{TIERS}/{tier_id}", tab, TIER_TABS[0])


def user_management_url(tab: str | None = None) -> str:
    return _with_tab(USER_MANAGEMENT, tab, USER_MANAGEMENT_TABS[0])


def usage_url(**query: str) -> str:
    return USAGE + (f"?{urlencode(query)}" if query else "")


def audit_log_url(**query: str) -> str:
    return AUDIT_LOG + (f"?{urlencode(query)}" if query else "")


def entity_url(kind: str, entity_id: str) -> str:
    """The page of an audited entity ("" when the console has none for its kind)."""
    if kind == "api_key":
        return api_key_url(entity_id)
    if kind == "policy":
        return policy_url(entity_id)
    return ""


def ai_assets_url(kind_slug: str | None = None) -> str:
    """The catalog; the first kind (models) is the bare URL."""
    return AI_ASSETS + (f"/{kind_slug}" if kind_slug and kind_slug != "models" else "")


def ai_asset_url(kind_slug: str, asset_id: str | int, tab: str | None = None) -> str:
    """An asset's page, by its database id (model IDs may hold slashes)."""
    return _with_tab(f"{AI_ASSETS}/{kind_slug}/{asset_id}", tab, AI_ASSET_TABS[0])
