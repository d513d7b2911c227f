"""The kebab (⋮) actions menu of rows and details pages, built from a list of actions."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from maas_ui import pf


@dataclass(frozen=True)
class MenuAction:
    value: str  # what on_select receives
    label: str
    danger: bool = False
    divider_before: bool = False


def menu_items(actions: list[MenuAction]) -> list[dict]:
    """PF SimpleDropdown items for `actions`."""
    items: list[dict] = []
    for a in actions:
        if a.divider_before:
            items.append({"value": f"divider-{a.value}", "isDivider": True})
        items.append({"value": a.value, "content": a.label, **({"isDanger": True} if a.danger else {})})
    return items


def kebab_menu(
    actions: list[MenuAction],
    *,
    on_select,
    aria_label: str | rx.Var,
    otherwise: list[MenuAction] | None = None,
    when: rx.Var | None = None,
    key: str | rx.Var | None = None,
) -> rx.Component:
    """A plain ⋮ toggle opening `actions` (or, with `when`, `actions` while `when` is true and
    `otherwise` when false). `on_select` receives the chosen action's value. Pass a `key` that
    changes with `when`: PF's template reads its items once."""
    items = menu_items(actions) if when is None else rx.cond(when, menu_items(actions), menu_items(otherwise or []))
    props = {"key": key} if key is not None else {}
    return pf.SimpleDropdown.create(
        initial_items=items,
        toggle_content=pf.icon("EllipsisVIcon"),
        toggle_variant="plain",
        toggle_aria_label=aria_label,
        popper_props={"position": "right"},
        on_select=on_select,
        **props,
    )
