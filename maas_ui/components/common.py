"""Small compositions used by every page."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.react_router.dom import ReactRouterLink

from maas_ui import pf


def link(*children, href, **props) -> rx.Component:
    """An in-app link: a real <a href> with client-side navigation."""
    return ReactRouterLink.create(*children, to=href, **props)


def page_header(title: str, description: str | None = None, actions: rx.Component | None = None) -> rx.Component:
    """Title, description and primary actions of a list page."""
    text = [pf.Title.create(title, heading_level="h1")]
    if description:
        text.append(pf.Content.create(description, component="p"))
    return pf.PageSection.create(
        pf.Flex.create(
            pf.FlexItem.create(pf.Content.create(*text)),
            *([pf.FlexItem.create(actions)] if actions is not None else []),
            justify_content={"default": "justifyContentSpaceBetween"},
            align_items={"default": "alignItemsFlexEnd"},
        ),
    )


def empty_state(
    title: str,
    body: str | rx.Var,
    *,
    icon: str = "SearchIcon",
    actions: list[rx.Component] | None = None,
    heading_level: str = "h2",
    status: str | None = None,
) -> rx.Component:
    footer = (
        [pf.EmptyStateFooter.create(pf.EmptyStateActions.create(*actions))] if actions else []
    )
    props = {"status": status} if status else {}
    return pf.EmptyState.create(
        pf.EmptyStateBody.create(body),
        *footer,
        title_text=title,
        heading_level=heading_level,
        icon=pf.component_ref(icon),
        **props,
    )


def not_found_state(title: str, body: str, back_label: str, back_href: str) -> rx.Component:
    """The PF empty state for an unknown URL or id, with a way back."""
    return pf.PageSection.create(
        empty_state(
            title,
            body,
            icon="ExclamationCircleIcon",
            heading_level="h1",
            actions=[link(back_label, href=back_href, class_name="pf-v6-c-button pf-m-primary")],
        )
    )


# A search runs once typing pauses this long, not once per keystroke (a person types a
# character every ~100-200 ms; a pasted or picked value is one change and waits only this).
SEARCH_DEBOUNCE_MS = 150


def search_box(*, value: rx.Var, placeholder: str, aria_label: str, on_change, remount_key: rx.Var) -> rx.Component:
    """The list pages' search field: uncontrolled (no keystroke round-trip lag), debounced;
    bumping `remount_key` in the state clears it."""
    return pf.TextInput.create(
        type="search",
        default_value=value,
        placeholder=placeholder,
        aria_label=aria_label,
        on_change=on_change.debounce(SEARCH_DEBOUNCE_MS),
        key=remount_key,
    )
