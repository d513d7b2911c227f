"""The type-to-confirm Delete modal shared by the API key and policy pages (PF6 Modal, warning).

Title "Delete X?", a permanence text, the exact name in plain text, a "Type <name> to confirm"
field and a danger "Delete" button that stays disabled until the exact name is typed; Cancel and
Esc close without change. A feature's delete state (what to delete, `_delete`) builds on
`ConfirmDeleteStateMixin`, which holds the typing, matching and confirming; each page hosting the
modal declares its own state from that, saying what follows a deletion (`_on_deleted`: reload the
list, leave the deleted item's page). The modal never imports its host.
"""

from __future__ import annotations

import logging

import reflex as rx

from maas_ui import pf
from maas_ui.components import toasts

log = logging.getLogger(__name__)


class ConfirmDeleteStateMixin(rx.State, mixin=True):
    """Open/closed, the name to type and what has been typed so far."""

    is_open: bool = False
    name: str = ""
    typed: str = ""
    input_key: int = 0  # bumped on every opening: remounts the uncontrolled input empty

    @rx.var
    def matches(self) -> bool:
        return self.typed == self.name and self.name != ""

    def _show(self, name: str) -> None:
        """Open the modal for `name` with an empty confirmation field."""
        self.name, self.typed = name, ""
        self.input_key += 1
        self.is_open = True

    def _hide(self) -> None:
        self.is_open = False
        self.typed = ""

    def _delete(self) -> str:
        """Delete; return the name as deleted (an item already gone counts as deleted)."""
        raise NotImplementedError

    def _deleted_message(self, name: str) -> str:
        raise NotImplementedError

    def _on_deleted(self, name: str) -> list:
        """What the host does afterwards (reload its list, leave the deleted item's page)."""
        return []

    @rx.event
    def set_typed(self, value: str):
        self.typed = value

    @rx.event
    def close(self):
        self._hide()

    @rx.event
    def confirm(self):
        if not self.matches or not self.is_open:
            return
        try:
            name = self._delete()
        except Exception:  # the database failed: nothing was deleted; say so, log the details
            log.exception("Deleting %r failed", self.name)
            self._hide()
            return toasts.danger(f"\u201c{self.name}\u201d could not be deleted because of a server error. "
                                 "Nothing was deleted: try again.")
        self._hide()
        return [*self._on_deleted(name), toasts.success(self._deleted_message(name))]


def confirm_delete_modal(
    state: type[ConfirmDeleteStateMixin],
    *,
    title: str,
    permanence_text: str,
    id_prefix: str,
    input_aria_label: str | None = None,
    details: rx.Component | None = None,
) -> rx.Component:
    """The modal of host state `state`. Ids: `<id_prefix>-title`, `<id_prefix>-body` and the field
    `<id_prefix>-confirm`. `details` (e.g. what else the deletion touches) shows above the field.
    Leaving or entering the host page closes it."""
    title_id, body_id, input_id = f"{id_prefix}-title", f"{id_prefix}-body", f"{id_prefix}-confirm"
    s = state
    input_props = {"aria_label": input_aria_label} if input_aria_label else {}
    return pf.Modal.create(
        pf.ModalHeader.create(title=title, title_icon_variant="warning", label_id=title_id),
        pf.ModalBody.create(
            pf.Content.create(
                pf.Content.create(permanence_text, component="p"),
                pf.Content.create(rx.el.strong(s.name, class_name="maas-confirm-name"), component="p"),
                id=body_id,
            ),
            *([details] if details is not None else []),
            pf.Form.create(
                pf.FormGroup.create(
                    pf.TextInput.create(
                        id=input_id,
                        default_value="",
                        auto_complete="off",
                        on_change=s.set_typed,
                        key=s.input_key,
                        **input_props,
                    ),
                    label="Type " + s.name + " to confirm",
                    field_id=input_id,
                ),
                on_submit=[rx.prevent_default, s.confirm],
                class_name="pf-v6-u-mt-md",
            ),
        ),
        pf.ModalFooter.create(
            pf.Button.create("Delete", variant="danger", is_disabled=~s.matches, on_click=s.confirm),
            pf.Button.create("Cancel", variant="link", on_click=s.close),
        ),
        is_open=s.is_open,
        variant="small",
        aria_labelledby=title_id,
        aria_describedby=body_id,
        on_close=s.close,
        on_mount=s.close,
        on_unmount=s.close,
    )
