"""The API key details page's own tabs: Details (its facts), Assets (what it grants, with example
requests) and Settings (the danger zone). Metrics and Policies have their own modules."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.common import empty_state, link, subtle
from maas_ui.components.description_list import description_list
from maas_ui.components.key_parts import secret_copy
from maas_ui.components.labels import name_labels, status_label
from maas_ui.domain.assets import KIND_BY_VALUE
from maas_ui.pages.key_details_state import KeyDetailsState
from maas_ui.pages.key_try_it import try_it_panel

S = KeyDetailsState
K = KeyDetailsState.details


# Details -----------------------------------------------------------------------------------
def details_tab() -> rx.Component:
    return rx.fragment(_details_list(), quotas_section())


def _details_list() -> rx.Component:
    return description_list(
        [
            ("Name", K.name),
            ("Description", rx.cond(K.description != "", rx.el.span(K.description, class_name="maas-pre-line"),
                                    subtle("No description"))),
            ("API key", secret_copy(K.masked_key, S.copy_secret, aria_label="Copy API key (details)")),
            ("Owner", rx.el.span(K.owner_name, " ", subtle("(", K.owner_kind_label, ")", small=True))),
            ("Status", status_label(K.status)),
            ("Date created", rx.el.span(K.created, subtle(" by ", K.created_by, small=True))),
            ("Date last used", rx.cond(
                K.last_used_at, rx.el.span(K.last_used, subtle(" (", K.last_used_relative, ")", small=True)), "Never")),
            ("Expiration", K.expiration),
            ("Token rate limit", K.token_limit),
            ("Request rate limit", K.request_limit),
            ("Budget limit", K.budget_limit),
            ("Tier", rx.cond(S.tier_name != "", link(S.tier_name, href=routes.TIERS + "/" + S.tier_slug),
                             subtle("No tier: the owner's groups are in none"))),
        ],
        aria_label="API key details",
    )


def _quota_row(q: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(q.source_name, rx.cond(q.model != "", subtle(" on ", q.model, small=True)), data_label="Budget"),
        pf.Td.create(q.amount_label, data_label="Amount"),
        pf.Td.create(q.period_label, rx.el.br(), subtle(q.rule_label, small=True), data_label="Current period"),
        pf.Td.create(q.consumed_label, " ", subtle("(", q.percent, " %)", small=True), data_label="Consumed"),
        pf.Td.create(q.remaining_label, data_label="Remaining"),
        pf.Td.create(q.renews_on, data_label="Renews on"),
        pf.Td.create(rx.cond(q.behavior == "soft", pf.Label.create("Soft throttle", color="orange", is_compact=True),
                             pf.Label.create("Hard throttle", color="grey", is_compact=True)),
                     data_label="Over limit"),
    )


def quotas_section() -> rx.Component:
    """The budgets in force for the key in their current periods (none: nothing)."""
    return rx.cond(
        S.quotas.length() > 0,
        pf.Stack.create(
            pf.StackItem.create(pf.Title.create("Budgets in the current period", heading_level="h2", size="lg")),
            pf.StackItem.create(pf.Table.create(
                pf.Thead.create(pf.Tr.create(*[pf.Th.create(h) for h in [
                    "Budget", "Amount", "Current period", "Consumed", "Remaining", "Renews on", "Over limit"]])),
                pf.Tbody.create(rx.foreach(S.quotas, _quota_row)),
                aria_label="Budgets in the current period",
                variant="compact",
            )),
            has_gutter=True,
            class_name="pf-v6-u-mt-lg",
        ),
    )


def quota_warning() -> rx.Component:
    """The inline warning once a budget is at 80 % or more."""
    return rx.cond(S.quota_warning != "",
                   pf.Alert.create(variant="warning", is_inline=True, title=S.quota_warning, component="p"))


# Assets ------------------------------------------------------------------------------------
def _copyable(text: rx.Var, aria_label: rx.Var) -> rx.Component:
    return pf.ClipboardCopy.create(text, is_read_only=True, variant="inline-compact", copy_aria_label=aria_label,
                                   hover_tip="Copy", click_tip="Copied")


def _asset_table(label: rx.Var, headers: list[str], assets: rx.Var, render) -> rx.Component:
    return pf.Table.create(
        pf.Thead.create(pf.Tr.create(*[pf.Th.create(h) for h in headers])),
        pf.Tbody.create(rx.foreach(assets, render)),
        aria_label=label,
        variant="compact",
    )


def _asset_link(a, kind: str) -> rx.Component:
    """The asset's name, linking to its page in the AI assets area."""
    return link(a.name, href=f"{routes.AI_ASSETS}/{KIND_BY_VALUE[kind].slug}/" + a.id.to(str))


# Asset kind -> (columns, row), in the order of the service's sections (key_format.ASSET_KINDS).
_SECTIONS = {
    "model": (["Name", "ID", "Endpoint"], lambda a: pf.Tr.create(
        pf.Td.create(_asset_link(a, "model"), data_label="Name"),
        pf.Td.create(rx.el.code(a.identifier), data_label="ID"),
        pf.Td.create(_copyable(a.endpoint_url, "Copy endpoint of " + a.name), data_label="Endpoint"),
    )),
    "mcp_server": (["Name", "Tools", "Endpoint"], lambda a: pf.Tr.create(
        pf.Td.create(_asset_link(a, "mcp_server"), data_label="Name"),
        pf.Td.create(name_labels(a.tools, "Tools of " + a.name, shown=4, color="purple"), data_label="Tools"),
        pf.Td.create(_copyable(a.endpoint_url, "Copy endpoint of " + a.name), data_label="Endpoint"),
    )),
    "vector_db": (["Name", "Size"], lambda a: pf.Tr.create(
        pf.Td.create(_asset_link(a, "vector_db"), data_label="Name"),
        pf.Td.create(a.size, data_label="Size"),
    )),
    "agent": (["Name", "Endpoint"], lambda a: pf.Tr.create(
        pf.Td.create(_asset_link(a, "agent"), data_label="Name"),
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
    return rx.cond(
        S.curl != "",
        pf.Stack.create(
            pf.StackItem.create(pf.Title.create("Example request", heading_level="h2", size="lg")),
            pf.StackItem.create(pf.Content.create(
                "Call the first model with this key: copy the key with the copy button above and set it as "
                "MAAS_API_KEY.", component="p")),
            pf.StackItem.create(
                pf.Grid.create(
                    pf.GridItem.create(_code_block("curl", S.curl), lg=6),
                    pf.GridItem.create(_code_block("Python (openai)", S.python), lg=6),
                    has_gutter=True,
                )
            ),
            has_gutter=True,
        ),
    )


def _asset_section(index: int, kind: str) -> rx.Component:
    headers, render = _SECTIONS[kind]
    section = K.asset_sections[index]
    count = section.assets.length()
    body = rx.cond(
        count > 0,
        _asset_table(section.label, headers, section.assets, render),
        empty_state(
            "None granted",
            "This API key grants no " + section.label.lower() + ".",
            icon=None,
            actions=[pf.Button.create("Edit access", variant="link", on_click=S.edit,
                                      aria_label="Edit access to " + section.label)],
            variant="xs",
        ),
    )
    parts = [body, _examples()] if kind == "model" else [body]
    return pf.ExpandableSection.create(
        pf.Stack.create(*[pf.StackItem.create(p) for p in parts], has_gutter=True),
        toggle_text=section.label + " (" + count.to_string() + ")",
        is_expanded=~S.collapsed_sections.contains(kind),
        on_toggle=lambda expanded: S.toggle_section(kind, expanded),
    )


def assets_tab() -> rx.Component:
    sections = [pf.StackItem.create(_asset_section(i, kind)) for i, kind in enumerate(_SECTIONS)]
    return pf.Stack.create(sections[0], pf.StackItem.create(try_it_panel()), *sections[1:], has_gutter=True)


# Settings ----------------------------------------------------------------------------------
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
                    flex="flex_1",
                ),
                pf.FlexItem.create(
                    pf.Button.create("Delete API key", variant="danger", on_click=S.delete),
                ),
                align_items="alignItemsCenter",
                gap="gapLg",
            )
        ),
        class_name="maas-danger-zone",
        aria_label="Danger zone",
    )
