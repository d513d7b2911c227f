"""Policy details: /settings/policies/<policy-id>[/<tab>] with Details, API keys and YAML tabs."""

from __future__ import annotations

import reflex as rx

from maas_ui import db, pf, routes
from maas_ui.components.common import empty_state, link, not_found_state
from maas_ui.components.shell import shell
from maas_ui.components.toasts import ToastState
from maas_ui.pages.policies import rules_cell, status_label
from maas_ui.pages.policy_delete import DeletePolicyState, policy_delete_modal
from maas_ui.pages.policy_form import PolicyFormState, go_to_policy, policy_form_modal
from maas_ui.services import policies as svc

TAB_TITLES = {"details": "Details", "api-keys": "API keys", "yaml": "YAML"}


class PolicyDetailsState(rx.State):
    """Reads the route args `policy_id` and `tab` (vars of the root state)."""

    loaded: bool = False
    found: bool = False
    active_tab: str = "details"
    slug: str = ""
    name: str = ""
    description: str = ""
    is_active: bool = False
    rules: list[str] = []
    kinds: list[str] = []
    models_label: str = ""
    mcp_servers_label: str = ""
    groups: list[str] = []
    users: list[str] = []
    service_accounts: list[str] = []
    token_limit_label: str = ""
    rate_limit_label: str = ""
    time_limit_label: str = ""
    budget_label: str = ""
    over_limit_label: str = ""
    created: str = ""
    created_by: str = ""
    updated: str = ""
    keys: list[svc.PolicyKey] = []
    yaml_text: str = ""

    @rx.event
    def load(self):
        slug = self.policy_id
        tab = self.tab if self.tab in TAB_TITLES else "details"
        with db.session() as s:
            d = svc.get_policy(s, slug)
            if d is None:
                self.found, self.loaded, self.slug = False, True, slug
                return
            self.keys = svc.keys_for_policy(s, slug)
            self.yaml_text = svc.policy_yaml(s, slug)
        f = d.facts
        self.slug, self.name, self.description, self.is_active = f.slug, f.name, f.description, f.is_active
        self.rules, self.kinds = list(d.rules), list(d.kinds)
        self.models_label, self.mcp_servers_label = d.models_label, d.mcp_servers_label
        self.groups, self.users, self.service_accounts = list(d.groups), list(d.users), list(d.service_accounts)
        self.token_limit_label, self.rate_limit_label = d.token_limit_label, d.rate_limit_label
        self.time_limit_label, self.budget_label = d.time_limit_label, d.budget_label
        self.over_limit_label = d.over_limit_label
        self.created = d.created_at.strftime("%Y-%m-%d %H:%M UTC")
        self.updated = d.updated_at.strftime("%Y-%m-%d %H:%M UTC")
        self.created_by = d.created_by
        self.active_tab = tab
        self.found = self.loaded = True

    @rx.event
    def select_tab(self, key: str):
        if key in TAB_TITLES and self.slug:
            self.active_tab = key
            return rx.redirect(routes.policy_url(self.slug, key))

    @rx.event
    def action(self, value: str):
        if value == "edit":
            return DetailsPolicyForm.open_edit(self.slug)
        if value == "delete":
            return DetailsPolicyDelete.open(self.slug, self.name)
        if value in ("activate", "deactivate"):
            try:
                with db.session() as s:
                    svc.set_policy_active(s, self.slug, value == "activate")
            except svc.PolicyNotFound:
                return rx.redirect(routes.POLICIES)
            name = self.name
            self.load()
            return ToastState.show("success", f'Policy "{name}" {value}d')

    @rx.event
    def copy_yaml(self):
        return [rx.set_clipboard(self.yaml_text), ToastState.show("success", "YAML copied to the clipboard")]

    @rx.event
    def download_yaml(self):
        return rx.download(data=self.yaml_text, filename=f"{self.slug}.yaml")

    @rx.var
    def yaml_lines(self) -> int:
        return self.yaml_text.count("\n")


S = PolicyDetailsState


# The details page's modals: a save reloads the page; a deletion leaves for the list.
class DetailsPolicyForm(PolicyFormState, rx.State):
    def _on_created(self, saved):
        return [go_to_policy(saved)]

    def _on_updated(self, saved):
        return [PolicyDetailsState.load]


class DetailsPolicyDelete(DeletePolicyState, rx.State):
    def _on_deleted(self, name: str):
        return [rx.redirect(routes.POLICIES)]


def _dl_item(term: str, value: rx.Component | rx.Var | str) -> rx.Component:
    return pf.DescriptionListGroup.create(
        pf.DescriptionListTerm.create(term),
        pf.DescriptionListDescription.create(value),
    )


def _names(values: rx.Var, empty: str) -> rx.Component:
    return rx.cond(
        values.length() > 0,
        pf.LabelGroup.create(rx.foreach(values, lambda v: pf.Label.create(v, is_compact=True)), num_labels=6),
        rx.el.span(empty),
    )


def _kinds(values: rx.Var) -> rx.Component:
    return pf.LabelGroup.create(
        rx.foreach(values, lambda k: pf.Label.create(k, color="purple", is_compact=True)), num_labels=5,
        aria_label="Kuadrant policy types",
    )


def _details_tab() -> rx.Component:
    return pf.DescriptionList.create(
        _dl_item("Name", S.name),
        _dl_item("Policy ID", rx.el.code(S.slug)),
        _dl_item("Description", rx.cond(S.description, rx.el.span(S.description, style={"white_space": "pre-line"}),
                                         "None")),
        _dl_item("Status", status_label(S.is_active)),
        _dl_item("Models", S.models_label),
        _dl_item("MCP servers & tools", S.mcp_servers_label),
        _dl_item("Token limit", S.token_limit_label),
        _dl_item("Rate limit", S.rate_limit_label),
        _dl_item("Time limit", S.time_limit_label),
        _dl_item("Budget", S.budget_label),
        _dl_item("Over-limit behavior", S.over_limit_label),
        _dl_item("Groups", _names(S.groups, "None")),
        _dl_item("Users", _names(S.users, "None")),
        _dl_item("Service accounts", _names(S.service_accounts, "None")),
        _dl_item("Kuadrant policy types", _kinds(S.kinds)),
        _dl_item("Created", S.created + " by " + S.created_by),
        _dl_item("Last modified", S.updated),
        column_modifier={"default": "2Col"},
        aria_label="Policy details",
    )


def _key_status(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("Active", pf.Label.create("Active", status="success", is_compact=True)),
        ("Expired", pf.Label.create("Expired", status="warning", is_compact=True)),
        pf.Label.create(status, color="grey", is_compact=True),
    )


def _keys_tab() -> rx.Component:
    return rx.cond(
        S.keys.length() > 0,
        pf.Stack.create(
            pf.StackItem.create(pf.Content.create(
                "The API keys this policy applies to now: keys owned by its targets (directly, through a group, "
                "or the owning group or service account) that can reach an asset in its scope.",
                component="p",
            )),
            pf.StackItem.create(pf.Table.create(
                pf.Thead.create(pf.Tr.create(*[pf.Th.create(h) for h in ["Name", "Status", "Owner", "Why it applies"]])),
                pf.Tbody.create(rx.foreach(S.keys, lambda k: pf.Tr.create(
                    pf.Td.create(link(k.name, href=routes.API_KEYS + "/" + k.public_id + "/policies"),
                                 data_label="Name"),
                    pf.Td.create(_key_status(k.status), data_label="Status"),
                    pf.Td.create(k.owner + " (" + k.owner_kind_label + ")", data_label="Owner"),
                    pf.Td.create(rx.foreach(k.reasons, lambda r: rx.el.div(r)), data_label="Why it applies"),
                ))),
                aria_label="API keys this policy applies to",
                variant="compact",
            )),
            has_gutter=True,
        ),
        empty_state(
            "No API keys",
            rx.cond(
                S.is_active,
                "No API key belongs to this policy's targets and reaches its assets yet.",
                "This policy is inactive: it applies to no API key until it is activated.",
            ),
            icon="KeyIcon",
        ),
    )


def _yaml_tab() -> rx.Component:
    return pf.Stack.create(
        pf.StackItem.create(pf.Content.create(
            "The Kuadrant manifests that would enforce this policy on the MaaS gateway. "
            "`python -m maas_ui.export --out <dir>` writes the same files for every active policy.",
            component="p",
        )),
        pf.StackItem.create(pf.CodeBlock.create(
            pf.CodeBlockCode.create(S.yaml_text, id="policy-yaml"),
            actions=rx.fragment(
                pf.CodeBlockAction.create(pf.Button.create(
                    "Copy", icon=pf.icon("CopyIcon"), variant="plain", aria_label="Copy YAML", on_click=S.copy_yaml,
                )),
                pf.CodeBlockAction.create(pf.Button.create(
                    "Download", icon=pf.icon("DownloadIcon"), variant="plain", aria_label="Download YAML",
                    on_click=S.download_yaml,
                )),
            ),
        )),
        has_gutter=True,
    )


def _tab(key: str, content: rx.Component) -> rx.Component:
    return pf.Tab.create(
        # Reflex turns `style` into emotion's `css`, which PF components ignore: space with a div.
        pf.PageSection.create(rx.el.div(content, class_name="pf-v6-u-pt-md"),
                              padding={"default": "noPadding"}),
        event_key=key,
        title=pf.TabTitleText.create(TAB_TITLES[key]),
    )


def _header() -> rx.Component:
    return pf.PageSection.create(
        pf.Stack.create(
            pf.StackItem.create(pf.Breadcrumb.create(
                pf.BreadcrumbItem.create(link("Policies", href=routes.POLICIES)),
                pf.BreadcrumbItem.create(S.name, is_active=True),
            )),
            pf.StackItem.create(pf.Flex.create(
                pf.FlexItem.create(pf.Title.create(S.name, heading_level="h1")),
                pf.FlexItem.create(status_label(S.is_active)),
                pf.FlexItem.create(
                    pf.Flex.create(
                        pf.FlexItem.create(pf.Button.create("Edit", variant="secondary", on_click=S.action("edit"))),
                        pf.FlexItem.create(pf.SimpleDropdown.create(
                            initial_items=rx.cond(
                                S.is_active,
                                [{"value": "deactivate", "content": "Deactivate"},
                                 {"value": "delete", "content": "Delete policy", "isDanger": True}],
                                [{"value": "activate", "content": "Activate"},
                                 {"value": "delete", "content": "Delete policy", "isDanger": True}],
                            ),
                            toggle_content=pf.icon("EllipsisVIcon"),
                            toggle_variant="plain",
                            toggle_aria_label="More actions",
                            popper_props={"position": "right"},
                            on_select=S.action,
                            key=rx.cond(S.is_active, "active", "inactive"),
                        )),
                        space_items={"default": "spaceItemsSm"},
                    ),
                    align={"default": "alignRight"},
                ),
                align_items={"default": "alignItemsCenter"},
            )),
            rx.cond(S.description, pf.StackItem.create(pf.Content.create(
                S.description, component="p", style={"white_space": "pre-line"}))),
            pf.StackItem.create(rules_cell(S.rules)),
            has_gutter=True,
        )
    )


def policy_details_page() -> rx.Component:
    return shell(
        rx.cond(
            ~S.loaded,
            pf.PageSection.create(pf.Bullseye.create(pf.Spinner.create(aria_label="Loading policy"))),
            rx.cond(
                S.found,
                rx.fragment(
                    _header(),
                    pf.PageSection.create(
                        pf.Tabs.create(
                            _tab("details", _details_tab()),
                            _tab("api-keys", _keys_tab()),
                            _tab("yaml", _yaml_tab()),
                            active_key=S.active_tab,
                            on_select=S.select_tab,
                            aria_label="Policy details sections",
                            mount_on_enter=True,
                        ),
                    ),
                ),
                not_found_state(
                    "Policy not found",
                    "No policy has the ID \"" + S.slug + "\". It may have been deleted, or the address is mistyped.",
                    "Back to policies",
                    routes.POLICIES,
                ),
            ),
        ),
        policy_form_modal(DetailsPolicyForm),
        policy_delete_modal(DetailsPolicyDelete),
        active=routes.POLICIES,
    )
