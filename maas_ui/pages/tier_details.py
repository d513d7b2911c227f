"""Tier details: /settings/tiers/<tier-id>[/<tab>] with Details and YAML tabs (shared details skeleton)."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.common import subtle
from maas_ui.components.description_list import description_list
from maas_ui.components.details_page import DetailsTab, NotFound, details_page, route_tab
from maas_ui.components.labels import name_labels, rules_labels
from maas_ui.components.menus import MenuAction, kebab_menu
from maas_ui.components.shell import shell
from maas_ui.components.toasts import ToastState
from maas_ui.identity import acting_user
from maas_ui.pages.tier_delete import DeleteTierState, tier_delete_modal
from maas_ui.pages.tier_form import TierFormState, go_to_tier, tier_form_modal
from maas_ui.services import tiers as svc


class TierDetailsState(rx.State):
    """Reads the route args `tier_id` and `tab`."""

    loaded: bool = False
    found: bool = False
    active_tab: str = routes.TIER_TABS[0]
    slug: str = ""
    detail: svc.TierDetail | None = None

    @rx.event
    def load(self):
        self.slug = self.tier_id or ""
        self.active_tab = route_tab(TABS, self.tab)
        self.detail = svc.get_tier(self.slug, actor=acting_user(self)) if routes.plausible_id(self.slug) else None
        self.found = self.detail is not None
        self.loaded = True

    @rx.event
    def select_tab(self, slug: str):
        if slug in routes.TIER_TABS and self.slug:
            return rx.redirect(routes.tier_url(self.slug, slug))

    @rx.event
    def action(self, value: str):
        if self.detail is None:
            return
        if value == "edit":
            return DetailsTierForm.open_edit(self.slug)
        if value == "delete":
            return DetailsTierDelete.open(self.slug, self.detail.row.name)

    @rx.event
    def copy_yaml(self):
        if self.detail is not None:
            return [rx.set_clipboard(self.detail.yaml_text), ToastState.show("success", "YAML copied to the clipboard")]

    @rx.event
    def download_yaml(self):
        if self.detail is not None:
            return rx.download(data=self.detail.yaml_text, filename=f"tier-{self.slug}.yaml")


S = TierDetailsState
D = TierDetailsState.detail
R = TierDetailsState.detail.row


class DetailsTierForm(TierFormState, rx.State):
    def _on_created(self, saved):
        return [go_to_tier(saved)]

    def _on_updated(self, saved):
        return [TierDetailsState.load]


class DetailsTierDelete(DeleteTierState, rx.State):
    def _on_deleted(self, name: str):
        return [rx.redirect(routes.TIERS)]


def _details_tab() -> rx.Component:
    return description_list(
        [
            ("Name", R.name),
            ("Tier ID", rx.el.code(R.slug)),
            ("Description", rx.cond(R.description, rx.el.span(R.description, class_name="maas-pre-line"),
                                    subtle("None"))),
            ("Level", R.level),
            ("Groups", name_labels(R.groups, "Groups", shown=6, empty="None")),
            ("Members", R.members),
            ("Token limit per model", D.token_label),
            ("Rate limit per model", D.request_label),
            ("Over-limit behavior", "Hard throttle: reject (HTTP 429), counted per user"),
            ("Created", D.created + " by " + D.created_by),
            ("Last modified", D.updated),
        ],
        aria_label="Tier details",
    )


def _yaml_tab() -> rx.Component:
    return pf.Stack.create(
        pf.StackItem.create(pf.Content.create(
            "The Kuadrant manifests that enforce this tier on each model's route: per-user counters for the "
            "tier's members (its groups, minus those of higher tiers).", component="p")),
        pf.StackItem.create(pf.CodeBlock.create(
            pf.CodeBlockCode.create(D.yaml_text, id="tier-yaml"),
            actions=rx.fragment(
                pf.CodeBlockAction.create(pf.Button.create(
                    "Copy", icon=pf.icon("CopyIcon"), variant="plain", aria_label="Copy YAML", on_click=S.copy_yaml)),
                pf.CodeBlockAction.create(pf.Button.create(
                    "Download", icon=pf.icon("DownloadIcon"), variant="plain", aria_label="Download YAML",
                    on_click=S.download_yaml)),
            ),
        )),
        has_gutter=True,
    )


TABS: list[DetailsTab] = [
    DetailsTab("details", "Details", _details_tab),
    DetailsTab("yaml", "YAML", _yaml_tab),
]


def tier_details_page() -> rx.Component:
    return shell(
        details_page(
            loaded=S.loaded,
            found=S.found,
            loading_label="Loading tier",
            not_found=NotFound("Tier not found",
                               "No tier has the ID \"" + S.slug + "\". It may have been deleted, or the address is "
                               "mistyped.", "Back to tiers", routes.TIERS),
            parent=("Tiers", routes.TIERS),
            title=R.name,
            labels=[pf.Label.create("Level ", R.level, color="blue", is_compact=True)],
            summary=[rules_labels(R.rules)],
            actions=pf.Flex.create(
                pf.Button.create("Edit", variant="secondary", on_click=S.action("edit")),
                kebab_menu([MenuAction("delete", "Delete tier", danger=True)], on_select=S.action,
                           aria_label="More actions"),
                gap="gapSm", flex_wrap="nowrap",
            ),
            tabs=TABS,
            active_tab=S.active_tab,
            on_select_tab=S.select_tab,
            tabs_label="Tier details sections",
        ),
        tier_form_modal(DetailsTierForm),
        tier_delete_modal(DetailsTierDelete),
        active=routes.TIERS,
    )
