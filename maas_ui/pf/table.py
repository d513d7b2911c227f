"""Wrappers over @patternfly/react-table."""

from __future__ import annotations

from typing import Any

import reflex as rx

from maas_ui.pf.base import PFTableComponent


class Table(PFTableComponent):
    tag = "Table"
    aria_label: rx.Var[str]
    variant: rx.Var[str]  # compact
    grid_break_point: rx.Var[str]
    is_striped: rx.Var[bool]


class Caption(PFTableComponent):
    tag = "Caption"


class Thead(PFTableComponent):
    tag = "Thead"


class Tbody(PFTableComponent):
    tag = "Tbody"


class Tr(PFTableComponent):
    tag = "Tr"


class Th(PFTableComponent):
    """Header cell; pass `sort` (see sort_spec) to make it sortable."""

    tag = "Th"
    sort: rx.Var[dict[str, Any]]
    tooltip: rx.Var[Any]
    width: rx.Var[int]
    modifier: rx.Var[str]
    screen_reader_text: rx.Var[str]
    aria_label: rx.Var[str]

    @classmethod
    def create(cls, *children, **props):
        # PF wraps a truncated header text in a Tooltip on mouseenter, which remounts it between
        # mousedown and mouseup and swallows the click: let header text wrap instead of truncating.
        props.setdefault("tooltip", rx.Var("null"))
        if "sort" in props:
            props.setdefault("modifier", "wrap")
        return super().create(*children, **props)


class Td(PFTableComponent):
    tag = "Td"
    data_label: rx.Var[str]
    is_action_cell: rx.Var[bool]
    modifier: rx.Var[str]
    col_span: rx.Var[int]


def sort_spec(column_index: int, active_index: rx.Var[int], direction: rx.Var[str], on_sort: Any) -> rx.Var:
    """The `sort` prop of a Th: PF calls onSort(event, index, direction); we forward both to `on_sort`.

    `on_sort` is an EventHandler taking (index: int, direction: str).
    """
    from reflex.vars.base import Var
    from reflex_base.event import EventChain

    chain = EventChain.create(
        value=on_sort,
        args_spec=lambda _e, index, dir_: [index, dir_],
        key="on_sort",
    )
    return Var.create(
        {
            "sortBy": {"index": active_index, "direction": direction},
            "onSort": chain,
            "columnIndex": column_index,
        }
    )
