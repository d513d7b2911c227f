"""The one skeleton of a details page (API key, policy): loading, not found, header, routed tabs.

A page gives its tabs as `DetailsTab` entries (slugs and order from maas_ui/routes.py). The tab
lives in the URL (…/<id>/<slug>): selecting one navigates, so reload and back/forward keep it;
an unknown slug shows the first tab. While loading: a spinner; an unknown or deleted id: the PF
not-found empty state with a way back to the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from maas_ui import pf
from maas_ui.components.common import link, loading, no_access_state, not_found_state, tab_body


@dataclass(frozen=True)
class DetailsTab:
    slug: str  # the URL segment after the id
    title: str
    content: Callable[[], rx.Component]  # rendered only while the tab is selected
    on_load: Any = None  # an event handler run whenever the page shows this tab, or None


@dataclass(frozen=True)
class NotFound:
    title: str
    body: str | rx.Var
    back_label: str
    back_href: str


def route_tab(tabs: list[DetailsTab], slug: str | None) -> str:
    """The slug to show for the route's `tab` argument: itself when it is a tab, else the first."""
    slugs = [t.slug for t in tabs]
    return slug if slug in slugs else slugs[0]


def tab_on_load(tabs: list[DetailsTab], slug: str):
    """The event handler the shown tab wants run, or None."""
    return next((t.on_load for t in tabs if t.slug == slug), None)


def _header(parent: tuple[str, str], title: rx.Var, labels: list[rx.Component], summary: list[rx.Component],
            actions: rx.Component | None) -> rx.Component:
    parent_label, parent_href = parent
    heading = pf.Flex.create(
        pf.FlexItem.create(pf.Title.create(title, heading_level="h1")),
        *[pf.FlexItem.create(label) for label in labels],
        align_items="alignItemsCenter",
        gap="gapMd",
    )
    return rx.fragment(
        pf.PageSection.create(
            pf.Breadcrumb.create(
                pf.BreadcrumbItem.create(link(parent_label, href=parent_href)),
                pf.BreadcrumbItem.create(title, is_active=True),
                aria_label="Breadcrumb",
            ),
            type="breadcrumb",
        ),
        pf.PageSection.create(
            pf.Flex.create(
                pf.FlexItem.create(pf.Stack.create(*[pf.StackItem.create(c) for c in [heading, *summary]],
                                                   has_gutter=True),
                                   flex="flex_1"),
                *([pf.FlexItem.create(actions)] if actions is not None else []),
                justify_content="justifyContentSpaceBetween",
                align_items="alignItemsFlexStart",
                flex_wrap="nowrap",
            ),
        ),
    )


def _tabs(tabs: list[DetailsTab], active_tab: rx.Var, on_select_tab, aria_label: str) -> rx.Component:
    return pf.PageSection.create(
        pf.Tabs.create(
            *[
                pf.Tab.create(
                    tab_body(tab.content()),
                    event_key=tab.slug,
                    title=pf.TabTitleText.create(tab.title),
                )
                for tab in tabs
            ],
            active_key=active_tab,
            on_select=on_select_tab,
            mount_on_enter=True,
            unmount_on_exit=True,
            aria_label=aria_label,
        ),
        aria_label=aria_label,
    )


def details_page(
    *,
    loaded: rx.Var[bool],
    found: rx.Var[bool],
    loading_label: str,
    not_found: NotFound,
    parent: tuple[str, str],
    title: rx.Var,
    tabs: list[DetailsTab],
    active_tab: rx.Var[str],
    on_select_tab,
    tabs_label: str,
    labels: list[rx.Component] | None = None,
    summary: list[rx.Component] | None = None,
    actions: rx.Component | None = None,
    denied: rx.Var[bool] | None = None,
) -> rx.Component:
    """The page content (wrap it in `shell` with the page's modals).

    `parent`: (label, href) of the list in the breadcrumb; `labels`: shown next to the title
    (status); `summary`: rows under the title; `actions`: the header's buttons and kebab;
    `denied`: the acting user may not see it (the "You do not have access" state, nothing shown).
    """
    missing = not_found_state(not_found.title, not_found.body, not_found.back_label, not_found.back_href)
    if denied is not None:
        missing = rx.cond(denied, no_access_state(not_found.back_label, not_found.back_href), missing)
    return rx.cond(
        ~loaded,
        pf.PageSection.create(loading(loading_label)),
        rx.cond(
            found,
            rx.fragment(
                _header(parent, title, labels or [], summary or [], actions),
                _tabs(tabs, active_tab, on_select_tab, tabs_label),
            ),
            missing,
        ),
    )
