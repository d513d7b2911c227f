"""Delete policy: a PF6 warning modal confirmed by typing the policy's exact name. Each host page
declares its own state from `DeletePolicyState`, saying what follows the deletion."""

from __future__ import annotations

import reflex as rx

from maas_ui.components.confirm_delete import ConfirmDeleteStateMixin, confirm_delete_modal
from maas_ui.identity import acting_user
from maas_ui.services import policies as svc


class DeletePolicyState(ConfirmDeleteStateMixin, mixin=True):
    slug: str = ""

    @rx.event
    def open(self, slug: str, name: str):
        self.slug = slug
        self._show(name)

    def _delete(self) -> str:
        try:
            return svc.delete_policy(self.slug, actor=acting_user())
        except svc.PolicyNotFound:
            return self.name

    def _deleted_message(self, name: str) -> str:
        return f'Policy "{name}" deleted'


def policy_delete_modal(state: type[DeletePolicyState]) -> rx.Component:
    return confirm_delete_modal(
        state,
        title="Delete policy?",
        permanence_text="The policy is deleted permanently. Its limits stop applying to every API key it targets, "
        "and its manifests leave the GitOps export.",
        id_prefix="policy-delete",
        input_aria_label="Type the policy name to confirm",
    )
