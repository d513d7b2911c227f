"""An API key's "Policies" tab: the limits in force per model the key grants, and the policies
that apply to it.

Every limit applies at once (10,000 tokens / 1 min and 200,000 tokens / 1 day are both enforced);
per kind and window the tightest binds first. A policy scoped to some models binds only those.
`KeyPoliciesTabState.load` (reading the route arg `key_id`) fills it whenever the details page
shows this tab (listed in pages/key_tabs.py).
"""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.common import empty_state, link, link_button, loading, subtle
from maas_ui.components.labels import kind_labels
from maas_ui.domain.roles import PermissionDenied
from maas_ui.identity import acting_user
from maas_ui.services import policies as svc
from maas_gateway.app import get_gateway


class KeyPoliciesTabState(rx.State):
    loaded: bool = False
    found: bool = False
    loaded_key: str = ""
    result: svc.KeyPolicies | None = None
    headroom: list[dict] = []  # per model and limit window: live count, remaining, reset (as GET /v1/limits)

    @rx.event
    def load(self):
        key_id = self.key_id or ""
        result = None
        if routes.plausible_id(key_id):
            try:
                result = svc.key_policies(key_id, actor=acting_user(self))
            except PermissionDenied:  # the page shows "You do not have access"
                result = None
        self.result, self.found = result, result is not None
        self.loaded, self.loaded_key = True, key_id
        if result is None:
            self.headroom = []
            return
        return KeyPoliciesTabState.load_headroom

    @rx.event
    async def load_headroom(self):
        """The gateway's own counters (the same numbers its 429s and /v1/limits use)."""
        models = await get_gateway().headroom(self.key_id or "") or []
        self.headroom = [_headroom_row(m, row) for m in models for row in m["limits"]]

    @rx.var
    def platform_count(self) -> int:
        return len([p for p in self.result.policies if not p.key_level]) if self.result else 0


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
R = KeyPoliciesTabState.result


def _headroom() -> rx.Component:
    cols = ["Model", "Limit", "Set by", "Used", "Remaining", "Resets"]
    return rx.el.section(
        pf.Stack.create(
            pf.StackItem.create(pf.Title.create("Live headroom", heading_level="h2", size="lg",
                                                id="live-headroom-title")),
            pf.StackItem.create(pf.Content.create(
                "What is left in each limit window right now, per model, from the gateway's own counters "
                "(scripts get the same from GET /v1/limits with this key).", component="p")),
            pf.StackItem.create(rx.cond(
                S.headroom.length() > 0,
                pf.Table.create(
                    pf.Thead.create(pf.Tr.create(*[pf.Th.create(h) for h in cols])),
                    pf.Tbody.create(rx.foreach(S.headroom, lambda r: pf.Tr.create(
                        pf.Td.create(r["model"], data_label="Model"),
                        pf.Td.create(r["limit"], " ", subtle("(" + r["behavior"].to(str) + ")"), data_label="Limit"),
                        pf.Td.create(rx.cond(r["key_level"], "This key", r["source"]), data_label="Set by"),
                        pf.Td.create(r["used"], data_label="Used"),
                        pf.Td.create(r["remaining"], data_label="Remaining"),
                        pf.Td.create(r["resets"], data_label="Resets"),
                    ))),
                    aria_label="Live headroom",
                    variant="compact",
                ),
                pf.Content.create("No counted limit applies to this key's models.", component="p"),
            )),
            has_gutter=True,
        ),
        custom_attrs={"aria-labelledby": "live-headroom-title"},
    )


def _policy_href(slug: rx.Var) -> rx.Var:
    return routes.POLICIES + "/" + slug


def _source(line: rx.Var) -> rx.Component:
    return rx.cond(
        line.source_kind == "tier",
        link(line.source_name, href=routes.TIERS + "/" + line.source_slug),
        rx.cond(line.source_slug != "", link(line.source_name, href=_policy_href(line.source_slug)),
                rx.el.span("This key's own limit")),
    )


def _behavior(line: rx.Var) -> rx.Component:
    return rx.cond(line.behavior_label == "Soft throttle",
                   pf.Label.create("Soft throttle", color="orange", is_compact=True),
                   pf.Label.create("Hard throttle", color="grey", is_compact=True))


def _limit_row(line: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(line.kind_label, data_label="Limit"),
        pf.Td.create(rx.cond(line.window != "", line.window, subtle("Time of day")), data_label="Window"),
        pf.Td.create(line.label, data_label="Amount"),
        pf.Td.create(_source(line), data_label="Set by"),
        pf.Td.create(_behavior(line), data_label="Over limit"),
        pf.Td.create(rx.cond(line.tightest, pf.Label.create("Tightest", color="blue", is_compact=True)),
                     data_label="Binds first"),
    )


def _model_card(model: rx.Var) -> rx.Component:
    return pf.Card.create(
        pf.CardHeader.create(pf.CardTitle.create(
            pf.Title.create(model.name, heading_level="h3", size="md"), " ", subtle(rx.el.code(model.identifier)))),
        pf.CardBody.create(rx.cond(
            model.limits.length() > 0,
            pf.Table.create(
                pf.Thead.create(pf.Tr.create(
                    *[pf.Th.create(h) for h in ["Limit", "Window", "Amount", "Set by", "Over limit"]],
                    pf.Th.create("Binds first"),
                )),
                pf.Tbody.create(rx.foreach(model.limits, _limit_row)),
                aria_label="Limits on " + model.name,
                variant="compact",
            ),
            pf.Content.create("No limit applies to this model: only access rules.", component="p"),
        )),
        is_compact=True,
    )


def _effective_limits() -> rx.Component:
    return rx.el.section(
        pf.Stack.create(
            pf.StackItem.create(pf.Title.create("Effective limits", heading_level="h2", size="lg",
                                                id="effective-limits-title")),
            pf.StackItem.create(pf.Content.create(
                "Per model this key grants: every limit applies at once. For each kind and window the tightest "
                "binds first; a policy scoped to some models limits only those.",
                component="p",
            )),
            pf.StackItem.create(rx.cond(
                R.models.length() > 0,
                pf.Stack.create(rx.foreach(R.models, _model_card), has_gutter=True),
                pf.Content.create("This key grants no model.", component="p"),
            )),
            has_gutter=True,
        ),
        custom_attrs={"aria-labelledby": "effective-limits-title"},
    )


def _policy_row(p: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(rx.cond(p.key_level, rx.el.span(p.name), link(p.name, href=_policy_href(p.slug.to(str)))),
                     data_label="Name"),
        pf.Td.create(rx.cond(p.key_level, rx.el.span("Set on this key"), rx.el.code(p.slug.to(str))), data_label="ID"),
        pf.Td.create(kind_labels(p.kinds, "Types"), data_label="Type"),
        pf.Td.create(
            rx.el.div(p.description),
            pf.Content.create(rx.cond(p.key_level, p.rules.join("; "), p.reasons.join("; ")), component="small"),
            data_label="Description",
        ),
    )


def _policies() -> rx.Component:
    return rx.cond(
        R.policies.length() > 0,
        pf.Table.create(
            pf.Thead.create(pf.Tr.create(*[pf.Th.create(h) for h in ["Name", "ID", "Type", "Description"]])),
            pf.Tbody.create(rx.foreach(R.policies, _policy_row)),
            aria_label="Policies applied to this API key",
            variant="compact",
        ),
        empty_state(
            "No policies apply to this key",
            "No active policy targets this key's owner for the assets it can reach, and the key sets "
            "no limits of its own.",
            icon="ShieldAltIcon",
            actions=[link_button("View policies", href=routes.POLICIES, variant="link")],
        ),
    )


def key_policies_tab() -> rx.Component:
    """The tab's content (no page chrome)."""
    return rx.cond(
        ~S.loaded,
        loading("Loading policies"),
        rx.cond(
            ~S.found,
            empty_state("API key not found", "This API key does not exist or was deleted.",
                        icon="ExclamationCircleIcon"),
            pf.Stack.create(
                pf.StackItem.create(_effective_limits()),
                pf.StackItem.create(_headroom()),
                pf.StackItem.create(pf.Title.create("Policies", heading_level="h2", size="lg")),
                rx.cond(
                    (S.platform_count == 0) & (R.policies.length() > 0),
                    pf.StackItem.create(pf.Alert.create(
                        variant="info", is_inline=True, is_plain=True, component="p",
                        title="No platform policy applies to this key: only its own limits.",
                    )),
                ),
                pf.StackItem.create(_policies()),
                has_gutter=True,
            ),
        ),
    )
