"""Tiers list: /settings/tiers. Search, row kebab, create/edit/delete modals; highest level first."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.common import empty_state, link, loading, page_header
from maas_ui.components.labels import name_labels, rules_labels
from maas_ui.components.menus import MenuAction, kebab_menu
from maas_ui.components.shell import shell
from maas_ui.components.toolbar import SearchStateMixin, list_toolbar, search_box
from maas_ui.identity import acting_user
from maas_ui.pages.tier_delete import DeleteTierState, tier_delete_modal
from maas_ui.pages.tier_form import TierFormState, go_to_tier, tier_form_modal
from maas_ui.services import tiers as svc

ROW_ACTIONS = [MenuAction("view", "View details"), MenuAction("edit", "Edit"),
               MenuAction("delete", "Delete", danger=True)]


class TiersState(SearchStateMixin, rx.State):
    rows: list[svc.TierRow] = []
    total_all: int = 0
    loaded: bool = False

    def _reload(self):
        self.rows = svc.list_tiers(self.search, actor=acting_user(self))
        self.total_all = len(self.rows) if not self.search.strip() else len(svc.list_tiers(actor=acting_user(self)))
        self.loaded = True

    @rx.event
    def load(self):
        self._reload()

    def _search_changed(self) -> None:
        self._reload()

    @rx.event
    def clear_filters(self):
        self._reset_search()
        self._reload()

    @rx.event
    def row_action(self, slug: str, name: str, action: str):
        if action == "view":
            return rx.redirect(routes.tier_url(slug))
        if action == "edit":
            return ListTierForm.open_edit(slug)
        if action == "delete":
            return ListTierDelete.open(slug, name)


S = TiersState


class ListTierForm(TierFormState, rx.State):
    def _on_created(self, saved):
        return [go_to_tier(saved)]

    def _on_updated(self, saved):
        return [TiersState.load]


class ListTierDelete(DeleteTierState, rx.State):
    def _on_deleted(self, name: str):
        return [TiersState.load]


def _row(row: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(link(row.name, href=routes.TIERS + "/" + row.slug), data_label="Name"),
        pf.Td.create(row.level, data_label="Level"),
        pf.Td.create(name_labels(row.groups, "Groups of " + row.name, shown=3, empty="None"), data_label="Groups"),
        pf.Td.create(row.members, data_label="Members"),
        pf.Td.create(rules_labels(row.rules), data_label="Limits per model"),
        pf.Td.create(kebab_menu(ROW_ACTIONS, on_select=lambda v: S.row_action(row.slug, row.name, v),
                                aria_label="Actions for " + row.name), is_action_cell=True),
    )


def _create_button() -> rx.Component:
    return pf.Button.create("Create tier", variant="primary", on_click=ListTierForm.open_create)


def _table() -> rx.Component:
    return pf.Table.create(
        pf.Thead.create(pf.Tr.create(
            *[pf.Th.create(h) for h in ["Name", "Level", "Groups", "Members", "Limits per model"]],
            pf.Th.create(screen_reader_text="Actions"),
        )),
        pf.Tbody.create(rx.foreach(S.rows, _row)),
        aria_label="Tiers",
    )


def _content() -> rx.Component:
    return rx.cond(
        ~S.loaded,
        loading("Loading tiers"),
        rx.cond(
            S.total_all == 0,
            empty_state("No tiers yet",
                        "Tiers give the members of some groups default token and request limits on every model. "
                        "Create the first one.", icon="PlusCircleIcon", actions=[_create_button()]),
            rx.fragment(
                list_toolbar(search_box(S, placeholder="Search by name, ID, description or group",
                                        aria_label="Search tiers"), end=[_create_button()]),
                rx.cond(
                    S.rows.length() > 0,
                    _table(),
                    empty_state("No tiers match the search", "Try another search, or clear it to see every tier.",
                                actions=[pf.Button.create("Clear all filters", variant="link",
                                                          on_click=S.clear_filters)]),
                ),
            ),
        ),
    )


def tiers_page() -> rx.Component:
    return shell(
        page_header("Tiers", "Levels of service: each gives the members of its groups default limits per model. "
                    "A user in several tiers gets the highest level."),
        pf.PageSection.create(_content()),
        tier_form_modal(ListTierForm),
        tier_delete_modal(ListTierDelete),
        active=routes.TIERS,
    )
