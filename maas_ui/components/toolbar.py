"""The list pages' toolbar: a search box first, then filters, then actions aligned to the end."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf


def search_box(*, value: rx.Var, placeholder: str, aria_label: str, on_change, remount_key: rx.Var) -> rx.Component:
    """The list pages' search field: uncontrolled (no keystroke round-trip lag); bumping
    `remount_key` in the state clears it."""
    return pf.TextInput.create(
        type="search",
        default_value=value,
        placeholder=placeholder,
        aria_label=aria_label,
        on_change=on_change,
        key=remount_key,
    )


def list_toolbar(
    search: rx.Component,
    *filters: rx.Component,
    end: list[rx.Component] | None = None,
    group_filters: bool = False,
    **toolbar_props,
) -> rx.Component:
    """`search` (a search_box, bare or inside a ToolbarFilter), then `filters` (ToolbarItems,
    ToolbarFilters or conditional items), then `end` (components or ToolbarItems) aligned to the
    right edge. `group_filters` puts search and filters in one PF filter group (chips collapse
    together on narrow screens)."""
    first = search if isinstance(search, pf.ToolbarFilter) else pf.ToolbarItem.create(search)
    leading = [pf.ToolbarGroup.create(first, *filters, variant="filter-group")] if group_filters else [first, *filters]
    trailing = []
    for i, item in enumerate(end or []):
        if not isinstance(item, pf.ToolbarItem):
            item = pf.ToolbarItem.create(item)
        if i == 0:
            item.align = pf.ToolbarItem.create(align="alignEnd").align
        trailing.append(item)
    return pf.Toolbar.create(pf.ToolbarContent.create(*leading, *trailing), **toolbar_props)
