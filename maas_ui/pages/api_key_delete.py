"""The type-to-confirm Delete API key modal (PF6 Modal, warning variant).

Opened from the list's row kebab, the details page header and its Danger zone. "Delete" stays
disabled until the exact key name is typed; Cancel and Esc close without change.
"""

from __future__ import annotations

import reflex as rx

from maas_ui import db, pf, routes
from maas_ui.components import toasts
from maas_ui.services import api_keys as svc
from maas_ui.settings import demo_user

MODAL_TITLE_ID = "delete-api-key-title"
MODAL_BODY_ID = "delete-api-key-body"


class DeleteKeyState(rx.State):
    is_open: bool = False
    public_id: str = ""
    name: str = ""
    typed: str = ""
    from_details: bool = False
    input_key: int = 0

    @rx.var
    def matches(self) -> bool:
        return self.typed == self.name and self.name != ""

    @rx.event
    def open(self, public_id: str, from_details: bool = False):
        with db.session() as s:
            name = svc.key_name(s, public_id)
        if name is None:
            return toasts.danger("This API key no longer exists.")
        self.public_id, self.name, self.typed = public_id, name, ""
        self.from_details = bool(from_details)
        self.input_key += 1
        self.is_open = True

    @rx.event
    def set_typed(self, value: str):
        self.typed = value

    @rx.event
    def close(self):
        self.is_open = False
        self.typed = ""

    @rx.event
    def confirm(self):
        if not self.matches:
            return
        try:
            with db.session() as s:
                name = svc.delete_key(s, self.public_id, actor=demo_user())
        except svc.KeyNotFound:
            name = self.name  # someone else deleted it meanwhile: the outcome is the same
        self.is_open = False
        self.typed = ""
        done = toasts.success(f"API key \u201c{name}\u201d deleted")
        if self.from_details:
            return [rx.redirect(routes.API_KEYS), done]
        from maas_ui.pages.api_keys import ApiKeysState  # the list that opened the modal

        return [ApiKeysState.load, done]


def delete_key_modal() -> rx.Component:
    s = DeleteKeyState
    return pf.Modal.create(
        pf.ModalHeader.create(title="Delete API key?", title_icon_variant="warning", label_id=MODAL_TITLE_ID),
        pf.ModalBody.create(
            pf.Content.create(
                pf.Content.create(
                    "The API key is deleted permanently, and applications using it will stop working. "
                    "Its usage history stays in usage reports.",
                    component="p",
                ),
                pf.Content.create(
                    rx.el.strong(s.name, class_name="maas-delete-key-name"),
                    component="p",
                ),
                id=MODAL_BODY_ID,
            ),
            pf.Form.create(
                pf.FormGroup.create(
                    pf.TextInput.create(
                        id="delete-api-key-confirm",
                        default_value="",
                        auto_complete="off",
                        on_change=s.set_typed,
                        key=s.input_key,
                    ),
                    label="Type " + s.name + " to confirm",
                    field_id="delete-api-key-confirm",
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
        aria_labelledby=MODAL_TITLE_ID,
        aria_describedby=MODAL_BODY_ID,
        on_close=s.close,
    )
