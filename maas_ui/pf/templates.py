"""Wrappers over @patternfly/react-templates: data-driven Dropdown and Select variants.

Select menus render inline (next to their toggle) unless told otherwise: inside a Modal, PF hides
everything outside the modal from assistive technology, and an inline menu is what the modal's
Escape handling sees as "a menu is open" (pf.core.Modal).

The typeahead templates give their text input the fixed accessible name "Type to filter" and no way
to change it. `label=` names the combobox by its visible label instead, so a screen-reader user
(and `get_by_role("combobox", name=...)`) finds each one by what the form shows above it.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex.vars.base import Var

from maas_ui.pf.base import PFTemplateComponent

INLINE_MENU = {"appendTo": "inline"}

# Sets the combobox input's aria-label, and again whenever the template re-renders or remounts it.
_NAME_COMBOBOX_JS = """
function maasNameCombobox(element, name) {
  if (!element || element.maasComboboxName === name) return;
  element.maasComboboxName = name;
  const apply = () => element.querySelectorAll('input[role="combobox"]').forEach((input) => {
    if (input.getAttribute("aria-label") !== name) input.setAttribute("aria-label", name);
  });
  apply();
  new MutationObserver(apply).observe(element, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"],
  });
}
"""


class _ComboboxName(rx.el.Div):
    """A layout-neutral box (display: contents) naming the combobox inside it."""

    def add_custom_code(self) -> list[str]:
        return [_NAME_COMBOBOX_JS]


def _named(select: rx.Component, label: str | None) -> rx.Component:
    if not label:
        return select
    return _ComboboxName.create(
        select,
        custom_attrs={"ref": Var(_js_expr=f"((element) => maasNameCombobox(element, {json.dumps(label)}))")},
        style={"display": "contents"},
    )


class _TypeaheadTemplate(PFTemplateComponent):
    @classmethod
    def create(cls, *children, label: str | None = None, **props) -> rx.Component:
        """`label`: the field's visible label, which becomes the combobox's accessible name."""
        props.setdefault("popper_props", INLINE_MENU)
        if label:
            props.setdefault("toggle_props", {"aria-label": label})
        return _named(super().create(*children, **props), label)


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

    @classmethod
    def create(cls, *children, **props) -> rx.Component:
        props.setdefault("popper_props", INLINE_MENU)
        return super().create(*children, **props)


class TypeaheadSelect(_TypeaheadTemplate):
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


class MultiTypeaheadSelect(_TypeaheadTemplate):
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
