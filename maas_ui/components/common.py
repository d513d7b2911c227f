"""Small compositions used by every page: links, headers, empty and loading states, subtle text."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.react_router.dom import ReactRouterLink

from maas_ui import pf

# PatternFly class names pages need on plain elements, written once here.
_SUBTLE = "pf-v6-u-text-color-subtle"
_BUTTON_CLASSES = {"primary": "pf-v6-c-button pf-m-primary", "link": "pf-v6-c-button pf-m-link",
                   "secondary": "pf-v6-c-button pf-m-secondary"}


def link(*children, href, **props) -> rx.Component:
    """An in-app link: a real <a href> with client-side navigation."""
    return ReactRouterLink.create(*children, to=href, **props)


def link_button(label: str, *, href: str, variant: str = "primary") -> rx.Component:
    """A navigation that looks like a PF button (a real link, so it opens in a new tab too)."""
    return link(label, href=href, class_name=_BUTTON_CLASSES[variant])


def subtle(*children, small: bool = False) -> rx.Component:
    """Secondary text (kinds, hints, 'None') in PF's subtle colour."""
    return (rx.el.small if small else rx.el.span)(*children, class_name=_SUBTLE)


def tab_body(*children) -> rx.Component:
    """A tab's content, spaced from the tab bar (PF components ignore `style`: a class)."""
    return rx.el.div(*children, class_name="maas-tab-body")


def loading(label: str) -> rx.Component:
    """The spinner shown while a page or tab loads; `label` names what is loading."""
    return pf.Bullseye.create(pf.Spinner.create(aria_label=label))


def page_header(title: str, description: str | None = None, actions: rx.Component | None = None) -> rx.Component:
    """Title, description and primary actions of a list page."""
    text = [pf.Title.create(title, heading_level="h1")]
    if description:
        text.append(pf.Content.create(description, component="p"))
    return pf.PageSection.create(
        pf.Flex.create(
            pf.FlexItem.create(pf.Content.create(*text)),
            *([pf.FlexItem.create(actions)] if actions is not None else []),
            justify_content="justifyContentSpaceBetween",
            align_items="alignItemsFlexEnd",
        ),
    )


def empty_state(
    title: str,
    body: str | rx.Var,
    *,
    icon: str | None = "SearchIcon",
    actions: list[rx.Component] | None = None,
    heading_level: str = "h2",
    status: str | None = None,
    variant: str | None = None,
) -> rx.Component:
    footer = (
        [pf.EmptyStateFooter.create(pf.EmptyStateActions.create(*actions))] if actions else []
    )
    props = {"status": status} if status else {}
    if variant:
        props["variant"] = variant
    if icon:
        props["icon"] = pf.component_ref(icon)
    return pf.EmptyState.create(
        pf.EmptyStateBody.create(body),
        *footer,
        title_text=title,
        heading_level=heading_level,
        **props,
    )


def not_found_state(title: str, body: str | rx.Var, back_label: str, back_href: str) -> rx.Component:
    """The PF empty state for an unknown URL or id, with a way back."""
    return pf.PageSection.create(
        empty_state(
            title,
            body,
            icon="ExclamationCircleIcon",
            heading_level="h1",
            actions=[link_button(back_label, href=back_href)],
        )
    )


NO_ACCESS_TITLE = "You do not have access"
NO_ACCESS_BODY = ("Your role does not allow you to see or change this. Ask a platform admin if you need access; "
                  "nothing was changed.")


def no_access_state(back_label: str, back_href: str, body: str | rx.Var = NO_ACCESS_BODY) -> rx.Component:
    """The PF empty state for something the acting user may not see or do, with a way back."""
    return pf.PageSection.create(
        empty_state(NO_ACCESS_TITLE, body, icon="LockIcon", heading_level="h1",
                    actions=[link_button(back_label, href=back_href)])
    )
