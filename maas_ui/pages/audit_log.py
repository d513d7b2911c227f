"""Audit log: /settings/audit-log. Who changed what, when, field by field. Read-only.

Filters (actor, action, entity kind, time range) and the page live in the URL
(?actor=…&action=…&entity=…&range=7d&page=2); a CSV holds everything the filters match. Admins see every entry; AI engineers the entries about their own keys and their own actions
(services/audit.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.common import empty_state, link, loading, page_header
from maas_ui.components.shell import shell
from maas_ui.components.toolbar import list_toolbar
from maas_ui.domain import audit as dom
from maas_ui.identity import acting_user
from maas_ui.services import audit as svc

# value -> (label, how far back; None = all time)
RANGES: dict[str, tuple[str, timedelta | None]] = {
    "24h": ("Last 24 hours", timedelta(hours=24)),
    "7d": ("Last 7 days", timedelta(days=7)),
    "30d": ("Last 30 days", timedelta(days=30)),
    "all": ("All time", None),
}


class AuditLogState(rx.State):
    loaded: bool = False
    rows: list[svc.AuditRow] = []
    total: int = 0
    page: int = 1
    per_page: int = 20
    actors: list[str] = []
    actor_filter: str = ""
    action_filter: str = ""
    kind_filter: str = ""
    range_filter: str = "all"

    def _query(self, page: int | None = None) -> svc.AuditQuery:
        back = RANGES.get(self.range_filter, RANGES["all"])[1]
        since = datetime.now(timezone.utc) - back if back else None
        return svc.AuditQuery(actor=self.actor_filter, action=self.action_filter, entity_kind=self.kind_filter,
                              since=since, page=page or self.page, per_page=self.per_page)

    def _reload(self) -> None:
        result = svc.list_entries(self._query(), actor=acting_user(self))
        self.rows, self.total, self.page, self.actors = result.rows, result.total, result.page, result.actors
        self.loaded = True

    def _go(self, **changes):
        """Filters and page live in the URL (reload, back and shared links keep them)."""
        query = {"actor": self.actor_filter, "action": self.action_filter, "entity": self.kind_filter,
                 "range": self.range_filter, "page": str(self.page), "per_page": str(self.per_page)} | changes
        defaults = {"actor": "", "action": "", "entity": "", "range": "all", "page": "1", "per_page": "20"}
        return rx.redirect(routes.audit_log_url(**{k: v for k, v in query.items() if v != defaults[k]}))

    @rx.event
    def load(self):
        q = dict(self.router.url.query_parameters)
        self.actor_filter = str(q.get("actor", "")).strip()
        self.action_filter = q.get("action", "") if q.get("action", "") in dom.ACTIONS else ""
        self.kind_filter = q.get("entity", "") if q.get("entity", "") in dom.ENTITY_KINDS else ""
        self.range_filter = q.get("range", "all") if q.get("range", "all") in RANGES else "all"
        self.page = int(q["page"]) if str(q.get("page", "")).isdigit() and int(q["page"]) > 0 else 1
        per_page = int(q["per_page"]) if str(q.get("per_page", "")).isdigit() else 20
        self.per_page = per_page if per_page in svc.PAGE_SIZES else 20
        self._reload()

    @rx.event
    def set_actor(self, value: str):
        return self._go(actor="" if value == "__any" else value, page="1")

    @rx.event
    def set_action(self, value: str):
        return self._go(action=value if value in dom.ACTIONS else "", page="1")

    @rx.event
    def set_kind(self, value: str):
        return self._go(entity=value if value in dom.ENTITY_KINDS else "", page="1")

    @rx.event
    def set_range(self, value: str):
        return self._go(range=value if value in RANGES else "all", page="1")

    @rx.event
    def clear_filters(self):
        return rx.redirect(routes.AUDIT_LOG)

    @rx.event
    def set_page(self, page: int):
        return self._go(page=str(max(1, int(page))))

    @rx.event
    def set_per_page(self, per_page: int):
        return self._go(per_page=str(int(per_page)) if int(per_page) in svc.PAGE_SIZES else "20", page="1")

    @rx.event
    def export_csv(self):
        """Every entry the filters match (not only this page)."""
        text = svc.entries_csv(self._query(page=1), actor=acting_user(self))
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
        return rx.download(data=text, filename=f"audit-log-{stamp}.csv")

    @rx.var
    def has_filters(self) -> bool:
        return bool(self.actor_filter or self.action_filter or self.kind_filter or self.range_filter != "all")

    @rx.var
    def actor_options(self) -> list[dict]:
        return [{"value": "__any", "content": "All actors", "selected": not self.actor_filter},
                *[{"value": a, "content": a, "selected": a == self.actor_filter} for a in self.actors]]

    @rx.var
    def action_options(self) -> list[dict]:
        return [{"value": "__any", "content": "All actions", "selected": not self.action_filter},
                *[{"value": a, "content": label, "selected": a == self.action_filter}
                  for a, label in dom.ACTIONS.items()]]

    @rx.var
    def kind_options(self) -> list[dict]:
        return [{"value": "__any", "content": "All entities", "selected": not self.kind_filter},
                *[{"value": k.slug, "content": k.label, "selected": k.slug == self.kind_filter}
                  for k in dom.ENTITY_KINDS.values()]]

    @rx.var
    def range_options(self) -> list[dict]:
        return [{"value": v, "content": label, "selected": v == self.range_filter} for v, (label, _) in RANGES.items()]

    @rx.var
    def actor_text(self) -> str:
        return self.actor_filter or "All actors"

    @rx.var
    def action_text(self) -> str:
        return dom.ACTIONS.get(self.action_filter, "All actions")

    @rx.var
    def kind_text(self) -> str:
        return dom.entity_kind_label(self.kind_filter) if self.kind_filter else "All entities"

    @rx.var
    def range_text(self) -> str:
        return RANGES.get(self.range_filter, RANGES["all"])[0]


S = AuditLogState


def _select(options, text, on_select, what: str) -> rx.Component:
    return pf.SimpleSelect.create(
        initial_options=options, toggle_content=rx.el.span(text), toggle_width="200px", on_select=on_select,
        toggle_props={"aria-label": text + ", " + what + " filter"},
        key=text,
    )


def _changes(row: rx.Var) -> rx.Component:
    return rx.cond(
        row.changes.length() > 0,
        pf.DescriptionList.create(
            rx.foreach(row.changes, lambda c: pf.DescriptionListGroup.create(
                pf.DescriptionListTerm.create(c.field),
                pf.DescriptionListDescription.create(
                    rx.el.span(c.old, class_name="pf-v6-u-text-color-subtle"), " \u2192 ", rx.el.span(c.new)),
            )),
            is_compact=True,
            is_horizontal=True,
            aria_label="Changes",
        ),
        rx.el.span("No field changes", class_name="pf-v6-u-text-color-subtle"),
    )


def _entity(row: rx.Var) -> rx.Component:
    name = rx.el.span(row.entity_kind_label, ": ", rx.cond(
        row.entity_href != "", link(row.entity_id, href=row.entity_href), rx.el.span(row.entity_id)))
    return rx.el.div(name, rx.el.div(rx.el.small(row.summary, class_name="pf-v6-u-text-color-subtle")))


def _row(row: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(row.at, data_label="Time"),
        pf.Td.create(row.actor, data_label="Actor"),
        pf.Td.create(pf.Label.create(row.action_label, is_compact=True), data_label="Action"),
        pf.Td.create(_entity(row), data_label="Entity"),
        pf.Td.create(_changes(row), data_label="Changes"),
    )


def _pagination(where: str) -> rx.Component:
    return pf.Pagination.create(
        item_count=S.total, page=S.page, per_page=S.per_page,
        per_page_options=[{"title": str(n), "value": n} for n in svc.PAGE_SIZES],
        is_compact=where == "top", variant=where, widget_id=f"audit-pagination-{where}",
        titles={"paginationAriaLabel": f"Pagination {where}"},
        on_set_page=S.set_page, on_per_page_select=S.set_per_page,
    )


def _toolbar() -> rx.Component:
    return list_toolbar(
        _select(S.actor_options, S.actor_text, S.set_actor, "actor"),
        pf.ToolbarItem.create(_select(S.action_options, S.action_text, S.set_action, "action")),
        pf.ToolbarItem.create(_select(S.kind_options, S.kind_text, S.set_kind, "entity")),
        pf.ToolbarItem.create(_select(S.range_options, S.range_text, S.set_range, "time range")),
        rx.cond(S.has_filters, pf.ToolbarItem.create(
            pf.Button.create("Clear all filters", variant="link", on_click=S.clear_filters))),
        end=[pf.Button.create("Export CSV", variant="secondary", on_click=S.export_csv), _pagination("top")],
    )


def _table() -> rx.Component:
    return pf.Table.create(
        pf.Thead.create(pf.Tr.create(*[pf.Th.create(h) for h in ("Time", "Actor", "Action", "Entity", "Changes")])),
        pf.Tbody.create(rx.foreach(S.rows, _row)),
        aria_label="Audit log",
        variant="compact",
    )


def _content() -> rx.Component:
    return rx.cond(
        ~S.loaded,
        loading("Loading the audit log"),
        rx.fragment(
            _toolbar(),
            rx.cond(
                S.rows.length() > 0,
                rx.fragment(_table(), _pagination("bottom")),
                empty_state(
                    rx.cond(S.has_filters, "No entries match the filters", "No entries yet"),
                    rx.cond(S.has_filters, "Try other filters, or clear them to see every entry.",
                            "Changes made through the console appear here."),
                    actions=[pf.Button.create("Clear all filters", variant="link", on_click=S.clear_filters)],
                ),
            ),
        ),
    )


def audit_log_page() -> rx.Component:
    return shell(
        page_header("Audit log", "Every change made through the console: who, when, and what changed. "
                    "Entries cannot be edited or deleted."),
        pf.PageSection.create(_content()),
        active=routes.AUDIT_LOG,
    )
