"""API keys list: /settings/api-keys. Search, filters, sortable columns, server-side pagination.

The page state keeps the toolbar settings and one page of rows; every change asks
services.api_keys.list_keys for that one page (the database does the filtering, sorting and paging).
"""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components import toasts
from maas_ui.components.common import empty_state, link, loading, page_header, subtle
from maas_ui.components.labels import status_label
from maas_ui.components.menus import MenuAction, kebab_menu
from maas_ui.components.shell import shell
from maas_ui.components.toolbar import SearchStateMixin, list_toolbar, search_box
from maas_ui.domain.key_format import OWNER_KIND_LABELS
from maas_ui.pages.api_key_delete import DeleteKeyState, delete_key_modal
from maas_ui.pages.api_key_form import KeyFormState, go_to_key, key_form_modal
from maas_ui.identity import acting_user
from maas_ui.services import api_keys as svc

TITLE = "API keys"
DESCRIPTION = "Browse endpoints for available models and MCP servers."

# Table columns; the sortable ones map to the service's sort fields.
COLUMNS = ["Name", "Status", "API key", "Assets", "Owner", "Created", "Last used"]
SORT_BY_COLUMN = {0: "name", 1: "status", 4: "owner", 5: "created", 6: "last_used"}
DEFAULT_SORT_COLUMN = 5  # newest first
STATUS_OPTIONS = [("active", "Active"), ("expired", "Expired"), ("disabled", "Disabled")]
OWNER_KIND_OPTIONS = list(OWNER_KIND_LABELS.items())

_VIEW = MenuAction("view", "View details")
_DELETE = MenuAction("delete", "Delete API key", danger=True, divider_before=True)
ROW_ACTIONS_ENABLED = [_VIEW, MenuAction("disable", "Disable API key"), _DELETE]
ROW_ACTIONS_DISABLED = [_VIEW, MenuAction("enable", "Enable API key"), _DELETE]


class ApiKeysState(SearchStateMixin, rx.State):
    statuses: list[str] = []
    owner_kinds: list[str] = []
    sort_index: int = DEFAULT_SORT_COLUMN
    sort_direction: str = "desc"
    page: int = 1
    per_page: int = 10

    rows: list[svc.KeyRow] = []
    total: int = 0
    any_keys: bool = False
    loaded: bool = False

    # Derived from state only ---------------------------------------------------------------
    @rx.var
    def status_labels(self) -> list[str]:
        return [label for value, label in STATUS_OPTIONS if value in self.statuses]

    @rx.var
    def owner_kind_labels(self) -> list[str]:
        return [label for value, label in OWNER_KIND_OPTIONS if value in self.owner_kinds]

    @rx.var
    def search_labels(self) -> list[str]:
        return [self.search] if self.search.strip() else []

    @rx.var
    def status_options(self) -> list[dict]:
        return [{"value": v, "content": label, "selected": v in self.statuses} for v, label in STATUS_OPTIONS]

    @rx.var
    def owner_kind_options(self) -> list[dict]:
        return [{"value": v, "content": label, "selected": v in self.owner_kinds} for v, label in OWNER_KIND_OPTIONS]

    # Loading ---------------------------------------------------------------------------------
    def _query(self) -> svc.KeyListQuery:
        return svc.KeyListQuery(
            search=self.search,
            statuses=tuple(self.statuses),
            owner_kinds=tuple(self.owner_kinds),
            sort=SORT_BY_COLUMN.get(self.sort_index, "created"),
            descending=self.sort_direction == "desc",
            page=self.page,
            per_page=self.per_page,
        )

    def _reload(self) -> None:
        result = svc.list_keys(self._query(), actor=acting_user())
        self.rows = result.rows
        self.total = result.total
        self.page = result.page
        self.any_keys = result.any_keys
        self.loaded = True

    @rx.event
    def load(self):
        self._reload()

    # Toolbar ---------------------------------------------------------------------------------
    def _search_changed(self) -> None:
        self.page = 1
        self._reload()

    @rx.event
    def toggle_status(self, value: str):
        value = str(value)
        if value in dict(STATUS_OPTIONS):
            self.statuses = [s for s in self.statuses if s != value] if value in self.statuses else [*self.statuses, value]
            self.page = 1
            self._reload()

    @rx.event
    def remove_status(self, label: str):
        self.statuses = [v for v, lab in STATUS_OPTIONS if v in self.statuses and lab != label]
        self.page = 1
        self._reload()

    @rx.event
    def clear_statuses(self):
        self.statuses = []
        self.page = 1
        self._reload()

    @rx.event
    def toggle_owner_kind(self, value: str):
        value = str(value)
        if value in OWNER_KIND_LABELS:
            self.owner_kinds = ([k for k in self.owner_kinds if k != value] if value in self.owner_kinds
                                else [*self.owner_kinds, value])
            self.page = 1
            self._reload()

    @rx.event
    def remove_owner_kind(self, label: str):
        self.owner_kinds = [v for v, lab in OWNER_KIND_OPTIONS if v in self.owner_kinds and lab != label]
        self.page = 1
        self._reload()

    @rx.event
    def clear_owner_kinds(self):
        self.owner_kinds = []
        self.page = 1
        self._reload()

    @rx.event
    def clear_filters(self):
        self.statuses, self.owner_kinds = [], []
        self._reset_search()
        self.page = 1
        self._reload()

    @rx.event
    def sort(self, index: int, direction: str):
        if int(index) in SORT_BY_COLUMN:
            self.sort_index = int(index)
            self.sort_direction = "desc" if direction == "desc" else "asc"
            self.page = 1
            self._reload()

    @rx.event
    def set_page(self, page: int):
        self.page = max(1, int(page))
        self._reload()

    @rx.event
    def set_per_page(self, per_page: int):
        if int(per_page) in svc.PAGE_SIZES:
            self.per_page = int(per_page)
            self.page = 1
            self._reload()

    # Row actions -----------------------------------------------------------------------------
    @rx.event
    def row_action(self, action: str, public_id: str):
        if action == "view":
            return rx.redirect(routes.api_key_url(public_id))
        if action == "delete":
            return ListKeyDelete.open(public_id)
        if action in ("disable", "enable"):
            try:
                name = svc.set_enabled(public_id, action == "enable", actor=acting_user())
            except svc.KeyNotFound:
                self._reload()
                return toasts.danger("This API key no longer exists.")
            self._reload()
            return toasts.success(f"API key \u201c{name}\u201d {'enabled' if action == 'enable' else 'disabled'}")


# The list's modals: a new key opens its details page; a deletion reloads the list.
class ListKeyForm(KeyFormState, rx.State):
    def _on_created(self, saved):
        return [go_to_key(saved)]

    def _on_updated(self, saved):
        return [ApiKeysState.load]


class ListKeyDelete(DeleteKeyState, rx.State):
    def _on_deleted(self, name: str):
        return [ApiKeysState.load]


# Component ---------------------------------------------------------------------------------
def _create_button() -> rx.Component:
    return pf.Button.create("Create API key", variant="primary", on_click=ListKeyForm.open_create)


def _checkbox_filter(category: str, noun: str, width: str, options, on_select, labels, remove_label,
                     clear_labels) -> rx.Component:
    """A multi-choice filter: a checkbox select whose choices show as removable chips."""
    return pf.ToolbarFilter.create(
        pf.CheckboxSelect.create(
            initial_options=options,
            toggle_content=rx.el.span(category),
            toggle_props={"aria-label": f"Filter by {noun}"},
            toggle_width=width,
            on_select=on_select,
        ),
        labels=labels,
        category_name=category,
        delete_label=remove_label,
        delete_label_group=clear_labels,
    )


def _toolbar() -> rx.Component:
    s = ApiKeysState
    return list_toolbar(
        pf.ToolbarFilter.create(
            search_box(s, placeholder="Search by name", aria_label="Search API keys by name"),
            labels=s.search_labels,
            category_name="Name",
            delete_label=s.clear_search,
            delete_label_group=s.clear_search,
        ),
        _checkbox_filter("Status", "status", "150px", s.status_options, s.toggle_status,
                         s.status_labels, s.remove_status, s.clear_statuses),
        _checkbox_filter("Owner type", "owner type", "170px", s.owner_kind_options, s.toggle_owner_kind,
                         s.owner_kind_labels, s.remove_owner_kind, s.clear_owner_kinds),
        end=[pf.ToolbarItem.create(_pagination("top", compact=True), variant="pagination")],
        group_filters=True,
        clear_all_filters=s.clear_filters,
        collapse_listed_filters_breakpoint="xl",
    )


def _pagination(where: str, compact: bool = False) -> rx.Component:
    s = ApiKeysState
    return pf.Pagination.create(
        item_count=s.total,
        page=s.page,
        per_page=s.per_page,
        per_page_options=[{"title": str(n), "value": n} for n in svc.PAGE_SIZES],
        is_compact=compact,
        variant=where,
        widget_id=f"api-keys-pagination-{where}",
        titles={"paginationAriaLabel": f"Pagination {where}"},
        on_set_page=s.set_page,
        on_per_page_select=s.set_per_page,
    )


def _header_cell(index: int, label: str) -> rx.Component:
    s = ApiKeysState
    if index in SORT_BY_COLUMN:
        return pf.Th.create(label, sort=pf.sort_spec(index, s.sort_index, s.sort_direction, s.sort), modifier="nowrap")
    return pf.Th.create(label, modifier="nowrap")


def _assets_cell(row: rx.Var) -> rx.Component:
    return rx.cond(
        row.asset_names.length() > 0,
        pf.LabelGroup.create(
            rx.foreach(row.asset_names, lambda n: pf.Label.create(n, is_compact=True, color="blue")),
            rx.cond(
                row.more_assets > 0,
                pf.Label.create("+" + row.more_assets.to_string() + " more", is_compact=True, variant="outline"),
            ),
            num_labels=10,
            aria_label="Assets",
        ),
        subtle("None"),
    )


def _last_used_cell(row: rx.Var) -> rx.Component:
    return rx.cond(
        row.last_used_exact != "",
        pf.Tooltip.create(rx.el.span(row.last_used, tab_index=0), content=row.last_used_exact),
        rx.el.span(row.last_used),
    )


def _kebab(row: rx.Var) -> rx.Component:
    return kebab_menu(
        ROW_ACTIONS_ENABLED,
        otherwise=ROW_ACTIONS_DISABLED,
        when=~row.is_disabled,
        on_select=lambda value: ApiKeysState.row_action(value, row.public_id),
        aria_label="Actions for " + row.name,
    )


def _row(row: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(link(row.name, href=routes.API_KEYS + "/" + row.public_id), data_label="Name", modifier="nowrap"),
        pf.Td.create(status_label(row.status), data_label="Status"),
        pf.Td.create(rx.el.code(row.masked_key, class_name="maas-masked-key"), data_label="API key"),
        pf.Td.create(_assets_cell(row), data_label="Assets"),
        pf.Td.create(
            rx.el.div(row.owner_name),
            subtle(row.owner_kind_label, small=True),
            data_label="Owner",
        ),
        pf.Td.create(row.created, data_label="Created"),
        pf.Td.create(_last_used_cell(row), data_label="Last used"),
        pf.Td.create(_kebab(row), is_action_cell=True),
        key=row.public_id,
    )


def _table() -> rx.Component:
    s = ApiKeysState
    return pf.Table.create(
        pf.Thead.create(
            pf.Tr.create(
                *[_header_cell(i, label) for i, label in enumerate(COLUMNS)],
                pf.Th.create(screen_reader_text="Actions"),
            )
        ),
        pf.Tbody.create(rx.foreach(s.rows, _row)),
        aria_label="API keys",
        variant="compact",
    )


def _body() -> rx.Component:
    s = ApiKeysState
    no_keys = empty_state(
        "No API keys",
        "API keys let applications call models, MCP servers, vector databases and agents. Create one to get started.",
        icon="KeyIcon",
        actions=[_create_button()],
    )
    no_match = empty_state(
        "No API keys found",
        "No API key matches the search and filters. Clear them to see every key.",
        actions=[pf.Button.create("Clear all filters", variant="link", on_click=s.clear_filters)],
    )
    return rx.cond(
        ~s.loaded,
        loading("Loading API keys"),
        rx.cond(
            s.any_keys,
            rx.fragment(
                _toolbar(),
                rx.cond(s.total > 0, rx.fragment(_table(), _pagination("bottom")), no_match),
            ),
            no_keys,
        ),
    )


def api_keys_page() -> rx.Component:
    return shell(
        page_header(TITLE, DESCRIPTION, _create_button()),
        pf.PageSection.create(_body(), aria_label="API keys list"),
        key_form_modal(ListKeyForm),
        delete_key_modal(ListKeyDelete),
        active=routes.API_KEYS,
    )
