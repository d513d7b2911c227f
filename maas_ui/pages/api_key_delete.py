"""The type-to-confirm Delete API key modal (PF6 Modal, warning variant).

Opened from the list's row kebab, the details page header and its Danger zone. "Delete" stays
disabled until the exact key name is typed; Cancel and Esc close without change.
"""

from __future__ import annotations

import reflex as rx

from maas_ui import db, routes
from maas_ui.components import toasts
from maas_ui.components.confirm_delete import ConfirmDeleteStateMixin, confirm_delete_modal
from maas_ui.services import api_keys as svc
from maas_ui.settings import demo_user

ID_PREFIX = "delete-api-key"


class DeleteKeyState(ConfirmDeleteStateMixin, rx.State):
    public_id: str = ""
    from_details: bool = False

    @rx.event
    def open(self, public_id: str, from_details: bool = False):
        with db.session() as s:
            name = svc.key_name(s, public_id)
        if name is None:
            return toasts.danger("This API key no longer exists.")
        self.public_id = public_id
        self.from_details = bool(from_details)
        self._show(name)

    @rx.event
    def confirm(self):
        if not self.matches:
            return
        try:
            with db.session() as s:
                name = svc.delete_key(s, self.public_id, actor=demo_user())
        except svc.KeyNotFound:
            name = self.name  # someone else deleted it meanwhile: the outcome is the same
        self._hide()
        done = toasts.success(f"API key \u201c{name}\u201d deleted")
        if self.from_details:
            return [rx.redirect(routes.API_KEYS), done]
        from maas_ui.pages.api_keys import ApiKeysState  # the list that opened the modal

        return [ApiKeysState.load, done]


def delete_key_modal() -> rx.Component:
    return confirm_delete_modal(
        DeleteKeyState,
        title="Delete API key?",
        permanence_text="The API key is deleted permanently, and applications using it will stop working. "
        "Its usage history stays in usage reports.",
        id_prefix=ID_PREFIX,
    )
