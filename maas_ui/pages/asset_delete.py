"""Delete asset: the shared type-to-confirm modal, with the blast radius first (the keys granting
the asset, their owners and last 24 hours of requests, the policies naming it). Usage history
stays attributable: the asset is soft-deleted (services.assets.delete_asset)."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf
from maas_ui.components import toasts
from maas_ui.components.confirm_delete import ConfirmDeleteStateMixin, confirm_delete_modal
from maas_ui.services import assets as svc
from maas_ui.identity import acting_user


class DeleteAssetState(ConfirmDeleteStateMixin, mixin=True):
    asset_ref: str = ""
    keys: list[svc.AssetKeyRow] = []
    policies: list[svc.AssetPolicyRow] = []
    requests_24h: int = 0
    cost_24h: str = "$0.00"

    @rx.event
    def open(self, asset_ref: str):
        try:
            radius = svc.blast_radius(asset_ref, actor=acting_user(self))
        except svc.AssetNotFound:
            return toasts.danger("This asset no longer exists.")
        self.asset_ref = asset_ref
        self.keys, self.policies = radius.keys, radius.policies
        self.requests_24h, self.cost_24h = radius.requests_24h, radius.cost_24h
        self._show(radius.name)

    def _delete(self) -> str:
        return svc.delete_asset(self.asset_ref, actor=acting_user(self))

    def _deleted_message(self, name: str) -> str:
        return f"Asset \u201c{name}\u201d deleted"

    @rx.var
    def impact(self) -> str:
        n, p = len(self.keys), len(self.policies)
        if not n and not p:
            return "No API key or policy uses this asset."
        return (f"{n} API key{'s' if n != 1 else ''} and {p} polic{'ies' if p != 1 else 'y'} lose access to it. "
                f"Last 24 hours: {self.requests_24h:,} requests, {self.cost_24h}.")


def _radius(s: type[DeleteAssetState]) -> rx.Component:
    return pf.Stack.create(
        pf.StackItem.create(pf.Alert.create(title=s.impact, variant="warning", is_inline=True, component="h2")),
        rx.cond(s.keys.length() > 0, pf.StackItem.create(pf.Table.create(
            pf.Thead.create(pf.Tr.create(pf.Th.create("API key"), pf.Th.create("Owner"),
                                         pf.Th.create("Requests"))),
            pf.Tbody.create(rx.foreach(s.keys, lambda k: pf.Tr.create(
                pf.Td.create(k.name, data_label="API key"), pf.Td.create(k.owner, data_label="Owner"),
                pf.Td.create(k.requests_24h, data_label="Requests")))),
            aria_label="API keys that grant this asset", variant="compact"))),
        rx.cond(s.policies.length() > 0, pf.StackItem.create(pf.Content.create(
            "Policies naming it: ", rx.foreach(s.policies, lambda p: rx.el.span(p.name, " ")), component="p"))),
        has_gutter=True, class_name="pf-v6-u-mt-md",
    )


def asset_delete_modal(s: type[DeleteAssetState]) -> rx.Component:
    return confirm_delete_modal(
        s, title="Delete asset?", id_prefix="asset-delete", details=_radius(s),
        permanence_text="The asset leaves the catalog and the gateway; keys and policies lose it. "
                        "Its usage history stays, under its name. This cannot be undone.",
    )
