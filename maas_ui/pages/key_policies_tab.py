"""The content of an API key's "Policies" tab: its effective limits and the policies that apply to it.

Self-contained so the key details page can plug it in: `key_policies_tab()` renders it and
`KeyPoliciesTabState.load` (an event handler reading the route arg `key_id`) fills it; call it
from the page's on_load or when the tab opens. `TAB` is the entry the key details page's tab
registry (maas_ui/pages/key_tabs.py, from the API keys issue) picks up by itself.
"""

from __future__ import annotations

import reflex as rx

from maas_ui import db, pf, routes
from maas_ui.components.common import empty_state, link
from maas_ui.services import policies as svc

DIMENSIONS = [("tokens", "Tokens"), ("requests", "Requests"), ("budget", "Budget")]


class KeyPoliciesTabState(rx.State):
    loaded: bool = False
    found: bool = False
    loaded_key: str = ""
    policies: list[dict] = []
    limits: list[dict] = []
    headroom: list[dict] = []  # per model and limit window: live count, remaining, reset (as /v1/limits)

    @rx.event
    def load(self):
        key_id = self.key_id
        with db.session() as s:
            result = svc.key_policies(s, key_id)
        self.loaded, self.loaded_key = True, key_id
        if result is None:
            self.found, self.policies, self.limits, self.headroom = False, [], [], []
            return
        self.found = True
        self.policies = [
            {
                "name": p.name,
                "id": p.slug or "",
                "href": routes.policy_url(p.slug) if p.slug else routes.api_key_url(key_id),
                "kinds": list(p.kinds),
                "description": p.description,
                "rules": list(p.rules),
                "key_level": p.key_level,
                "reasons": "; ".join(p.rules) if p.key_level else "; ".join(p.reasons),
            }
            for p in result.policies
        ]
        self.limits = []
        for dim, title in DIMENSIONS:
            t = result.tightest.get(dim)
            self.limits.append({
                "dimension": title,
                "value": t.label if t else "No limit",
                "source": (t.source_name if t else ""),
                "href": (routes.policy_url(t.source_slug) if t and t.source_slug
                         else routes.api_key_url(key_id) if t else ""),
                "key_level": bool(t and t.key_level),
            })

        return KeyPoliciesTabState.load_headroom

    @rx.event
    async def load_headroom(self):
        """The gateway's own counters (the same numbers its 429s and /v1/limits use)."""
        from maas_gateway.app import get_gateway

        models = await get_gateway().headroom(self.key_id or "") or []
        self.headroom = [_headroom_row(m, row) for m in models for row in m["limits"]]

    @rx.var
    def platform_count(self) -> int:
        return len([p for p in self.policies if not p["key_level"]])


def _amount(kind: str, value) -> str:
    if value is None:
        return ""
    return f"${value:,.2f}" if kind == "budget" else f"{int(value):,}"


def _headroom_row(model: dict, row: dict) -> dict:
    kind = row["kind"]
    if kind == "time_window":
        used, remaining, resets = "", "", "Open now" if row.get("open_now") else "Closed now"
    else:
        used, remaining = _amount(kind, row["used"]), _amount(kind, row["remaining"])
        seconds = row.get("reset_in_s")
        if seconds is None:
            resets = "Window not started"
        elif kind == "budget":
            resets = "On the 1st (" + row["reset_at"][:10] + ")"
        else:
            m, sec = divmod(int(seconds), 60)
            h, m = divmod(m, 60)
            resets = "in " + (f"{h} h {m} min" if h else f"{m} min {sec} s" if m else f"{sec} s")
    return {
        "model": model["name"], "limit": row["label"], "source": row["source_name"],
        "key_level": row["policy"] == "key limit", "behavior": "Soft" if row["behavior"] == "soft" else "Hard",
        "used": used, "remaining": remaining, "resets": resets,
    }


S = KeyPoliciesTabState


def _headroom_table() -> rx.Component:
    cols = ["Model", "Limit", "Set by", "Used", "Remaining", "Resets"]
    return pf.Card.create(
        pf.CardTitle.create("Live headroom", component="h2"),
        pf.CardBody.create(
            pf.Content.create(
                "What is left in each limit window right now, per model, from the gateway's own counters "
                "(scripts get the same from GET /v1/limits with this key).", component="small"),
            rx.cond(
                S.headroom.length() > 0,
                pf.Table.create(
                    pf.Thead.create(pf.Tr.create(*[pf.Th.create(h) for h in cols])),
                    pf.Tbody.create(rx.foreach(S.headroom, lambda r: pf.Tr.create(
                        pf.Td.create(r["model"], data_label="Model"),
                        pf.Td.create(r["limit"], rx.el.small(" (", r["behavior"], ")",
                                                             class_name="pf-v6-u-text-color-subtle"),
                                     data_label="Limit"),
                        pf.Td.create(rx.cond(r["key_level"], "This key", r["source"]), data_label="Set by"),
                        pf.Td.create(r["used"], data_label="Used"),
                        pf.Td.create(r["remaining"], data_label="Remaining"),
                        pf.Td.create(r["resets"], data_label="Resets"),
                    ))),
                    aria_label="Live headroom",
                    variant="compact",
                    class_name="pf-v6-u-mt-sm",
                ),
                pf.Content.create("No limit applies to this key's models.", component="p",
                                  class_name="pf-v6-u-mt-sm"),
            ),
        ),
        is_compact=True,
    )


def _limit(item: rx.Var) -> rx.Component:
    return pf.DescriptionListGroup.create(
        pf.DescriptionListTerm.create(item["dimension"]),
        pf.DescriptionListDescription.create(
            rx.el.span(item["value"]),
            rx.cond(
                item["source"] != "",
                rx.el.span(
                    " set by ",
                    rx.cond(item["key_level"], rx.el.span("this key's own limit"),
                            link(item["source"].to(str), href=item["href"].to(str))),
                ),
            ),
        ),
    )


def _effective_limits() -> rx.Component:
    return pf.Card.create(
        pf.CardTitle.create("Effective limits", component="h2"),
        pf.CardBody.create(
            pf.Content.create(
                "The tightest limit of each kind among the policies below and the key's own limits "
                "(rates compared per minute).",
                component="small",
            ),
            rx.el.div(
                pf.DescriptionList.create(
                    rx.foreach(S.limits, _limit),
                    column_modifier={"default": "3Col"},
                    aria_label="Effective limits",
                ),
                class_name="pf-v6-u-mt-md",
            ),
        ),
        is_compact=True,
    )


def _kind_labels(kinds: rx.Var) -> rx.Component:
    return pf.LabelGroup.create(
        rx.foreach(kinds, lambda k: pf.Label.create(k.to(str), color="purple", is_compact=True)),
        num_labels=3,
        aria_label="Types",
    )


def _row(p: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(link(p["name"].to(str), href=p["href"].to(str)), data_label="Name"),
        pf.Td.create(rx.cond(p["key_level"], rx.el.span("Set on this key"), rx.el.code(p["id"].to(str))),
                     data_label="ID"),
        pf.Td.create(_kind_labels(p["kinds"].to(list[str])), data_label="Type"),
        pf.Td.create(
            rx.el.div(p["description"].to(str)),
            pf.Content.create(p["reasons"].to(str), component="small"),
            data_label="Description",
        ),
    )


def key_policies_tab() -> rx.Component:
    """The tab's content (no page chrome)."""
    return rx.cond(
        ~S.loaded,
        pf.Bullseye.create(pf.Spinner.create(aria_label="Loading policies")),
        rx.cond(
            ~S.found,
            empty_state("API key not found", "This API key does not exist or was deleted.",
                        icon="ExclamationCircleIcon"),
            pf.Stack.create(
                pf.StackItem.create(_effective_limits()),
                pf.StackItem.create(_headroom_table()),
                rx.cond(
                    (S.platform_count == 0) & (S.policies.length() > 0),
                    pf.StackItem.create(pf.Alert.create(
                        variant="info", is_inline=True, is_plain=True, component="p",
                        title="No platform policy applies to this key: only its own limits.",
                    )),
                ),
                pf.StackItem.create(rx.cond(
                    S.policies.length() > 0,
                    pf.Table.create(
                        pf.Thead.create(pf.Tr.create(*[pf.Th.create(h) for h in ["Name", "ID", "Type", "Description"]])),
                        pf.Tbody.create(rx.foreach(S.policies, _row)),
                        aria_label="Policies applied to this API key",
                        variant="compact",
                    ),
                    empty_state(
                        "No policies apply to this key",
                        "No active policy targets this key's owner for the assets it can reach, and the key sets "
                        "no limits of its own.",
                        icon="ShieldAltIcon",
                        actions=[link("View policies", href=routes.POLICIES, class_name="pf-v6-c-button pf-m-link")],
                    ),
                )),
                has_gutter=True,
            ),
        ),
    )


try:  # the tab registry comes with the API key details page
    from maas_ui.pages.key_tabs import KeyDetailsTab
except ModuleNotFoundError as exc:
    if exc.name != "maas_ui.pages.key_tabs":
        raise
    TAB = None
else:
    TAB = KeyDetailsTab(slug="policies", title="Policies", content=key_policies_tab, on_load=KeyPoliciesTabState.load)
