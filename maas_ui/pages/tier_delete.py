"""Delete tier: the shared type-to-confirm modal. Hosts declare their own state from `DeleteTierState`."""

from __future__ import annotations

import reflex as rx

from maas_ui.components.confirm_delete import ConfirmDeleteStateMixin, confirm_delete_modal
from maas_ui.identity import acting_user
from maas_ui.services import tiers as svc


class DeleteTierState(ConfirmDeleteStateMixin, mixin=True):
    slug: str = ""

    @rx.event
    def open(self, slug: str, name: str):
        self.slug = slug
        self._show(name)

    def _delete(self) -> str:
        try:
            return svc.delete_tier(self.slug, actor=acting_user(self))
        except svc.TierNotFound:
            return self.name

    def _deleted_message(self, name: str) -> str:
        return f"Tier \u201c{name}\u201d deleted"


def tier_delete_modal(state: type[DeleteTierState]) -> rx.Component:
    return confirm_delete_modal(
        state,
        title="Delete tier?",
        permanence_text="The tier is deleted permanently. Its members fall back to the next tier of their groups, "
        "or to no tier, and its limits stop applying.",
        id_prefix="tier-delete",
        input_aria_label="Type the tier name to confirm",
    )
