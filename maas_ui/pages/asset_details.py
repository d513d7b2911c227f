"""An asset's page: /ai-assets/<kind>/<id>[/<tab>] with Details, API keys, Metrics and Policies tabs
(details_page skeleton), Edit/Delete, and "Use this asset": one of your keys granting it with a
ready request to copy, or a new key with this asset preselected in the Create API key modal."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components import toasts
from maas_ui.components.common import empty_state, link, subtle
from maas_ui.components.description_list import description_list
from maas_ui.components.details_page import DetailsTab, NotFound, details_page, route_tab
from maas_ui.components.labels import status_label
from maas_ui.components.menus import MenuAction, kebab_menu
from maas_ui.components.shell import shell
from maas_ui.domain import assets as dom
from maas_ui.domain.gateway_urls import public_base_url
from maas_ui.pages.api_key_form import KeyFormState, go_to_key, key_form_modal
from maas_ui.pages.asset_delete import DeleteAssetState, asset_delete_modal
from maas_ui.pages.asset_form import AssetFormState, asset_edit_modal, asset_wizard_modal
from maas_ui.services import api_keys as key_svc
from maas_ui.services import assets as svc
from maas_ui.domain.roles import Permission
from maas_ui.identity import acting_user
from maas_ui.settings import gateway_public_url

ACTIONS = [MenuAction("edit", "Edit"), MenuAction("delete", "Delete asset", danger=True)]
KEY_PLACEHOLDER = "$MAAS_API_KEY"


class AssetDetailsState(rx.State):
    may_manage: bool = False  # platform admins edit and delete; AI engineers browse and use
    """Reads the route args `asset_kind`, `asset_id` and `tab` (vars of the root state)."""

    loaded: bool = False
    found: bool = False
    active_tab: str = routes.AI_ASSET_TABS[0]
    ref: str = ""
    detail: svc.AssetDetail | None = None
    keys: list[svc.AssetKeyRow] = []
    policies: list[svc.AssetPolicyRow] = []
    metrics: svc.AssetMetrics = svc.AssetMetrics()
    use_open: bool = False

    @rx.event
    def load(self):
        self.ref = self.asset_id or ""
        self.active_tab = route_tab(TABS, self.tab)
        self.detail, self.use_open = None, False
        if routes.plausible_id(self.ref):
            base = public_base_url(gateway_public_url(), self.router.headers.origin)
            actor = acting_user(self)
            self.may_manage = actor.may(Permission.ASSETS_MANAGE)
            page = svc.asset_page(self.ref, actor=actor, base_url=base)
            if page is not None:
                self.detail, self.keys, self.policies, self.metrics = page.detail, page.keys, page.policies, page.metrics
        self.found = self.detail is not None
        self.loaded = True

    @rx.event
    def select_tab(self, slug: str):
        if slug in routes.AI_ASSET_TABS and self.detail is not None:
            return rx.redirect(routes.ai_asset_url(self.detail.kind_slug, self.detail.asset_id, slug))

    @rx.event
    def action(self, value: str):
        if self.detail is None:
            return
        if value == "edit":
            return DetailsAssetForm.open_edit(str(self.detail.asset_id))
        if value == "delete":
            return DetailsAssetDelete.open(str(self.detail.asset_id))

    # Use this asset ----------------------------------------------------------------------------
    @rx.event
    def open_use(self):
        self.use_open = True

    @rx.event
    def close_use(self):
        self.use_open = False

    @rx.event
    def new_key(self):
        self.use_open = False
        if self.detail is not None:
            return AssetKeyForm.open_create_for_asset(str(self.detail.asset_id))

    @rx.event
    def copy_request(self, public_id: str):
        """Copy the ready request with the key's secret in it (the explicit copy action; audited)."""
        if self.detail is None:
            return
        secret = key_svc.reveal_secret(public_id, actor=acting_user(self))
        if secret is None:
            return toasts.danger("This key's secret cannot be copied.")
        return [rx.set_clipboard(_request(self.detail, secret)),
                toasts.success("Request copied with the key's secret: keep it private")]

    @rx.var
    def your_keys(self) -> list[svc.AssetKeyRow]:
        return [k for k in self.keys if k.yours and k.status == "Active"]

    @rx.var
    def ready_request(self) -> str:
        return _request(self.detail, KEY_PLACEHOLDER) if self.detail is not None else ""


def _request(d: svc.AssetDetail, secret: str) -> str:
    if d.is_model:
        return dom.ready_request(d.endpoint, d.identifier, secret)
    return f"curl {d.endpoint} \\\n  -H \"Authorization: Bearer {secret}\""


S = AssetDetailsState
D = AssetDetailsState.detail
M = AssetDetailsState.metrics


class DetailsAssetForm(AssetFormState, rx.State):
    def _on_created(self, saved):
        return [rx.redirect(saved.id)]

    def _on_updated(self, saved):
        return [rx.redirect(saved.id), AssetDetailsState.load]


class DetailsAssetDelete(DeleteAssetState, rx.State):
    def _on_deleted(self, name: str):
        return [rx.redirect(routes.AI_ASSETS)]


class AssetKeyForm(KeyFormState, rx.State):
    """Create API key from an asset's page: the asset comes preselected; a new key opens its page."""

    def _on_created(self, saved):
        return [go_to_key(saved)]

    def _on_updated(self, saved):
        return [AssetDetailsState.load]


# Tabs ---------------------------------------------------------------------------------------
def _details_tab() -> rx.Component:
    return description_list([
        ("Type", D.kind_label),
        ("Endpoint", pf.ClipboardCopy.create(D.endpoint, is_read_only=True, hover_tip="Copy", click_tip="Copied",
                                             text_aria_label="Endpoint", copy_aria_label="Copy endpoint")),
        ("ID", rx.el.code(D.identifier)),
        ("Provider", D.provider_label),
        ("Input price per 1M tokens", D.price_in),
        ("Output price per 1M tokens", D.price_out),
        ("Context length", D.context_length),
        ("Owner", D.owner),
        ("Created", D.created),
        ("Added by", D.created_by),
        ("Description", rx.cond(D.description, D.description, subtle("No description"))),
        ("Provider credential", rx.cond(D.has_credential, "Stored encrypted", "None")),
    ], aria_label="Asset details")


def _keys_tab() -> rx.Component:
    return pf.Stack.create(
        rx.cond(D.tools.length() > 0, pf.StackItem.create(pf.Content.create(
            pf.Title.create("Tools", heading_level="h2", size="md"),
            pf.LabelGroup.create(rx.foreach(D.tools, lambda t: pf.Label.create(t, is_compact=True)),
                                 num_labels=20, aria_label="Tools")))),
        pf.StackItem.create(rx.cond(
            S.keys.length() > 0,
            pf.Table.create(
                pf.Thead.create(pf.Tr.create(pf.Th.create("Name"), pf.Th.create("Owner"), pf.Th.create("Status"),
                                             pf.Th.create("Requests (24 h)"))),
                pf.Tbody.create(rx.foreach(S.keys, lambda k: pf.Tr.create(
                    pf.Td.create(link(k.name, href=routes.API_KEYS + "/" + k.public_id),
                                 rx.cond(k.yours, pf.Label.create("Yours", color="blue", is_compact=True,
                                                                  class_name="pf-v6-u-ml-sm")),
                                 data_label="Name"),
                    pf.Td.create(k.owner, data_label="Owner"),
                    pf.Td.create(status_label(k.status), data_label="Status"),
                    pf.Td.create(k.requests_24h, data_label="Requests (24 h)"),
                ))),
                aria_label="API keys that grant this asset",
            ),
            empty_state("No API key grants this asset", "Create a key with it, or add it to an existing key.",
                        icon="KeyIcon", actions=[pf.Button.create("Use this asset", variant="primary",
                                                                  on_click=S.open_use)]),
        )),
        has_gutter=True,
    )


def _card(title: str, value: rx.Var) -> rx.Component:
    return pf.Card.create(pf.CardTitle.create(title), pf.CardBody.create(rx.el.span(value, class_name="maas-metric")),
                          is_compact=True)


def _metrics_tab() -> rx.Component:
    return pf.Stack.create(
        pf.StackItem.create(subtle("Last 24 hours, across every API key.")),
        pf.StackItem.create(pf.Gallery.create(
            _card("Requests", M.requests), _card("Errors", M.errors), _card("Tokens", M.tokens),
            _card("Cost", M.cost), _card("Latency p50", M.latency_p50), _card("Latency p95", M.latency_p95),
            has_gutter=True, min_widths={"default": "160px"})),
        pf.StackItem.create(pf.Title.create("Top API keys", heading_level="h2", size="md")),
        pf.StackItem.create(rx.cond(
            M.top_keys.length() > 0,
            pf.Table.create(
                pf.Thead.create(pf.Tr.create(pf.Th.create("API key"), pf.Th.create("Owner"), pf.Th.create("Requests"),
                                             pf.Th.create("Tokens"), pf.Th.create("Cost"))),
                pf.Tbody.create(rx.foreach(M.top_keys, lambda k: pf.Tr.create(
                    pf.Td.create(link(k.name, href=routes.API_KEYS + "/" + k.public_id), data_label="API key"),
                    pf.Td.create(k.owner, data_label="Owner"), pf.Td.create(k.requests, data_label="Requests"),
                    pf.Td.create(k.tokens, data_label="Tokens"), pf.Td.create(k.cost, data_label="Cost")))),
                aria_label="Top API keys", variant="compact"),
            empty_state("No traffic in the last 24 hours", "Requests through the gateway show here.",
                        icon="ChartLineIcon"),
        )),
        has_gutter=True,
    )


def _policies_tab() -> rx.Component:
    return rx.cond(
        S.policies.length() > 0,
        pf.Table.create(
            pf.Thead.create(pf.Tr.create(pf.Th.create("Policy"), pf.Th.create("Covers it through"),
                                         pf.Th.create("Status"))),
            pf.Tbody.create(rx.foreach(S.policies, lambda p: pf.Tr.create(
                pf.Td.create(link(p.name, href=routes.POLICIES + "/" + p.slug), data_label="Policy"),
                pf.Td.create(p.why, data_label="Covers it through"),
                pf.Td.create(status_label(rx.cond(p.active, "Active", "Inactive")), data_label="Status")))),
            aria_label="Policies covering this asset"),
        empty_state("No policy covers this asset", "Policies that select it, or all assets of its kind, show here.",
                    icon="ShieldAltIcon"),
    )


TABS: list[DetailsTab] = [
    DetailsTab("details", "Details", _details_tab),
    DetailsTab("api-keys", "API keys", _keys_tab),
    DetailsTab("metrics", "Metrics", _metrics_tab),
    DetailsTab("policies", "Policies", _policies_tab),
]


def _use_modal() -> rx.Component:
    return pf.Modal.create(
        pf.ModalHeader.create(title="Use this asset", label_id="asset-use-title",
                              description="Call it with one of your API keys that grants it, or create a new key.",
                              description_id="asset-use-description"),
        pf.ModalBody.create(pf.Stack.create(
            pf.StackItem.create(pf.Title.create("Your keys that grant it", heading_level="h2", size="md")),
            pf.StackItem.create(rx.cond(
                S.your_keys.length() > 0,
                pf.Table.create(
                    pf.Thead.create(pf.Tr.create(pf.Th.create("API key"), pf.Th.create(screen_reader_text="Actions"))),
                    pf.Tbody.create(rx.foreach(S.your_keys, lambda k: pf.Tr.create(
                        pf.Td.create(link(k.name, href=routes.API_KEYS + "/" + k.public_id), data_label="API key"),
                        pf.Td.create(pf.Button.create("Copy request with " + k.name, variant="secondary",
                                                      on_click=S.copy_request(k.public_id)), is_action_cell=True)))),
                    aria_label="Your keys that grant this asset", variant="compact"),
                subtle("None of your active keys grants this asset yet."),
            )),
            pf.StackItem.create(pf.Title.create("Ready request", heading_level="h2", size="md")),
            pf.StackItem.create(pf.CodeBlock.create(pf.CodeBlockCode.create(S.ready_request))),
            pf.StackItem.create(subtle("Copy request puts this in your clipboard with the key's secret in place of "
                                       + KEY_PLACEHOLDER + ".")),
            has_gutter=True,
        )),
        pf.ModalFooter.create(
            pf.Button.create("Create API key with this asset", variant="primary", on_click=S.new_key),
            pf.Button.create("Close", variant="link", on_click=S.close_use),
        ),
        is_open=S.use_open, variant="medium", aria_labelledby="asset-use-title",
        aria_describedby="asset-use-description", on_close=S.close_use,
    )


def _actions() -> rx.Component:
    return pf.Flex.create(
        pf.Button.create("Use this asset", variant="primary", on_click=S.open_use),
        rx.cond(S.may_manage, pf.Button.create("Edit", variant="secondary", on_click=S.action("edit"))),
        rx.cond(S.may_manage, kebab_menu(ACTIONS, on_select=S.action, aria_label="More actions")),
        gap="gapSm", flex_wrap="nowrap",
    )


def asset_details_page() -> rx.Component:
    return shell(
        details_page(
            loaded=S.loaded, found=S.found, loading_label="Loading asset",
            not_found=NotFound("Asset not found",
                               "No asset has the ID \"" + S.ref + "\". It may have been deleted, or the address is mistyped.",
                               "Back to AI assets", routes.AI_ASSETS),
            parent=("AI assets", routes.AI_ASSETS),
            title=D.name,
            labels=[pf.Label.create(D.kind_label, color="blue", is_compact=True),
                    pf.Label.create(D.provider_label, is_compact=True)],
            summary=[rx.cond(D.description, pf.Content.create(D.description, component="p"))],
            actions=_actions(), tabs=TABS, active_tab=S.active_tab, on_select_tab=S.select_tab,
            tabs_label="Asset details sections",
        ),
        _use_modal(),
        asset_wizard_modal(DetailsAssetForm),
        asset_edit_modal(DetailsAssetForm),
        asset_delete_modal(DetailsAssetDelete),
        key_form_modal(AssetKeyForm),
        active=routes.AI_ASSETS,
    )
