"""Policy details: /settings/policies/<policy-id>[/<tab>] with Details, API keys and YAML tabs.

The shared details skeleton (components/details_page.py); the state holds what the policies
service returns (PolicyDetail, PolicyKey rows, the manifests' YAML).
"""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.common import empty_state, link, subtle
from maas_ui.components.description_list import description_list
from maas_ui.components.details_page import DetailsTab, NotFound, details_page, route_tab
from maas_ui.components.labels import kind_labels, name_labels, rules_labels, status_label
from maas_ui.components.menus import MenuAction, kebab_menu
from maas_ui.components.shell import shell
from maas_ui.components.toasts import ToastState
from maas_ui.domain.limits import LIMIT_KINDS
from maas_ui.pages.policy_delete import DeletePolicyState, policy_delete_modal
from maas_ui.pages.policy_form import PolicyFormState, go_to_policy, policy_form_modal
from maas_ui.domain.roles import Permission, PermissionDenied
from maas_ui.identity import acting_user
from maas_ui.services import audit
from maas_ui.services import policies as svc

EXPORT_COMMAND = "python -m maas_ui.export --out <dir>"
_DELETE = MenuAction("delete", "Delete policy", danger=True)
ACTIONS_WHEN_ACTIVE = [MenuAction("deactivate", "Deactivate"), _DELETE]
ACTIONS_WHEN_INACTIVE = [MenuAction("activate", "Activate"), _DELETE]


class PolicyDetailsState(rx.State):
    """Reads the route args `policy_id` and `tab` (vars of the root state)."""

    loaded: bool = False
    found: bool = False
    denied: bool = False  # the policy does not apply to the acting AI engineer
    may_manage: bool = False  # platform admins: Edit and the actions menu
    active_tab: str = routes.POLICY_TABS[0]
    slug: str = ""  # the requested ID (also when not found)
    detail: svc.PolicyDetail | None = None
    keys: list[svc.PolicyKey] = []
    yaml_text: str = ""

    @rx.event
    def load(self):
        self.slug = self.policy_id or ""
        self.active_tab = route_tab(TABS, self.tab)
        self.detail, self.denied = None, False
        actor = acting_user(self)
        self.may_manage = actor.may(Permission.POLICIES_MANAGE)
        if routes.plausible_id(self.slug):
            try:
                page = svc.policy_page(self.slug, actor=actor)
            except PermissionDenied:
                page, self.denied = None, True
            if page is not None:
                self.detail, self.keys, self.yaml_text = page.detail, page.keys, page.yaml_text
            else:
                self.keys, self.yaml_text = [], ""
        self.found = self.detail is not None
        self.loaded = True

    @rx.event
    def select_tab(self, slug: str):
        if slug in routes.POLICY_TABS and self.slug:
            return rx.redirect(routes.policy_url(self.slug, slug))

    @rx.event
    def action(self, value: str):
        if self.detail is None:
            return
        if value == "edit":
            return DetailsPolicyForm.open_edit(self.slug)
        if value == "delete":
            return DetailsPolicyDelete.open(self.slug, self.detail.facts.name)
        if value in ("activate", "deactivate"):
            try:
                name = svc.set_policy_active(self.slug, value == "activate", actor=acting_user(self))
            except svc.PolicyNotFound:
                return rx.redirect(routes.POLICIES)
            except PermissionDenied as denied:
                return ToastState.show("danger", denied.message)
            self.load()
            return ToastState.show("success", f'Policy "{name}" {value}d')

    @rx.event
    def copy_yaml(self):
        return [rx.set_clipboard(self.yaml_text), ToastState.show("success", "YAML copied to the clipboard")]

    @rx.event
    def download_yaml(self):
        audit.record_event(acting_user(self), "manifests.export", "policy", self.slug,
                           f"Downloaded the Kuadrant manifests of policy {self.slug}")
        return rx.download(data=self.yaml_text, filename=f"{self.slug}.yaml")


S = PolicyDetailsState
D = PolicyDetailsState.detail
F = PolicyDetailsState.detail.facts


# The details page's modals: a save reloads the page; a deletion leaves for the list.
class DetailsPolicyForm(PolicyFormState, rx.State):
    def _on_created(self, saved):
        return [go_to_policy(saved)]

    def _on_updated(self, saved):
        return [PolicyDetailsState.load]


class DetailsPolicyDelete(DeletePolicyState, rx.State):
    def _on_deleted(self, name: str):
        return [rx.redirect(routes.POLICIES)]


def _details_tab() -> rx.Component:
    return description_list(
        [
            ("Name", F.name),
            ("Policy ID", rx.el.code(F.slug)),
            ("Description", rx.cond(F.description, rx.el.span(F.description, class_name="maas-pre-line"),
                                    subtle("None"))),
            ("Status", status_label(D.status)),
            ("Models", D.models_label),
            ("MCP servers & tools", D.mcp_servers_label),
            *[(kind.label, D.limit_labels[kind.name]) for kind in LIMIT_KINDS],
            ("Over-limit behavior", D.over_limit_label),
            *[(label, rx.cond(D.renewal_label, value, subtle("No budget"))) for label, value in (
                ("Budget renews", D.renewal_label), ("Current period", D.period_label),
                ("Renews on", D.renews_on))],
            ("Groups", name_labels(D.groups, "Groups", shown=6, empty="None")),
            ("Users", name_labels(D.users, "Users", shown=6, empty="None")),
            ("Service accounts", name_labels(D.service_accounts, "Service accounts", shown=6, empty="None")),
            ("Kuadrant policy types", kind_labels(D.kinds)),
            ("Created", D.created + " by " + D.created_by),
            ("Last modified", D.updated),
        ],
        aria_label="Policy details",
    )


def _key_row(k: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(link(k.name, href=routes.API_KEYS + "/" + k.public_id + "/policies"), data_label="Name"),
        pf.Td.create(status_label(k.status), data_label="Status"),
        pf.Td.create(k.owner + " (" + k.owner_kind_label + ")", data_label="Owner"),
        pf.Td.create(rx.foreach(k.reasons, lambda r: rx.el.div(r)), data_label="Why it applies"),
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
                pf.Tbody.create(rx.foreach(S.keys, _key_row)),
                aria_label="API keys this policy applies to",
                variant="compact",
            )),
            has_gutter=True,
        ),
        empty_state(
            "No API keys",
            rx.cond(
                F.is_active,
                "No API key belongs to this policy's targets and reaches its assets yet.",
                "This policy is inactive: it applies to no API key until it is activated.",
            ),
            icon="KeyIcon",
        ),
    )


def _yaml_tab() -> rx.Component:
    return pf.Stack.create(
        pf.StackItem.create(pf.Content.create(
            "The Kuadrant manifests that would enforce this policy on the MaaS gateway. ",
            rx.el.code(EXPORT_COMMAND),
            " writes the same files for every active policy.",
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


TABS: list[DetailsTab] = [
    DetailsTab("details", "Details", _details_tab),
    DetailsTab("api-keys", "API keys", _keys_tab),
    DetailsTab("yaml", "YAML", _yaml_tab),
]


def _actions() -> rx.Component:
    return rx.cond(S.may_manage, _admin_actions())


def _admin_actions() -> rx.Component:
    return pf.Flex.create(
        pf.Button.create("Edit", variant="secondary", on_click=S.action("edit")),
        kebab_menu(
            ACTIONS_WHEN_ACTIVE,
            otherwise=ACTIONS_WHEN_INACTIVE,
            when=F.is_active,
            key=D.status,
            on_select=S.action,
            aria_label="More actions",
        ),
        gap="gapSm",
        flex_wrap="nowrap",
    )


def policy_details_page() -> rx.Component:
    return shell(
        details_page(
            loaded=S.loaded,
            found=S.found,
            denied=S.denied,
            loading_label="Loading policy",
            not_found=NotFound(
                "Policy not found",
                "No policy has the ID \"" + S.slug + "\". It may have been deleted, or the address is mistyped.",
                "Back to policies",
                routes.POLICIES,
            ),
            parent=("Policies", routes.POLICIES),
            title=F.name,
            labels=[status_label(D.status)],
            summary=[rules_labels(D.rules)],
            actions=_actions(),
            tabs=TABS,
            active_tab=S.active_tab,
            on_select_tab=S.select_tab,
            tabs_label="Policy details sections",
        ),
        policy_form_modal(DetailsPolicyForm),
        policy_delete_modal(DetailsPolicyDelete),
        active=routes.POLICIES,
    )
