"""Wrappers over @patternfly/react-templates: data-driven Dropdown and Select variants."""

from __future__ import annotations

import reflex as rx

from maas_ui.pf.base import PFTemplateComponent


def _value_spec(_e, value) -> list:
    return [value]


def _selection_spec(_e, selections) -> list:
    return [selections]


class SimpleDropdown(PFTemplateComponent):
    """Items: [{"value": ..., "content": ..., "isDisabled": bool, "isDanger": bool}]; kebab: toggle_variant='plain'."""

    tag = "SimpleDropdown"
    initial_items: rx.Var[list[dict]]
    toggle_content: rx.Var[rx.Component]
    toggle_variant: rx.Var[str]
    toggle_aria_label: rx.Var[str]
    popper_props: rx.Var[dict]
    is_disabled: rx.Var[bool]
    should_focus_toggle_on_select: rx.Var[bool]
    on_select: rx.EventHandler[_value_spec]


class SimpleSelect(PFTemplateComponent):
    """Options: [{"value": ..., "content": ..., "selected": bool}]."""

    tag = "SimpleSelect"
    initial_options: rx.Var[list[dict]]
    toggle_content: rx.Var[rx.Component]
    toggle_width: rx.Var[str]
    toggle_props: rx.Var[dict]  # e.g. {"aria-label": ...} for the toggle button
    is_disabled: rx.Var[bool]
    popper_props: rx.Var[dict]
    on_select: rx.EventHandler[_value_spec]


class TypeaheadSelect(PFTemplateComponent):
    tag = "TypeaheadSelect"
    initial_options: rx.Var[list[dict]]
    placeholder: rx.Var[str]
    no_options_found_message: rx.Var[str]
    is_creatable: rx.Var[bool]
    is_disabled: rx.Var[bool]
    toggle_width: rx.Var[str]
    toggle_props: rx.Var[dict]
    popper_props: rx.Var[dict]
    on_select: rx.EventHandler[_value_spec]
    on_clear_selection: rx.EventHandler[rx.event.no_args_event_spec]


class MultiTypeaheadSelect(PFTemplateComponent):
    tag = "MultiTypeaheadSelect"
    initial_options: rx.Var[list[dict]]
    placeholder: rx.Var[str]
    no_options_found_message: rx.Var[str]
    is_disabled: rx.Var[bool]
    toggle_width: rx.Var[str]
    toggle_props: rx.Var[dict]
    popper_props: rx.Var[dict]
    on_selection_change: rx.EventHandler[_selection_spec]


class CheckboxSelect(PFTemplateComponent):
    """Options carry `selected`; the template re-reads them whenever `initial_options` changes.

    PF calls `on_select(event, value)` with the one option toggled (it has no selection-change
    callback), so the state toggles that value and sends back the options with new flags.
    """

    tag = "CheckboxSelect"
    initial_options: rx.Var[list[dict]]
    toggle_content: rx.Var[rx.Component]
    toggle_width: rx.Var[str]
    toggle_props: rx.Var[dict]
    is_disabled: rx.Var[bool]
    popper_props: rx.Var[dict]
    on_select: rx.EventHandler[_value_spec]
