"""The Reflex app: registers every page with its route, title and load event."""

from __future__ import annotations

import reflex as rx

from maas_ui import routes
from maas_ui.components.outage import handle_backend_exception
from maas_ui.health import health_app
from maas_ui.http_cache import revalidate_html
from maas_ui.pages.api_key_details import KeyDetailsState, key_details_page
from maas_ui.pages.api_keys import ApiKeysState, api_keys_page
from maas_ui.pages.home import HomeState, home_page
from maas_ui.pages.not_found import not_found_page
from maas_ui.pages.policies import PoliciesState, policies_page
from maas_ui.pages.policy_details import PolicyDetailsState, policy_details_page
from maas_ui.pages.usage import UsageState, usage_page
from maas_ui.pages.user_management import UserManagementState, user_management_page


def title(page: str) -> str:
    return f"{page} | Red Hat OpenShift AI"


app = rx.App(
    reset_style=False,  # PatternFly brings its own base styles; Reflex's reset breaks PF icons
    stylesheets=["/maas.css"],
    head_components=[rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml")],
    backend_exception_handler=handle_backend_exception,  # database outages: an alert in the page
    api_transformer=[
        health_app,  # /healthz, /readyz
        revalidate_html,  # pages always revalidate: no blank page after a restart/redeploy
    ],
)
app.add_page(home_page, route=routes.HOME, title=title("Home"), on_load=HomeState.go_to_first_page)
app.add_page(home_page, route=routes.SETTINGS, title=title("Settings"), on_load=HomeState.go_to_first_page)
app.add_page(
    user_management_page,
    route=routes.USER_MANAGEMENT,
    title=title("User management"),
    on_load=UserManagementState.load,
)
app.add_page(api_keys_page, route=routes.API_KEYS, title=title("API keys"), on_load=ApiKeysState.load)
for _route in (routes.API_KEY_DETAILS, routes.API_KEY_DETAILS_TAB):
    app.add_page(key_details_page, route=_route, title=title("API key details"), on_load=KeyDetailsState.load)
app.add_page(policies_page, route=routes.POLICIES, title=title("Policies"), on_load=PoliciesState.load)
for _route in (routes.POLICY_DETAILS, routes.POLICY_DETAILS_TAB):
    app.add_page(policy_details_page, route=_route, title=title("Policy details"), on_load=PolicyDetailsState.load)
app.add_page(usage_page, route=routes.USAGE, title=title("Usage"), on_load=UsageState.load)
app.add_page(not_found_page, route="404", title=title("Page not found"))
