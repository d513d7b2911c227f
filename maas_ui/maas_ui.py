"""The Reflex app: registers every page with its route, title and load event."""

from __future__ import annotations

import reflex as rx

from maas_gateway.app import create_app as create_gateway_app
from maas_gateway.app import get_gateway
from maas_ui import routes
from maas_ui.components.outage import handle_backend_exception
from maas_ui.components.shell import UserMenuState, theme_script
from maas_ui.health import health_app
from maas_ui.pages.audit_log import AuditLogState, audit_log_page
from maas_ui.http_cache import revalidate_html, serve_odd_paths_as_pages
from maas_ui.pages.ai_assets import AiAssetsState, ai_assets_page
from maas_ui.pages.asset_details import AssetDetailsState, asset_details_page
from maas_ui.pages.api_key_details import KeyDetailsState, key_details_page
from maas_ui.pages.api_keys import ApiKeysState, api_keys_page
from maas_ui.pages.home import HomeState, home_page
from maas_ui.pages.key_tabs import KeyTabsState
from maas_ui.pages.not_found import not_found_page
from maas_ui.pages.policies import PoliciesState, policies_page
from maas_ui.pages.policy_details import PolicyDetailsState, policy_details_page
from maas_ui.pages.tier_details import TierDetailsState, tier_details_page
from maas_ui.pages.tiers import TiersState, tiers_page
from maas_ui.pages.usage import UsageState, usage_page
from maas_ui.pages.user_management import UserManagementState, user_management_page


def title(page: str) -> str:
    return f"{page} | Red Hat OpenShift AI"


app = rx.App(
    reset_style=False,  # PatternFly brings its own base styles; Reflex's reset breaks PF icons
    stylesheets=["/maas.css"],
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"), theme_script()],
    backend_exception_handler=handle_backend_exception,  # database outages: an alert in the page
    # /healthz and /readyz; the OpenAI-compatible gateway answers /v1/... and each model's base URL
    # on the same port; pages always revalidate (no blank page after a restart/redeploy); ids too
    # long for a file name or holding NUL get the app's pages, not the file server's bare 404.
    api_transformer=[health_app, create_gateway_app(), revalidate_html, serve_odd_paths_as_pages],
)
app.register_lifespan_task(get_gateway().lifespan)  # starts the usage recorder; a clean shutdown flushes it
app.add_page(home_page, route=routes.HOME, title=title("Home"), on_load=[UserMenuState.identify, HomeState.go_to_first_page])
app.add_page(home_page, route=routes.SETTINGS, title=title("Settings"), on_load=[UserMenuState.identify, HomeState.go_to_first_page])
for _route in (routes.USER_MANAGEMENT, routes.USER_MANAGEMENT_TAB):
    app.add_page(user_management_page, route=_route, title=title("User management"), on_load=[UserMenuState.identify, UserManagementState.load])
app.add_page(api_keys_page, route=routes.API_KEYS, title=title("API keys"), on_load=[UserMenuState.identify, ApiKeysState.load])
for _route in (routes.API_KEY_DETAILS, routes.API_KEY_DETAILS_TAB):
    app.add_page(key_details_page, route=_route, title=title("API key details"),
                 on_load=[UserMenuState.identify, KeyDetailsState.load, KeyTabsState.load])
app.add_page(policies_page, route=routes.POLICIES, title=title("Policies"), on_load=[UserMenuState.identify, PoliciesState.load])
for _route in (routes.POLICY_DETAILS, routes.POLICY_DETAILS_TAB):
    app.add_page(policy_details_page, route=_route, title=title("Policy details"), on_load=[UserMenuState.identify, PolicyDetailsState.load])
app.add_page(tiers_page, route=routes.TIERS, title=title("Tiers"), on_load=[UserMenuState.identify, TiersState.load])
for _route in (routes.TIER_DETAILS, routes.TIER_DETAILS_TAB):
    app.add_page(tier_details_page, route=_route, title=title("Tier details"),
                 on_load=[UserMenuState.identify, TierDetailsState.load])
app.add_page(usage_page, route=routes.USAGE, title=title("Usage"), on_load=[UserMenuState.identify, UsageState.load])
app.add_page(audit_log_page, route=routes.AUDIT_LOG, title=title("Audit log"), on_load=[UserMenuState.identify, AuditLogState.load])
for _route in (routes.AI_ASSETS, routes.AI_ASSETS_KIND):
    app.add_page(ai_assets_page, route=_route, title=title("AI assets"), on_load=[UserMenuState.identify, AiAssetsState.load])
for _route in (routes.AI_ASSET_DETAILS, routes.AI_ASSET_DETAILS_TAB):
    app.add_page(asset_details_page, route=_route, title=title("AI asset details"),
                 on_load=[UserMenuState.identify, AssetDetailsState.load])
app.add_page(not_found_page, route="404", title=title("Page not found"), on_load=UserMenuState.identify)
