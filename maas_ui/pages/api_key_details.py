"""API key details: /settings/api-keys/<id> and /settings/api-keys/<id>/<tab>.

The tab lives in the URL: a tab click navigates, so reload and back/forward keep it; a bare URL or
an unknown tab shows Details; an unknown (or deleted) key shows "API key not found".
Tabs are entries of an ordered list (pages/key_tabs.py); tabs built elsewhere join by existing.
"""

from __future__ import annotations

import reflex as rx

from maas_ui import db, pf, routes
from maas_ui.components import toasts
from maas_ui.components.common import link, not_found_state
from maas_ui.components.key_parts import secret_copy, status_label
from maas_ui.components.shell import shell
from maas_ui.domain.key_examples import curl_example, python_example
from maas_ui.pages.api_key_delete import DeleteKeyState, delete_key_modal
from maas_ui.pages.api_key_form import KeyFormState, key_form_modal
from maas_ui.domain.gateway_urls import public_base_url
from maas_ui.pages.key_tabs import KeyDetailsTab, ordered_tabs
from maas_ui.pages.key_try_it import TryItState, try_it_panel
from maas_ui.services import api_keys as svc
from maas_ui.settings import demo_user, gateway_public_url


class KeyDetailsState(rx.State):
    loaded: bool = False
    found: bool = False
    loaded_id: str = ""
    active_tab: str = "details"
    details: svc.KeyDetails | None = None
    curl: str = ""
    python: str = ""
    collapsed_sections: list[str] = []  # asset kinds whose section the user collapsed

    def _route_tab(self) -> str:
        tab = self.tab or ""  # the route argument (root state var); "" on the bare details URL
        return tab if tab in TAB_SLUGS else "details"

    @rx.event
    def load(self):
        """Runs on every visit of a details URL: first load, tab change, reload, back/forward."""
        key_id = self.key_id or ""
        if key_id != self.loaded_id:
            self.loaded = False
        self.active_tab = self._route_tab()
        with db.session() as s:
            details = svc.get_key(s, key_id)
        if details is not None:  # models answer through this console's gateway
            details = svc.with_gateway_endpoints(
                details, public_base_url(gateway_public_url(), self.router.headers.origin))
        self.details = details
        self.found = details is not None
        self.loaded_id = key_id
        models = details.asset_sections[0].assets if details else []
        if models:
            self.curl = curl_example(models[0].endpoint_url, models[0].identifier)
            self.python = python_example(models[0].endpoint_url, models[0].identifier)
        else:
            self.curl = self.python = ""
        self.loaded = True
        tab = TABS_BY_SLUG.get(self.active_tab)
        if details is not None and tab is not None and tab.on_load is not None:
            return tab.on_load

    @rx.event
    def toggle_section(self, kind: str, expanded: bool):
        self.collapsed_sections = [k for k in self.collapsed_sections if k != kind] + ([] if expanded else [kind])

    @rx.event
    def select_tab(self, slug: str):
        if slug in TAB_SLUGS and self.key_id:
            return rx.redirect(routes.api_key_url(self.key_id, slug))

    @rx.event
    def copy_secret(self):
        """The copy button: decrypt on demand, straight to the clipboard (never kept in state)."""
        with db.session() as s:
            secret = svc.reveal_secret(s, self.key_id or "", actor=demo_user())
        if secret is None:
            return toasts.danger("The API key can't be copied: it no longer exists or can't be decrypted.")
        return rx.set_clipboard(secret)

    @rx.event
    def set_enabled(self, enabled: bool):
        try:
            with db.session() as s:
                name = svc.set_enabled(s, self.key_id or "", bool(enabled), actor=demo_user())
        except svc.KeyNotFound:
            return [KeyDetailsState.load, toasts.danger("This API key no longer exists.")]
        return [KeyDetailsState.load, toasts.success(f"API key \u201c{name}\u201d {'enabled' if enabled else 'disabled'}")]

    @rx.event
    def edit(self):
        return KeyFormState.open_edit(self.key_id or "")

    @rx.event
    def edit_access(self):
        return KeyFormState.open_edit(self.key_id or "")

    @rx.event
    def delete(self):
        return DeleteKeyState.open(self.key_id or "", True)


def _key() -> rx.Var:
    return KeyDetailsState.details


# Header ------------------------------------------------------------------------------------
def _header() -> rx.Component:
    s = KeyDetailsState
    k = _key()
    return rx.fragment(
        pf.PageSection.create(
            pf.Breadcrumb.create(
                pf.BreadcrumbItem.create(link("API keys", href=routes.API_KEYS)),
                pf.BreadcrumbItem.create(k.name, is_active=True),
                aria_label="Breadcrumb",
            ),
            type="breadcrumb",
        ),
        pf.PageSection.create(
            pf.Flex.create(
                pf.FlexItem.create(
                    pf.Flex.create(
                        pf.FlexItem.create(pf.Title.create(k.name, heading_level="h1")),
                        pf.FlexItem.create(status_label(k.status)),
                        align_items={"default": "alignItemsCenter"},
                        gap={"default": "gapMd"},
                    ),
                    rx.el.div(
                        secret_copy(k.masked_key, s.copy_secret),
                        class_name="pf-v6-u-mt-sm",
                    ),
                ),
                pf.FlexItem.create(
                    pf.Flex.create(
                        pf.Button.create("Edit", variant="secondary", on_click=s.edit),
                        rx.cond(
                            k.is_disabled,
                            pf.Button.create("Enable", variant="secondary", on_click=s.set_enabled(True)),
                            pf.Button.create("Disable", variant="secondary", on_click=s.set_enabled(False)),
                        ),
                        pf.Button.create("Delete", variant="danger", on_click=s.delete),
                        gap={"default": "gapSm"},
                    ),
                ),
                justify_content={"default": "justifyContentSpaceBetween"},
                align_items={"default": "alignItemsFlexStart"},
            ),
        ),
    )


# Details tab -------------------------------------------------------------------------------
def _dl_item(term: str, description) -> rx.Component:
    return pf.DescriptionListGroup.create(
        pf.DescriptionListTerm.create(term),
        pf.DescriptionListDescription.create(description),
    )


def details_tab() -> rx.Component:
    s = KeyDetailsState
    k = _key()
    return pf.DescriptionList.create(
        _dl_item("Name", k.name),
        _dl_item("Description", rx.cond(k.description != "", k.description,
                                          rx.el.span("No description", class_name="pf-v6-u-text-color-subtle"))),
        _dl_item("API key", secret_copy(k.masked_key, s.copy_secret, aria_label="Copy API key (details)")),
        _dl_item("Owner", rx.el.span(k.owner_name, " ", rx.el.small("(", k.owner_kind_label, ")",
                                                                  class_name="pf-v6-u-text-color-subtle"))),
        _dl_item("Status", status_label(k.status)),
        _dl_item("Date created", rx.el.span(k.created, rx.el.small(" by ", k.created_by,
                                                                  class_name="pf-v6-u-text-color-subtle"))),
        _dl_item("Date last used", rx.cond(
            k.last_used_at, rx.el.span(k.last_used, rx.el.small(" (", k.last_used_relative, ")",
                                                                class_name="pf-v6-u-text-color-subtle")),
            "Never")),
        _dl_item("Expiration", k.expiration),
        _dl_item("Token rate limit", k.token_limit),
        _dl_item("Request rate limit", k.request_limit),
        _dl_item("Budget limit", k.budget_limit),
        column_modifier={"default": "1Col", "lg": "2Col"},
        aria_label="API key details",
    )


# Assets tab --------------------------------------------------------------------------------
def _copyable(text: rx.Var, aria_label: str) -> rx.Component:
    return pf.ClipboardCopy.create(text, is_read_only=True, variant="inline-compact", copy_aria_label=aria_label,
                                   hover_tip="Copy", click_tip="Copied")


def _asset_table(label: str, headers: list[str], assets: rx.Var, render) -> rx.Component:
    return pf.Table.create(
        pf.Thead.create(pf.Tr.create(*[pf.Th.create(h) for h in headers])),
        pf.Tbody.create(rx.foreach(assets, render)),
        aria_label=label,
        variant="compact",
    )


_SECTIONS = {
    "model": (["Name", "ID", "Endpoint"], lambda a: pf.Tr.create(
        pf.Td.create(a.name, data_label="Name"),
        pf.Td.create(rx.el.code(a.identifier), data_label="ID"),
        pf.Td.create(_copyable(a.endpoint_url, "Copy endpoint of " + a.name), data_label="Endpoint"),
    )),
    "mcp_server": (["Name", "Tools", "Endpoint"], lambda a: pf.Tr.create(
        pf.Td.create(a.name, data_label="Name"),
        pf.Td.create(pf.LabelGroup.create(
            rx.foreach(a.tools, lambda t: pf.Label.create(t, is_compact=True, color="purple")),
            num_labels=4, aria_label="Tools of " + a.name,
        ), data_label="Tools"),
        pf.Td.create(_copyable(a.endpoint_url, "Copy endpoint of " + a.name), data_label="Endpoint"),
    )),
    "vector_db": (["Name", "Size"], lambda a: pf.Tr.create(
        pf.Td.create(a.name, data_label="Name"),
        pf.Td.create(a.size, data_label="Size"),
    )),
    "agent": (["Name", "Endpoint"], lambda a: pf.Tr.create(
        pf.Td.create(a.name, data_label="Name"),
        pf.Td.create(_copyable(a.endpoint_url, "Copy endpoint of " + a.name), data_label="Endpoint"),
    )),
}


def _code_block(title: str, code: rx.Var) -> rx.Component:
    return pf.Stack.create(
        pf.StackItem.create(pf.Title.create(title, heading_level="h3", size="md")),
        pf.StackItem.create(
            pf.CodeBlock.create(
                pf.CodeBlockCode.create(code),
                actions=pf.CodeBlockAction.create(
                    pf.ClipboardCopyButton.create(
                        id=f"copy-{title.split()[0].lower()}-example",
                        aria_label=f"Copy {title} example",
                        variant="plain",
                        on_click=rx.set_clipboard(code),
                    )
                ),
            )
        ),
        has_gutter=True,
    )


def _examples() -> rx.Component:
    s = KeyDetailsState
    return rx.cond(
        s.curl != "",
        pf.Stack.create(
            pf.StackItem.create(pf.Title.create("Example request", heading_level="h2", size="lg")),
            pf.StackItem.create(pf.Content.create(
                "Call the first model with this key: copy the key with the copy button above and set it as "
                "MAAS_API_KEY.", component="p")),
            pf.StackItem.create(
                pf.Grid.create(
                    pf.GridItem.create(_code_block("curl", s.curl), lg=6),
                    pf.GridItem.create(_code_block("Python (openai)", s.python), lg=6),
                    has_gutter=True,
                )
            ),
            has_gutter=True,
            class_name="pf-v6-u-mt-md pf-v6-u-mb-lg",
        ),
    )


def assets_tab() -> rx.Component:
    return rx.el.div(_asset_expandable(0), try_it_panel(), *[_asset_expandable(i) for i in range(1, len(_SECTIONS))])


def _asset_expandable(index: int) -> rx.Component:
    kinds = list(_SECTIONS)
    kind = kinds[index]
    headers, render = _SECTIONS[kind]
    section = _key().asset_sections[index]
    count = section.assets.length()
    body = rx.cond(
        count > 0,
        _asset_table(section.label, headers, section.assets, render),
        pf.EmptyState.create(
            pf.EmptyStateBody.create("This API key grants no " + section.label.lower() + "."),
            pf.EmptyStateFooter.create(pf.EmptyStateActions.create(
                pf.Button.create("Edit access", variant="link", on_click=KeyDetailsState.edit_access,
                                 aria_label="Edit access to " + section.label),
            )),
            variant="xs",
            title_text="None granted",
            heading_level="h2",
        ),
    )
    return pf.ExpandableSection.create(
        body,
        _examples() if kind == "model" else rx.fragment(),
        toggle_text=section.label + " (" + count.to_string() + ")",
        is_expanded=~KeyDetailsState.collapsed_sections.contains(kind),
        on_toggle=lambda expanded: KeyDetailsState.toggle_section(kind, expanded),
        class_name="pf-v6-u-mb-md",
    )


# Settings tab ------------------------------------------------------------------------------
def settings_tab() -> rx.Component:
    return pf.Card.create(
        pf.CardHeader.create(pf.CardTitle.create(
            pf.Title.create("Danger zone", heading_level="h2", size="lg", class_name="maas-danger-zone-title"))),
        pf.CardBody.create(
            pf.Flex.create(
                pf.FlexItem.create(
                    pf.Content.create(
                        pf.Content.create(rx.el.strong("Delete this API key"), component="p"),
                        pf.Content.create(
                            "Deleting the key is permanent: applications using it stop working at once. "
                            "Its usage history stays in usage reports.",
                            component="p",
                        ),
                    ),
                    flex={"default": "flex_1"},
                ),
                pf.FlexItem.create(
                    pf.Button.create("Delete API key", variant="danger", on_click=KeyDetailsState.delete),
                ),
                align_items={"default": "alignItemsCenter"},
                gap={"default": "gapLg"},
            )
        ),
        class_name="maas-danger-zone",
        aria_label="Danger zone",
    )


# Tabs --------------------------------------------------------------------------------------
BUILT_IN_TABS = {
    "details": KeyDetailsTab("details", "Details", details_tab),
    "assets": KeyDetailsTab("assets", "Assets", assets_tab, on_load=TryItState.load),
    "settings": KeyDetailsTab("settings", "Settings", settings_tab),
}
TABS: list[KeyDetailsTab] = ordered_tabs(BUILT_IN_TABS)
TABS_BY_SLUG = {t.slug: t for t in TABS}
TAB_SLUGS = list(TABS_BY_SLUG)


def _tabs() -> rx.Component:
    return pf.Tabs.create(
        *[
            pf.Tab.create(
                pf.PageSection.create(tab.content(), padding={"default": "noPadding"}, class_name="pf-v6-u-pt-lg"),
                event_key=tab.slug,
                title=pf.TabTitleText.create(tab.title),
            )
            for tab in TABS
        ],
        active_key=KeyDetailsState.active_tab,
        on_select=KeyDetailsState.select_tab,
        mount_on_enter=True,
        unmount_on_exit=True,
        aria_label="API key sections",
    )


def key_details_page() -> rx.Component:
    s = KeyDetailsState
    return shell(
        rx.cond(
            ~s.loaded,
            pf.PageSection.create(pf.Bullseye.create(pf.Spinner.create(aria_label="Loading API key"))),
            rx.cond(
                s.found,
                rx.fragment(_header(), pf.PageSection.create(_tabs(), aria_label="API key sections")),
                not_found_state(
                    "API key not found",
                    "There is no API key with this ID. It may have been deleted, or the address is mistyped.",
                    "Go to API keys",
                    routes.API_KEYS,
                ),
            ),
        ),
        key_form_modal(),
        delete_key_modal(),
        active=routes.API_KEYS,
    )
