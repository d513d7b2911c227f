"""Delete policy: a PF6 warning modal confirmed by typing the policy's exact name."""

from __future__ import annotations

import reflex as rx

from maas_ui import db, routes
from maas_ui.components.confirm_delete import ConfirmDeleteStateMixin, confirm_delete_modal
from maas_ui.components.toasts import ToastState
from maas_ui.services import policies as svc


class PolicyDeleteState(ConfirmDeleteStateMixin, rx.State):
    slug: str = ""
    origin: str = "list"  # list | details

    @rx.event
    def open(self, slug: str, name: str, origin: str = "list"):
        self.slug, self.origin = slug, origin
        self._show(name)

    @rx.event
    def confirm(self):
        if not self.matches:
            return
        from maas_ui.pages.policies import PoliciesState

        try:
            with db.session() as s:
                name = svc.delete_policy(s, self.slug)
        except svc.PolicyNotFound:
            name = self.name
        self._hide()
        toast = ToastState.show("success", f'Policy "{name}" deleted')
        if self.origin == "details":
            return [rx.redirect(routes.POLICIES), toast]
        return [PoliciesState.load, toast]


def policy_delete_modal() -> rx.Component:
    return confirm_delete_modal(
        PolicyDeleteState,
        title="Delete policy?",
        permanence_text="The policy is deleted permanently. Its limits stop applying to every API key it targets, "
        "and its manifests leave the GitOps export.",
        id_prefix="policy-delete",
        input_aria_label="Type the policy name to confirm",
    )
