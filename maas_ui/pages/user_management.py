"""User management: users, groups (with members) and service accounts, searchable.

The tab lives in the URL: /settings/user-management (Users), …/groups, …/service-accounts.
"""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.common import empty_state, page_header, tab_body
from maas_ui.components.labels import name_labels
from maas_ui.components.shell import shell
from maas_ui.components.toolbar import SearchStateMixin, list_toolbar, search_box
from maas_ui.identity import acting_user
from maas_ui.services import directory

TABS = routes.USER_MANAGEMENT_TABS
USER_SORT_FIELDS = ["full_name", "username", "email"]  # the first three columns sort


class UserManagementState(SearchStateMixin, rx.State):
    active_tab: str = TABS[0]
    users: list[directory.UserRow] = []
    groups: list[directory.GroupRow] = []
    service_accounts: list[directory.ServiceAccountRow] = []
    user_sort_index: int = 0
    user_sort_direction: str = "asc"

    def _reload(self):
        field = USER_SORT_FIELDS[self.user_sort_index]
        found = directory.directory(self.search, actor=acting_user())
        self.users = sorted(found.users, key=lambda u: getattr(u, field).lower(),
                            reverse=self.user_sort_direction == "desc")
        self.groups, self.service_accounts = found.groups, found.service_accounts

    @rx.event
    def load(self):
        """Every visit, also a tab change (the tab is the route's `tab` argument)."""
        tab = self.tab or ""
        self.active_tab = tab if tab in TABS else TABS[0]
        self._reload()

    def _search_changed(self) -> None:
        self._reload()

    @rx.event
    def sort_users(self, index: int, direction: str):
        if 0 <= index < len(USER_SORT_FIELDS):
            self.user_sort_index, self.user_sort_direction = index, direction
            self._reload()

    @rx.event
    def select_tab(self, key: str):
        if key in TABS:
            self.active_tab = key
            return rx.redirect(routes.user_management_url(key))


S = UserManagementState


def _no_match(noun: str) -> rx.Component:
    return empty_state(
        f"No {noun} found",
        "No results match the search. Clear the search to see all of them.",
        actions=[pf.Button.create("Clear search", variant="link", on_click=S.clear_search)],
    )


def _table(aria_label: str, headers: list, rows: rx.Var, render_row, noun: str) -> rx.Component:
    return rx.cond(
        rows.length() > 0,
        pf.Table.create(
            pf.Thead.create(pf.Tr.create(*[h if isinstance(h, rx.Component) else pf.Th.create(h) for h in headers])),
            pf.Tbody.create(rx.foreach(rows, render_row)),
            aria_label=aria_label,
            variant="compact",
        ),
        _no_match(noun),
    )


def _sortable_user_headers() -> list[rx.Component]:
    return [
        pf.Th.create(label, sort=pf.sort_spec(i, S.user_sort_index, S.user_sort_direction, S.sort_users))
        for i, label in enumerate(["Name", "Username", "Email"])
    ]


def _user_row(u: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(u.full_name, data_label="Name"),
        pf.Td.create(u.username, data_label="Username"),
        pf.Td.create(u.email, data_label="Email"),
        pf.Td.create(name_labels(u.groups, "Groups", color="blue"), data_label="Groups"),
        pf.Td.create(u.created, data_label="Created"),
    )


def _group_row(g: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(g.name, data_label="Name"),
        pf.Td.create(g.description, data_label="Description"),
        pf.Td.create(g.member_count, data_label="Members"),
        pf.Td.create(name_labels(g.members, "Members", color="blue"), data_label="Member list"),
    )


def _service_account_row(a: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(a.name, data_label="Name"),
        pf.Td.create(a.namespace, data_label="Namespace"),
        pf.Td.create(a.description, data_label="Description"),
        pf.Td.create(a.created, data_label="Created"),
    )


def _tab(key: str, title: rx.Var | str, content: rx.Component) -> rx.Component:
    return pf.Tab.create(
        tab_body(content),
        event_key=key,
        title=pf.TabTitleText.create(title),
    )


def user_management_page() -> rx.Component:
    return shell(
        page_header("User management", "Users, groups and service accounts that API keys and policies refer to."),
        pf.PageSection.create(
            list_toolbar(
                search_box(S, placeholder="Search by name", aria_label="Search users, groups and service accounts")
            ),
            pf.Tabs.create(
                _tab(
                    "users",
                    "Users (" + S.users.length().to_string() + ")",
                    _table("Users", [*_sortable_user_headers(), "Groups", "Created"], S.users, _user_row, "users"),
                ),
                _tab(
                    "groups",
                    "Groups (" + S.groups.length().to_string() + ")",
                    _table("Groups", ["Name", "Description", "Members", "Member list"], S.groups, _group_row, "groups"),
                ),
                _tab(
                    "service-accounts",
                    "Service accounts (" + S.service_accounts.length().to_string() + ")",
                    _table(
                        "Service accounts",
                        ["Name", "Namespace", "Description", "Created"],
                        S.service_accounts,
                        _service_account_row,
                        "service accounts",
                    ),
                ),
                active_key=S.active_tab,
                on_select=S.select_tab,
                aria_label="User management sections",
            ),
        ),
        active=routes.USER_MANAGEMENT,
    )
