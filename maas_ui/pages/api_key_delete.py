"""The type-to-confirm Delete API key modal (PF6 Modal, warning variant).

Opened from the list's row kebab, the details page header and its Danger zone. "Delete" stays
disabled until the exact key name is typed; Cancel and Esc close without change. Each host page
declares its own state from `DeleteKeyState`, saying what follows the deletion.
"""

from __future__ import annotations

import reflex as rx

from maas_ui.components import toasts
from maas_ui.components.confirm_delete import ConfirmDeleteStateMixin, confirm_delete_modal
from maas_ui.identity import acting_user
from maas_ui.services import api_keys as svc

ID_PREFIX = "delete-api-key"


class DeleteKeyState(ConfirmDeleteStateMixin, mixin=True):
    public_id: str = ""

    @rx.event
    def open(self, public_id: str):
        name = svc.key_name(public_id, actor=acting_user())
        if name is None:
            return toasts.danger("This API key no longer exists.")
        self.public_id = public_id
        self._show(name)

    def _delete(self) -> str:
        try:
            return svc.delete_key(self.public_id, actor=acting_user())
        except svc.KeyNotFound:
            return self.name  # someone else deleted it meanwhile: the outcome is the same

    def _deleted_message(self, name: str) -> str:
        return f"API key \u201c{name}\u201d deleted"


def delete_key_modal(state: type[DeleteKeyState]) -> rx.Component:
    return confirm_delete_modal(
        state,
        title="Delete API key?",
        permanence_text="The API key is deleted permanently, and applications using it will stop working. "
        "Its usage history stays in usage reports.",
        id_prefix=ID_PREFIX,
    )
