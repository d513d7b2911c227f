"""A PF DescriptionList from (term, value) pairs: the facts of a details page."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf

# columns -> PF column modifier; two or three columns collapse to one on small screens.
_COLUMNS = {1: "1Col", 2: {"default": "1Col", "lg": "2Col"}, 3: {"default": "1Col", "lg": "3Col"}}


def description_list(
    pairs: list[tuple[str | rx.Var, rx.Component | rx.Var | str]] | rx.Component,
    *,
    aria_label: str,
    columns: int = 2,
) -> rx.Component:
    """`pairs` may also be a component (rx.foreach of description_group) for state-driven lists."""
    groups = [pairs] if isinstance(pairs, rx.Component) else [description_group(t, v) for t, v in pairs]
    return pf.DescriptionList.create(
        *groups,
        column_modifier=_COLUMNS[columns],
        aria_label=aria_label,
    )


def description_group(term: rx.Var | str, *values) -> rx.Component:
    """One group, for lists built with rx.foreach over state rows."""
    return pf.DescriptionListGroup.create(
        pf.DescriptionListTerm.create(term),
        pf.DescriptionListDescription.create(*values),
    )
