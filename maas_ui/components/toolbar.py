"""The list pages' toolbar: a search box first, then filters, then actions aligned to the end."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf


class SearchStateMixin(rx.State, mixin=True):
    """A list page's search: the text, and a key whose bump remounts the (uncontrolled) box empty.
    The page's state implements `_search_changed` (reload its rows)."""

    search: str = ""
    search_box_key: int = 0

    def _search_changed(self) -> None:
        raise NotImplementedError

    def _reset_search(self) -> None:
        self.search = ""
        self.search_box_key += 1

    @rx.event
    def set_search(self, value: str):
        self.search = value or ""
        self._search_changed()

    @rx.event
    def clear_search(self):
        self._reset_search()
        self._search_changed()


# A search runs once typing pauses this long, not once per keystroke (a person types a
# character every ~100-200 ms; a pasted or picked value is one change and waits only this).
SEARCH_DEBOUNCE_MS = 150


def search_box(state: type[SearchStateMixin], *, placeholder: str, aria_label: str) -> rx.Component:
    """The list pages' search field: uncontrolled (no keystroke round-trip lag), debounced."""
    return pf.TextInput.create(
        type="search",
        default_value=state.search,
        placeholder=placeholder,
        aria_label=aria_label,
        on_change=state.set_search.debounce(SEARCH_DEBOUNCE_MS),
        key=state.search_box_key,
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
