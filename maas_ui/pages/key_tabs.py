"""The tabs of the API key details page: one entry per tab, in the spec's order.

A tab is a `KeyDetailsTab`. Details, Assets and Settings live in api_key_details.py. Other tabs
are self-contained modules that define a module-level `TAB`:

    # maas_ui/pages/key_metrics_tab.py
    TAB = KeyDetailsTab(slug="metrics", title="Metrics", content=metrics_tab, on_load=KeyMetricsState.load)

`content()` returns the tab's component (rendered only while the tab is selected); `on_load`,
when given, is an event handler run whenever the details page shows that tab (first load, tab
click, reload, back/forward). It reads the key's public id from the route, `self.key_id`, and
must cope with an unknown or deleted key (the page then shows "API key not found" anyway).
The order of the tabs is routes.API_KEY_TABS; a tab whose module does not exist is not shown.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from maas_ui import routes

# Slug -> module providing `TAB`, for the tabs built outside api_key_details.py.
EXTERNAL_TAB_MODULES = {
    "metrics": "maas_ui.pages.key_metrics_tab",
    "policies": "maas_ui.pages.key_policies_tab",
}


@dataclass(frozen=True)
class KeyDetailsTab:
    slug: str  # the URL segment: /settings/api-keys/<id>/<slug>
    title: str
    content: Callable[[], rx.Component]
    on_load: Any = None  # an EventHandler, or None


def _external_tab(slug: str) -> KeyDetailsTab | None:
    name = EXTERNAL_TAB_MODULES.get(slug)
    if name is None:
        return None
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:  # the tab is not built (yet): no tab, no placeholder
            return None
        raise
    tab = getattr(module, "TAB", None)
    if not isinstance(tab, KeyDetailsTab) or tab.slug != slug:
        raise TypeError(f"{name}.TAB must be a KeyDetailsTab with slug {slug!r}")
    return tab


def ordered_tabs(built_in: dict[str, KeyDetailsTab]) -> list[KeyDetailsTab]:
    """The tabs that exist, in routes.API_KEY_TABS order."""
    tabs = []
    for slug in routes.API_KEY_TABS:
        tab = built_in.get(slug) or _external_tab(slug)
        if tab is not None:
            tabs.append(tab)
    return tabs
