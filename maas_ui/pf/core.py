"""Thin typed wrappers over @patternfly/react-core. Props are snake_case here, camelCase in React."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import no_args_event_spec
from reflex.vars.base import Var
from reflex_base.constants.compiler import MemoizationDisposition, MemoizationMode

from maas_ui.pf.base import PFComponent, Responsive


# Parents that read or clone their children's props (Tabs, Breadcrumb) must see the PF element
# itself, not a Reflex memo wrapper around it.
_NEVER_MEMOIZE = MemoizationMode(disposition=MemoizationDisposition.NEVER, recursive=False)


def _value_spec(_e: Any, value: Any) -> list:
    return [value]


# Page layout ---------------------------------------------------------------------------------
class Page(PFComponent):
    # Its component props (masthead, sidebar, notification drawer) cannot go through a memo
    # wrapper once a state var (the drawer's open flag) is among its props.
    tag = "Page"
    _memoization_mode = _NEVER_MEMOIZE
    masthead: rx.Var[rx.Component]
    sidebar: rx.Var[rx.Component]
    skip_to_content: rx.Var[rx.Component]
    main_container_id: rx.Var[str]
    is_managed_sidebar: rx.Var[bool]
    main_aria_label: rx.Var[str]
    breadcrumb: rx.Var[rx.Component]
    is_content_filled: rx.Var[bool]
    notification_drawer: rx.Var[rx.Component]
    is_notification_drawer_expanded: rx.Var[bool]
    on_notification_drawer_expand: rx.EventHandler[no_args_event_spec]


class SkipToContent(PFComponent):
    tag = "SkipToContent"
    href: rx.Var[str]


class Masthead(PFComponent):
    tag = "Masthead"


class MastheadMain(PFComponent):
    tag = "MastheadMain"


class MastheadToggle(PFComponent):
    tag = "MastheadToggle"


class MastheadBrand(PFComponent):
    tag = "MastheadBrand"


class MastheadLogo(PFComponent):
    tag = "MastheadLogo"
    href: rx.Var[str]
    component: rx.Var[str]


class MastheadContent(PFComponent):
    tag = "MastheadContent"


class PageToggleButton(PFComponent):
    tag = "PageToggleButton"
    is_hamburger_button: rx.Var[bool]
    aria_label: rx.Var[str]
    variant: rx.Var[str]


class PageSidebar(PFComponent):
    tag = "PageSidebar"


class PageSidebarBody(PFComponent):
    tag = "PageSidebarBody"


class PageSection(Responsive, PFComponent):
    tag = "PageSection"
    responsive_props = ('padding',)
    variant: rx.Var[str]  # default | secondary
    is_filled: rx.Var[bool]
    is_width_limited: rx.Var[bool]
    padding: rx.Var[dict]
    aria_label: rx.Var[str]
    type: rx.Var[str]  # default | breadcrumb | tabs | wizard ...


class PageBreadcrumb(PFComponent):
    tag = "PageBreadcrumb"


class Nav(PFComponent):
    tag = "Nav"
    aria_label: rx.Var[str]


class NavList(PFComponent):
    tag = "NavList"


class NavExpandable(PFComponent):
    tag = "NavExpandable"
    title: rx.Var[str]
    is_expanded: rx.Var[bool]
    is_active: rx.Var[bool]
    group_id: rx.Var[str]


# Text and layout -----------------------------------------------------------------------------
class Title(PFComponent):
    tag = "Title"
    heading_level: rx.Var[str]
    size: rx.Var[str]


class Content(PFComponent):
    tag = "Content"
    component: rx.Var[str]  # p | h1..h6 | small | ul | li | dl | a ...
    is_visited: rx.Var[bool]


class Flex(Responsive, PFComponent):
    tag = "Flex"
    responsive_props = ('direction', 'justify_content', 'align_items', 'space_items', 'gap', 'flex_wrap')
    direction: rx.Var[dict]
    justify_content: rx.Var[dict]
    align_items: rx.Var[dict]
    space_items: rx.Var[dict]
    gap: rx.Var[dict]
    flex_wrap: rx.Var[dict]


class FlexItem(Responsive, PFComponent):
    tag = "FlexItem"
    responsive_props = ('flex', 'align')
    flex: rx.Var[dict]
    align: rx.Var[dict]


class Gallery(Responsive, PFComponent):
    tag = "Gallery"
    responsive_props = ('min_widths',)
    has_gutter: rx.Var[bool]
    min_widths: rx.Var[dict]


class GalleryItem(PFComponent):
    tag = "GalleryItem"


class Grid(PFComponent):
    tag = "Grid"
    has_gutter: rx.Var[bool]


class GridItem(PFComponent):
    tag = "GridItem"
    span: rx.Var[int]
    md: rx.Var[int]
    lg: rx.Var[int]
    xl: rx.Var[int]


class Stack(PFComponent):
    tag = "Stack"
    has_gutter: rx.Var[bool]


class StackItem(PFComponent):
    tag = "StackItem"
    is_filled: rx.Var[bool]


class Split(PFComponent):
    tag = "Split"
    has_gutter: rx.Var[bool]


class SplitItem(PFComponent):
    tag = "SplitItem"
    is_filled: rx.Var[bool]


class Bullseye(PFComponent):
    tag = "Bullseye"


class Divider(PFComponent):
    tag = "Divider"
    component: rx.Var[str]


class Icon(PFComponent):
    tag = "Icon"
    status: rx.Var[str]
    size: rx.Var[str]
    is_inline: rx.Var[bool]


class Spinner(PFComponent):
    tag = "Spinner"
    size: rx.Var[str]
    aria_label: rx.Var[str]


class Truncate(PFComponent):
    tag = "Truncate"
    content: rx.Var[str]


class Timestamp(PFComponent):
    tag = "Timestamp"
    date: rx.Var[Any]
    tooltip: rx.Var[dict]


class Tooltip(PFComponent):
    tag = "Tooltip"
    content: rx.Var[Any]
    position: rx.Var[str]


# Actions -------------------------------------------------------------------------------------
class Button(PFComponent):
    tag = "Button"
    variant: rx.Var[str]  # primary | secondary | tertiary | danger | link | plain | control
    is_disabled: rx.Var[bool]
    is_aria_disabled: rx.Var[bool]
    is_danger: rx.Var[bool]
    is_inline: rx.Var[bool]
    is_block: rx.Var[bool]
    is_loading: rx.Var[bool]
    size: rx.Var[str]
    type: rx.Var[str]
    aria_label: rx.Var[str]
    icon: rx.Var[rx.Component]
    icon_position: rx.Var[str]
    component: rx.Var[str]
    href: rx.Var[str]
    target: rx.Var[str]
    rel: rx.Var[str]
    form: rx.Var[str]


# Labels, alerts, empty states ----------------------------------------------------------------
class Label(PFComponent):
    tag = "Label"
    color: rx.Var[str]  # blue | teal | green | orange | purple | red | orangered | grey | yellow
    status: rx.Var[str]  # success | warning | danger | info | custom
    variant: rx.Var[str]  # outline | filled
    is_compact: rx.Var[bool]
    icon: rx.Var[rx.Component]


class LabelGroup(PFComponent):
    tag = "LabelGroup"
    num_labels: rx.Var[int]
    category_name: rx.Var[str]
    aria_label: rx.Var[str]
    expanded_text: rx.Var[str]
    collapsed_text: rx.Var[str]


class Alert(PFComponent):
    tag = "Alert"
    variant: rx.Var[str]  # success | danger | warning | info | custom
    title: rx.Var[str]
    component: rx.Var[str]  # the title element; PF defaults to h4, which breaks heading order under an h1
    is_inline: rx.Var[bool]
    is_plain: rx.Var[bool]
    timeout: rx.Var[int]
    action_close: rx.Var[rx.Component]
    action_links: rx.Var[rx.Component]
    aria_live: rx.Var[str]
    on_timeout: rx.EventHandler[no_args_event_spec]


class AlertGroup(PFComponent):
    tag = "AlertGroup"
    is_toast: rx.Var[bool]
    is_live_region: rx.Var[bool]


class AlertActionCloseButton(PFComponent):
    tag = "AlertActionCloseButton"
    aria_label: rx.Var[str]
    title: rx.Var[str]
    variant_label: rx.Var[str]


class EmptyState(PFComponent):
    tag = "EmptyState"
    title_text: rx.Var[str]
    heading_level: rx.Var[str]
    icon: rx.Var[Any]  # a component type: use pf.component_ref("SearchIcon")
    status: rx.Var[str]
    variant: rx.Var[str]


class EmptyStateBody(PFComponent):
    tag = "EmptyStateBody"


class EmptyStateFooter(PFComponent):
    tag = "EmptyStateFooter"


class EmptyStateActions(PFComponent):
    tag = "EmptyStateActions"


# Cards, lists, disclosure --------------------------------------------------------------------
class Card(PFComponent):
    tag = "Card"
    is_compact: rx.Var[bool]
    is_plain: rx.Var[bool]
    is_full_height: rx.Var[bool]
    variant: rx.Var[str]
    aria_label: rx.Var[str]


class CardHeader(PFComponent):
    tag = "CardHeader"
    actions: rx.Var[dict]


class CardTitle(PFComponent):
    tag = "CardTitle"
    component: rx.Var[str]


class CardBody(PFComponent):
    tag = "CardBody"
    is_filled: rx.Var[bool]


class CardFooter(PFComponent):
    tag = "CardFooter"


class DescriptionList(Responsive, PFComponent):
    tag = "DescriptionList"
    responsive_props = ('column_modifier',)
    is_horizontal: rx.Var[bool]
    is_compact: rx.Var[bool]
    column_modifier: rx.Var[dict]
    aria_label: rx.Var[str]


class DescriptionListGroup(PFComponent):
    tag = "DescriptionListGroup"


class DescriptionListTerm(PFComponent):
    tag = "DescriptionListTerm"


class DescriptionListDescription(PFComponent):
    tag = "DescriptionListDescription"


class ExpandableSection(PFComponent):
    tag = "ExpandableSection"
    toggle_text: rx.Var[str]
    is_expanded: rx.Var[bool]
    is_indented: rx.Var[bool]
    display_size: rx.Var[str]
    on_toggle: rx.EventHandler[_value_spec]


class ClipboardCopy(PFComponent):
    tag = "ClipboardCopy"
    is_read_only: rx.Var[bool]
    is_code: rx.Var[bool]
    variant: rx.Var[str]  # inline | inline-compact | expansion
    hover_tip: rx.Var[str]
    click_tip: rx.Var[str]
    text_aria_label: rx.Var[str]
    toggle_aria_label: rx.Var[str]
    copy_aria_label: rx.Var[str]
    # Given, it replaces PF's own copying of the shown text (e.g. to copy something not shown).
    on_copy: rx.EventHandler[no_args_event_spec]


class ClipboardCopyButton(PFComponent):
    """The copy button alone (e.g. a CodeBlock action); `on_click` must do the copying (rx.set_clipboard)."""

    tag = "ClipboardCopyButton"
    id: rx.Var[str]
    text_id: rx.Var[str]
    aria_label: rx.Var[str]
    variant: rx.Var[str]  # control | plain
    exit_delay: rx.Var[int]
    max_width: rx.Var[str]
    on_tooltip_hidden: rx.EventHandler[no_args_event_spec]


class CodeBlock(PFComponent):
    tag = "CodeBlock"
    actions: rx.Var[rx.Component]


class CodeBlockCode(PFComponent):
    tag = "CodeBlockCode"


class CodeBlockAction(PFComponent):
    tag = "CodeBlockAction"


class Breadcrumb(PFComponent):
    tag = "Breadcrumb"
    aria_label: rx.Var[str]


class BreadcrumbItem(PFComponent):
    tag = "BreadcrumbItem"
    _memoization_mode = _NEVER_MEMOIZE
    is_active: rx.Var[bool]


class Tabs(PFComponent):
    tag = "Tabs"
    active_key: rx.Var[str]
    aria_label: rx.Var[str]
    is_box: rx.Var[bool]
    mount_on_enter: rx.Var[bool]
    unmount_on_exit: rx.Var[bool]
    on_select: rx.EventHandler[_value_spec]


class Tab(PFComponent):
    tag = "Tab"
    _memoization_mode = _NEVER_MEMOIZE
    event_key: rx.Var[str]
    title: rx.Var[rx.Component]
    aria_label: rx.Var[str]
    href: rx.Var[str]


class TabTitleText(PFComponent):
    tag = "TabTitleText"


# Modal ---------------------------------------------------------------------------------------
# PF's Modal closes on every Escape keydown that reaches <body>, including the one that closes a
# select menu, date picker or time picker open inside it: the whole modal and its draft go. Escape
# must close only the innermost open thing. A capture listener on window sees each keydown before
# any component acts on it and marks those pressed while a menu or popover is open in a modal; the
# modal's onEscapePress then closes the modal only for unmarked ones (the menu closes itself).
_MODAL_ESCAPE_JS = """
if (typeof window !== "undefined" && !window.maasModalEscapeWatch) {
  window.maasModalEscapeWatch = true;
  window.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && document.querySelector(
        ".pf-v6-c-modal-box .pf-v6-c-menu, .pf-v6-c-modal-box .pf-v6-c-popover")) {
      event.maasClosesInnerMenu = true;
    }
  }, true);
}
function maasModalEscape(event, close) {
  if (!event.maasClosesInnerMenu) close(event);
}
"""


class Modal(PFComponent):
    """PF6 Modal: traps focus; Escape closes an open menu inside it first, then the modal (on_close)."""

    tag = "Modal"
    is_open: rx.Var[bool]
    variant: rx.Var[str]  # small | medium | large | default
    aria_labelledby: rx.Var[str]
    aria_describedby: rx.Var[str]
    aria_label: rx.Var[str]
    position: rx.Var[str]
    on_close: rx.EventHandler[no_args_event_spec]
    # Escape without PF's own close button (e.g. a Wizard brings its header's close button).
    on_escape_press: rx.EventHandler[no_args_event_spec]

    @classmethod
    def create(cls, *children, **props) -> rx.Component:
        modal = super().create(*children, **props)
        close = modal.event_triggers.get("on_close") or modal.event_triggers.pop("on_escape_press", None)
        if close is not None:
            chain = Var.create(close)
            modal.custom_attrs["onEscapePress"] = Var(
                _js_expr=f"((event) => maasModalEscape(event, {chain}))",
                _var_data=chain._get_all_var_data(),
            )
        return modal

    def add_custom_code(self) -> list[str]:
        return [_MODAL_ESCAPE_JS]


class ModalHeader(PFComponent):
    tag = "ModalHeader"
    title: rx.Var[str]
    title_icon_variant: rx.Var[str]  # success | danger | warning | info
    label_id: rx.Var[str]
    description: rx.Var[Any]
    description_id: rx.Var[str]


class ModalBody(PFComponent):
    tag = "ModalBody"
    aria_label: rx.Var[str]


class ModalFooter(PFComponent):
    tag = "ModalFooter"


# Forms ---------------------------------------------------------------------------------------
class Form(PFComponent):
    tag = "Form"
    is_horizontal: rx.Var[bool]
    is_width_limited: rx.Var[bool]
    on_submit: rx.EventHandler[no_args_event_spec]


class FormGroup(PFComponent):
    tag = "FormGroup"
    label: rx.Var[str]
    is_required: rx.Var[bool]
    field_id: rx.Var[str]
    role: rx.Var[str]
    is_inline: rx.Var[bool]
    is_stack: rx.Var[bool]
    label_help: rx.Var[rx.Component]


class FormSection(PFComponent):
    tag = "FormSection"
    title: rx.Var[str]
    title_element: rx.Var[str]


class FormHelperText(PFComponent):
    tag = "FormHelperText"


class HelperText(PFComponent):
    tag = "HelperText"


class HelperTextItem(PFComponent):
    tag = "HelperTextItem"
    variant: rx.Var[str]  # default | indeterminate | warning | success | error
    id: rx.Var[str]


class ActionGroup(PFComponent):
    tag = "ActionGroup"


class TextInput(PFComponent):
    """Use `default_value` (uncontrolled, no keystroke round-trip lag) or `value`."""

    tag = "TextInput"
    value: rx.Var[str]
    default_value: rx.Var[str]
    type: rx.Var[str]
    placeholder: rx.Var[str]
    aria_label: rx.Var[str]
    aria_describedby: rx.Var[str]
    is_required: rx.Var[bool]
    is_disabled: rx.Var[bool]
    read_only_variant: rx.Var[str]
    validated: rx.Var[str]  # default | error | warning | success
    name: rx.Var[str]
    min: rx.Var[str]
    step: rx.Var[str]
    auto_complete: rx.Var[str]
    on_change: rx.EventHandler[_value_spec]
    on_blur: rx.EventHandler[no_args_event_spec]


class TextArea(PFComponent):
    tag = "TextArea"
    value: rx.Var[str]
    default_value: rx.Var[str]
    placeholder: rx.Var[str]
    aria_label: rx.Var[str]
    validated: rx.Var[str]
    resize_orientation: rx.Var[str]
    rows: rx.Var[int]
    name: rx.Var[str]
    on_change: rx.EventHandler[_value_spec]


class FormSelect(PFComponent):
    tag = "FormSelect"
    value: rx.Var[str]
    aria_label: rx.Var[str]
    validated: rx.Var[str]
    is_disabled: rx.Var[bool]
    name: rx.Var[str]
    on_change: rx.EventHandler[_value_spec]


class FormSelectOption(PFComponent):
    tag = "FormSelectOption"
    value: rx.Var[str]
    label: rx.Var[str]
    is_disabled: rx.Var[bool]


class Checkbox(PFComponent):
    tag = "Checkbox"
    is_checked: rx.Var[bool]
    label: rx.Var[str]
    description: rx.Var[str]
    name: rx.Var[str]
    on_change: rx.EventHandler[_value_spec]


class Radio(PFComponent):
    tag = "Radio"
    is_checked: rx.Var[bool]
    label: rx.Var[str]
    description: rx.Var[str]
    name: rx.Var[str]
    value: rx.Var[str]
    on_change: rx.EventHandler[_value_spec]


class DatePicker(PFComponent):
    """Value is 'YYYY-MM-DD'; on_change gets that string."""

    tag = "DatePicker"
    value: rx.Var[str]
    placeholder: rx.Var[str]
    aria_label: rx.Var[str]
    input_props: rx.Var[dict]
    button_aria_label: rx.Var[str]
    append_to: rx.Var[str]
    invalid_format_text: rx.Var[str]
    on_change: rx.EventHandler[_value_spec]
    on_blur: rx.EventHandler[_value_spec]


class TimePicker(PFComponent):
    """Time as 'HH:MM' with is24_hour."""

    tag = "TimePicker"
    time: rx.Var[str]
    is24_hour: rx.Var[bool]
    aria_label: rx.Var[str]
    placeholder: rx.Var[str]
    input_props: rx.Var[dict]
    menu_append_to: rx.Var[str]
    on_change: rx.EventHandler[_value_spec]


class InputGroup(PFComponent):
    tag = "InputGroup"


class InputGroupItem(PFComponent):
    tag = "InputGroupItem"
    is_fill: rx.Var[bool]
    is_box: rx.Var[bool]
    is_plain: rx.Var[bool]


class InputGroupText(PFComponent):
    tag = "InputGroupText"


class SearchInput(PFComponent):
    tag = "SearchInput"
    value: rx.Var[str]
    placeholder: rx.Var[str]
    aria_label: rx.Var[str]
    on_change: rx.EventHandler[_value_spec]
    on_clear: rx.EventHandler[no_args_event_spec]


# Toolbar and pagination ----------------------------------------------------------------------
class Toolbar(PFComponent):
    tag = "Toolbar"
    is_full_height: rx.Var[bool]
    clear_all_filters: rx.EventHandler[no_args_event_spec]
    collapse_listed_filters_breakpoint: rx.Var[str]
    clear_filters_button_text: rx.Var[str]


class ToolbarContent(PFComponent):
    tag = "ToolbarContent"


class ToolbarGroup(Responsive, PFComponent):
    tag = "ToolbarGroup"
    responsive_props = ('align',)
    variant: rx.Var[str]
    align: rx.Var[dict]


class ToolbarItem(Responsive, PFComponent):
    tag = "ToolbarItem"
    responsive_props = ('align',)
    variant: rx.Var[str]
    align: rx.Var[dict]


def _delete_label_spec(_category: Any, label: Any) -> list:
    return [label]


class ToolbarFilter(PFComponent):
    """A filter control plus its applied values as removable labels (the Toolbar then offers
    "Clear all filters"). `labels` are strings; `delete_label` gets the removed label."""

    tag = "ToolbarFilter"
    labels: rx.Var[list[str]]
    category_name: rx.Var[str]
    show_toolbar_item: rx.Var[bool]
    delete_label: rx.EventHandler[_delete_label_spec]
    delete_label_group: rx.EventHandler[no_args_event_spec]


class ToolbarToggleGroup(PFComponent):
    tag = "ToolbarToggleGroup"
    toggle_icon: rx.Var[rx.Component]
    breakpoint: rx.Var[str]  # md | lg | xl | 2xl


class Pagination(PFComponent):
    tag = "Pagination"
    item_count: rx.Var[int]
    page: rx.Var[int]
    per_page: rx.Var[int]
    per_page_options: rx.Var[list[dict]]
    is_compact: rx.Var[bool]
    variant: rx.Var[str]  # top | bottom
    widget_id: rx.Var[str]
    on_set_page: rx.EventHandler[_value_spec]
    titles: rx.Var[dict]
    on_per_page_select: rx.EventHandler[_value_spec]


# Wizard --------------------------------------------------------------------------------------
class Wizard(PFComponent):  # noqa: D101
    """PF6 Wizard (usually inside a Modal). Steps are WizardStep children; each step's `footer`
    ({"nextButtonText", "isNextDisabled", ...}) controls its buttons; `on_save` runs on the last
    step's primary button, `on_close` on Cancel and the header's close button."""

    tag = "Wizard"
    header: rx.Var[rx.Component]
    height: rx.Var[str | int]
    is_visit_required: rx.Var[bool]
    start_index: rx.Var[int]
    nav_aria_label: rx.Var[str]
    on_close: rx.EventHandler[no_args_event_spec]
    on_save: rx.EventHandler[no_args_event_spec]


class WizardStep(PFComponent):
    tag = "WizardStep"
    _memoization_mode = _NEVER_MEMOIZE  # Wizard accepts only WizardStep elements as children
    name: rx.Var[str]
    id: rx.Var[str]
    footer: rx.Var[dict]
    is_disabled: rx.Var[bool]


class WizardHeader(PFComponent):
    tag = "WizardHeader"
    title: rx.Var[str]
    title_id: rx.Var[str]
    description: rx.Var[str]
    description_id: rx.Var[str]
    close_button_aria_label: rx.Var[str]
    is_close_hidden: rx.Var[bool]
    on_close: rx.EventHandler[no_args_event_spec]


# Notifications -------------------------------------------------------------------------------
class NotificationBadge(PFComponent):
    tag = "NotificationBadge"
    variant: rx.Var[str]  # read | unread | attention
    count: rx.Var[int]
    is_expanded: rx.Var[bool]
    aria_label: rx.Var[str]


# Escape closes an open notification drawer wherever the focus is (after "Mark all read" it is on
# <body>), unless a modal or a menu is open: those are closer and close first.
DRAWER_CLOSE_LABEL = "Close notifications"  # the drawer header's close button, which Escape presses
_DRAWER_ESCAPE_JS = """
if (typeof window !== "undefined" && !window.maasDrawerEscapeWatch) {
  window.maasDrawerEscapeWatch = true;
  window.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || document.querySelector(".pf-v6-c-modal-box, .pf-v6-c-menu")) return;
    const close = document.querySelector(
      '.pf-v6-c-drawer.pf-m-expanded .pf-v6-c-notification-drawer__header-action button[aria-label="%s"]');
    if (close) close.click();
  });
}
""" % DRAWER_CLOSE_LABEL


class NotificationDrawer(PFComponent):
    """Escape closes it (through its header's close button) unless a modal or menu is open."""

    tag = "NotificationDrawer"

    def add_custom_code(self) -> list[str]:
        return [_DRAWER_ESCAPE_JS]


class NotificationDrawerHeader(PFComponent):
    tag = "NotificationDrawerHeader"
    count: rx.Var[int]
    title: rx.Var[str]
    unread_text: rx.Var[str]
    custom_text: rx.Var[str]
    close_button_aria_label: rx.Var[str]
    on_close: rx.EventHandler[no_args_event_spec]


class NotificationDrawerBody(PFComponent):
    tag = "NotificationDrawerBody"


class NotificationDrawerList(PFComponent):
    tag = "NotificationDrawerList"
    aria_label: rx.Var[str]


class NotificationDrawerListItem(PFComponent):
    tag = "NotificationDrawerListItem"
    variant: rx.Var[str]  # default | success | danger | warning | info | custom
    is_read: rx.Var[bool]
    is_hoverable: rx.Var[bool]


class NotificationDrawerListItemHeader(PFComponent):
    tag = "NotificationDrawerListItemHeader"
    variant: rx.Var[str]
    title: rx.Var[str]
    sr_title: rx.Var[str]
    heading_level: rx.Var[str]


class NotificationDrawerListItemBody(PFComponent):
    tag = "NotificationDrawerListItemBody"
    timestamp: rx.Var[str]
