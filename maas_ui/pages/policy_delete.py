"""Delete policy: a PF6 warning modal confirmed by typing the policy's exact name."""

from __future__ import annotations

import reflex as rx

from maas_ui import db, pf, routes
from maas_ui.components.toasts import ToastState
from maas_ui.services import policies as svc


class PolicyDeleteState(rx.State):
    is_open: bool = False
    slug: str = ""
    name: str = ""
    typed: str = ""
    origin: str = "list"  # list | details
    input_key: int = 0

    @rx.event
    def open(self, slug: str, name: str, origin: str = "list"):
        self.slug, self.name, self.origin = slug, name, origin
        self.typed = ""
        self.input_key += 1
        self.is_open = True

    @rx.event
    def close(self):
        self.is_open = False

    @rx.event
    def set_typed(self, value: str):
        self.typed = value

    @rx.event
    def confirm(self):
        if self.typed != self.name:
            return
        from maas_ui.pages.policies import PoliciesState

        try:
            with db.session() as s:
                name = svc.delete_policy(s, self.slug)
        except svc.PolicyNotFound:
            name = self.name
        self.is_open = False
        toast = ToastState.show("success", f'Policy "{name}" deleted')
        if self.origin == "details":
            return [rx.redirect(routes.POLICIES), toast]
        return [PoliciesState.load, toast]

    @rx.var
    def can_delete(self) -> bool:
        return self.typed == self.name and self.name != ""


def policy_delete_modal() -> rx.Component:
    s = PolicyDeleteState
    return pf.Modal.create(
        pf.ModalHeader.create(title="Delete policy?", title_icon_variant="warning", label_id="policy-delete-title"),
        pf.ModalBody.create(
            pf.Stack.create(
                pf.StackItem.create(pf.Content.create(
                    "The policy is deleted permanently. Its limits stop applying to every API key it targets, "
                    "and its manifests leave the GitOps export.",
                    component="p",
                )),
                pf.StackItem.create(pf.Content.create(rx.el.strong(s.name), component="p", class_name="maas-confirm-name")),
                pf.StackItem.create(
                    pf.FormGroup.create(
                        pf.TextInput.create(
                            id="policy-delete-confirm",
                            default_value="",
                            aria_label="Type the policy name to confirm",
                            on_change=s.set_typed,
                            key=s.input_key,
                        ),
                        label="Type " + s.name + " to confirm",
                        field_id="policy-delete-confirm",
                    )
                ),
                has_gutter=True,
            )
        ),
        pf.ModalFooter.create(
            pf.Button.create("Delete", variant="danger", is_disabled=~s.can_delete, on_click=s.confirm),
            pf.Button.create("Cancel", variant="link", on_click=s.close),
        ),
        is_open=s.is_open,
        on_close=s.close,
        variant="small",
        aria_labelledby="policy-delete-title",
    )
