"""The tabs of the API key details page, in the spec's order (routes.API_KEY_TABS)."""

from __future__ import annotations

import reflex as rx

from maas_ui import routes
from maas_ui.components.details_page import DetailsTab, route_tab, tab_on_load
from maas_ui.pages.key_metrics_tab import KeyMetricsState, metrics_tab
from maas_ui.pages.key_overview_tabs import assets_tab, details_tab, settings_tab
from maas_ui.pages.key_policies_tab import KeyPoliciesTabState, key_policies_tab
from maas_ui.pages.key_try_it import TryItState

TABS: list[DetailsTab] = [
    DetailsTab("details", "Details", details_tab),
    DetailsTab("assets", "Assets", assets_tab, on_load=TryItState.load),
    DetailsTab("metrics", "Metrics", metrics_tab, on_load=KeyMetricsState.load),
    DetailsTab("policies", "Policies", key_policies_tab, on_load=KeyPoliciesTabState.load),
    DetailsTab("settings", "Settings", settings_tab),
]


class KeyTabsState(rx.State):
    @rx.event
    def load(self):
        """The page's second on_load: runs the shown tab's own loader (Metrics, Policies)."""
        if routes.plausible_id(self.key_id):  # else the page says "not found" and shows no tab
            return tab_on_load(TABS, route_tab(TABS, self.tab))
