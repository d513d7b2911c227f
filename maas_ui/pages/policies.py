"""Policies list: /settings/policies. Search, status filter, sort, row kebab, create/edit/delete modals."""

from __future__ import annotations

import reflex as rx

from maas_ui import db, pf, routes
from maas_ui.components.common import empty_state, link, page_header, search_box
from maas_ui.components.shell import shell
from maas_ui.components.toasts import ToastState
from maas_ui.pages.policy_delete import DeletePolicyState, policy_delete_modal
from maas_ui.pages.policy_form import PolicyFormState, go_to_policy, policy_form_modal
from maas_ui.services import policies as svc

# Sortable columns by index: Name (0), Status (2).
SORT_COLUMNS = {0: "name", 2: "status"}
STATUS_OPTIONS = [("", "All statuses"), ("active", "Active"), ("inactive", "Inactive")]
TARGET_STYLE = {  # kind -> (label colour, icon)
    "group": ("blue", "UsersIcon"),
    "user": ("green", "UserIcon"),
    "service_account": ("purple", "CogIcon"),
}


class PoliciesState(rx.State):
    search: str = ""
    status: str = ""
    sort_index: int = 0
    sort_direction: str = "asc"
    rows: list[svc.PolicyRow] = []
    total_all: int = 0
    loaded: bool = False
    search_box_key: int = 0

    def _reload(self):
        query = svc.PolicyListQuery(search=self.search, status=self.status,
                                    sort=SORT_COLUMNS.get(self.sort_index, "name"),
                                    descending=self.sort_direction == "desc")
        with db.session() as s:
            result = svc.list_policies(s, query)
        self.rows, self.total_all, self.loaded = list(result.rows), result.total_all, True

    @rx.event
    def load(self):
        self._reload()

    @rx.event
    def set_search(self, value: str):
        self.search = value
        self._reload()

    @rx.event
    def set_status(self, value: str):
        self.status = value if value in ("active", "inactive") else ""
        self._reload()

    @rx.event
    def clear_filters(self):
        self.search, self.status = "", ""
        self.search_box_key += 1
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
                with db.session() as s:
                    svc.set_policy_active(s, slug, action == "activate")
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


def status_label(is_active: rx.Var) -> rx.Component:
    return rx.cond(
        is_active,
        pf.Label.create("Active", status="success", is_compact=True),
        pf.Label.create("Inactive", color="grey", is_compact=True),
    )


def target_label(t: rx.Var) -> rx.Component:
    def styled(kind: str) -> rx.Component:
        color, icon = TARGET_STYLE[kind]
        return pf.Label.create(t.name, color=color, icon=pf.icon(icon), is_compact=True,
                               custom_attrs={"title": t.kind_label + ": " + t.name})

    return rx.match(t.kind, ("group", styled("group")), ("user", styled("user")), styled("service_account"))


def targets_cell(targets: rx.Var) -> rx.Component:
    return rx.cond(
        targets.length() > 0,
        pf.LabelGroup.create(rx.foreach(targets, target_label), num_labels=3, aria_label="Targets"),
        pf.Content.create("None (applies to nobody)", component="small"),
    )


def rules_cell(rules: rx.Var) -> rx.Component:
    return pf.LabelGroup.create(
        rx.foreach(rules, lambda r: pf.Label.create(r, variant="outline", is_compact=True)),
        num_labels=4,
        aria_label="Rules",
    )


def _kebab(row: rx.Var) -> rx.Component:
    toggle = rx.cond(row.is_active, "deactivate", "activate")
    return pf.SimpleDropdown.create(
        initial_items=rx.cond(
            row.is_active,
            [{"value": "view", "content": "View details"}, {"value": "edit", "content": "Edit"},
             {"value": "deactivate", "content": "Deactivate"},
             {"value": "delete", "content": "Delete", "isDanger": True}],
            [{"value": "view", "content": "View details"}, {"value": "edit", "content": "Edit"},
             {"value": "activate", "content": "Activate"},
             {"value": "delete", "content": "Delete", "isDanger": True}],
        ),
        toggle_content=pf.icon("EllipsisVIcon"),
        toggle_variant="plain",
        toggle_aria_label="Actions for " + row.name,
        popper_props={"position": "right"},
        on_select=lambda value: S.row_action(row.slug, row.name, value),
        key=row.slug + toggle,
    )


def _row(row: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(link(row.name, href=routes.POLICIES + "/" + row.slug), data_label="Name"),
        pf.Td.create(row.description, data_label="Description"),
        pf.Td.create(status_label(row.is_active), data_label="Status"),
        pf.Td.create(targets_cell(row.targets), data_label="Targets"),
        pf.Td.create(rules_cell(row.rules), data_label="Rules"),
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
    return pf.Toolbar.create(
        pf.ToolbarContent.create(
            pf.ToolbarItem.create(
                search_box(
                    value=S.search,
                    placeholder="Search by name, ID or description",
                    aria_label="Search policies",
                    on_change=S.set_search,
                    remount_key=S.search_box_key,
                )
            ),
            pf.ToolbarItem.create(
                pf.SimpleSelect.create(
                    initial_options=S.status_options,
                    toggle_content=rx.el.span(S.status_toggle_text),
                    toggle_width="160px",
                    on_select=S.set_status,
                    toggle_props={"aria-label": "Filter by status"},
                )
            ),
            rx.cond(
                S.has_filters,
                pf.ToolbarItem.create(pf.Button.create("Clear all filters", variant="link", on_click=S.clear_filters)),
            ),
            pf.ToolbarItem.create(_create_button(), align={"default": "alignEnd"}),
        )
    )


def _content() -> rx.Component:
    return rx.cond(
        ~S.loaded,
        pf.Bullseye.create(pf.Spinner.create(aria_label="Loading policies")),
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
