"""Policies list: /settings/policies. Search, status filter, sort, row kebab, create/edit/delete modals."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.common import empty_state, link, loading, page_header
from maas_ui.components.labels import rules_labels, status_label, target_labels
from maas_ui.components.menus import MenuAction, kebab_menu
from maas_ui.components.shell import shell
from maas_ui.components.toolbar import SearchStateMixin, list_toolbar, search_box
from maas_ui.components.toasts import ToastState
from maas_ui.pages.policy_delete import DeletePolicyState, policy_delete_modal
from maas_ui.pages.policy_form import PolicyFormState, go_to_policy, policy_form_modal
from maas_ui.identity import acting_user
from maas_ui.services import policies as svc

# Sortable columns by index: Name (0), Status (2).
SORT_COLUMNS = {0: "name", 2: "status"}
STATUS_OPTIONS = [("", "All statuses"), ("active", "Active"), ("inactive", "Inactive")]
_VIEW, _EDIT = MenuAction("view", "View details"), MenuAction("edit", "Edit")
_DELETE = MenuAction("delete", "Delete", danger=True)
ROW_ACTIONS_ACTIVE = [_VIEW, _EDIT, MenuAction("deactivate", "Deactivate"), _DELETE]
ROW_ACTIONS_INACTIVE = [_VIEW, _EDIT, MenuAction("activate", "Activate"), _DELETE]


class PoliciesState(SearchStateMixin, rx.State):
    status: str = ""
    sort_index: int = 0
    sort_direction: str = "asc"
    rows: list[svc.PolicyRow] = []
    total_all: int = 0
    loaded: bool = False

    def _reload(self):
        query = svc.PolicyListQuery(search=self.search, status=self.status,
                                    sort=SORT_COLUMNS.get(self.sort_index, "name"),
                                    descending=self.sort_direction == "desc")
        result = svc.list_policies(query, actor=acting_user())
        self.rows, self.total_all, self.loaded = list(result.rows), result.total_all, True

    @rx.event
    def load(self):
        self._reload()

    def _search_changed(self) -> None:
        self._reload()

    @rx.event
    def set_status(self, value: str):
        self.status = value if value in ("active", "inactive") else ""
        self._reload()

    @rx.event
    def clear_filters(self):
        self.status = ""
        self._reset_search()
        self._reload()

    @rx.event
    def sort(self, index: int, direction: str):
        if index in SORT_COLUMNS:
            self.sort_index, self.sort_direction = index, direction
            self._reload()

    @rx.event
    def row_action(self, slug: str, name: str, action: str):
        if action == "view":
            return rx.redirect(routes.policy_url(slug))
        if action == "edit":
            return ListPolicyForm.open_edit(slug)
        if action == "delete":
            return ListPolicyDelete.open(slug, name)
        if action in ("activate", "deactivate"):
            try:
                svc.set_policy_active(slug, action == "activate", actor=acting_user())
            except svc.PolicyNotFound:
                self._reload()
                return ToastState.show("danger", f'Policy "{name}" no longer exists')
            self._reload()
            return ToastState.show("success", f'Policy "{name}" {action}d')

    @rx.var
    def has_filters(self) -> bool:
        return bool(self.search.strip() or self.status)

    @rx.var
    def status_options(self) -> list[dict]:
        return [{"value": v, "content": text, "selected": v == self.status} for v, text in STATUS_OPTIONS]

    @rx.var
    def status_toggle_text(self) -> str:
        return dict(STATUS_OPTIONS).get(self.status, "All statuses")


S = PoliciesState


# Cells ----------------------------------------------------------------------------------
# The list's modals: a new policy opens its details page; an edit or a deletion reloads the list.
class ListPolicyForm(PolicyFormState, rx.State):
    def _on_created(self, saved):
        return [go_to_policy(saved)]

    def _on_updated(self, saved):
        return [PoliciesState.load]


class ListPolicyDelete(DeletePolicyState, rx.State):
    def _on_deleted(self, name: str):
        return [PoliciesState.load]


def _kebab(row: rx.Var) -> rx.Component:
    return kebab_menu(
        ROW_ACTIONS_ACTIVE,
        otherwise=ROW_ACTIONS_INACTIVE,
        when=row.is_active,
        key=row.slug + row.status,
        on_select=lambda value: S.row_action(row.slug, row.name, value),
        aria_label="Actions for " + row.name,
    )


def _row(row: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(link(row.name, href=routes.POLICIES + "/" + row.slug), data_label="Name"),
        pf.Td.create(row.description, data_label="Description"),
        pf.Td.create(status_label(row.status), data_label="Status"),
        pf.Td.create(target_labels(row.targets), data_label="Targets"),
        pf.Td.create(rules_labels(row.rules), data_label="Rules"),
        pf.Td.create(_kebab(row), is_action_cell=True),
    )


def _th(label: str, index: int) -> rx.Component:
    if index in SORT_COLUMNS:
        return pf.Th.create(label, sort=pf.sort_spec(index, S.sort_index, S.sort_direction, S.sort))
    return pf.Th.create(label)


def _table() -> rx.Component:
    return pf.Table.create(
        pf.Thead.create(pf.Tr.create(
            *[_th(label, i) for i, label in enumerate(["Name", "Description", "Status", "Targets", "Rules"])],
            pf.Th.create(screen_reader_text="Actions"),
        )),
        pf.Tbody.create(rx.foreach(S.rows, _row)),
        aria_label="Policies",
    )


def _create_button() -> rx.Component:
    return pf.Button.create("Create policy", variant="primary", on_click=ListPolicyForm.open_create)


def _toolbar() -> rx.Component:
    return list_toolbar(
        search_box(S, placeholder="Search by name, ID or description", aria_label="Search policies"),
        pf.ToolbarItem.create(
            pf.SimpleSelect.create(
                initial_options=S.status_options,
                toggle_content=rx.el.span(S.status_toggle_text),
                toggle_width="160px",
                on_select=S.set_status,
                # The name contains the visible text (WCAG 2.5.3 label in name), then says what it filters.
                toggle_props={"aria-label": S.status_toggle_text + ", status filter"},
            )
        ),
        rx.cond(
            S.has_filters,
            pf.ToolbarItem.create(pf.Button.create("Clear all filters", variant="link", on_click=S.clear_filters)),
        ),
        end=[_create_button()],
    )


def _content() -> rx.Component:
    return rx.cond(
        ~S.loaded,
        loading("Loading policies"),
        rx.cond(
            S.total_all == 0,
            empty_state(
                "No policies yet",
                "Policies set token, request and time limits for groups, users and service accounts. "
                "Create the first one.",
                icon="PlusCircleIcon",
                actions=[_create_button()],
            ),
            rx.fragment(
                _toolbar(),
                rx.cond(
                    S.rows.length() > 0,
                    _table(),
                    empty_state(
                        "No policies match the filters",
                        "Try another search or status, or clear the filters to see every policy.",
                        actions=[pf.Button.create("Clear all filters", variant="link", on_click=S.clear_filters)],
                    ),
                ),
            ),
        ),
    )


def policies_page() -> rx.Component:
    return shell(
        page_header("Policies", "Limits and access rules that the gateway applies to API keys."),
        pf.PageSection.create(_content()),
        policy_form_modal(ListPolicyForm),
        policy_delete_modal(ListPolicyDelete),
        active=routes.POLICIES,
    )
