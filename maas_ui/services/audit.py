"""The audit log: recording changes (one function every service and feature calls) and reading
them for the Audit log page (filters, pages, CSV). Rows are never edited or deleted. No Reflex import.

Who sees what: admins every entry; an AI engineer the entries about the keys they own themselves
and the entries of their own actions (domain/roles.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from maas_ui import db, routes
from maas_ui.domain import audit as dom
from maas_ui.domain.identity import Actor
from maas_ui.domain.key_format import exact_time
from maas_ui.domain.roles import Permission
from maas_ui.models import ApiKey, AuditLog, OwnerKind, Policy, User

PAGE_SIZES = (10, 20, 50, 100)
CSV_MAX_ROWS = 50_000


# Recording --------------------------------------------------------------------------------
def record(s: Session, actor: Actor | str, action: str, entity_kind: str, entity_id: str, summary: str,
           changes: Mapping[str, list] | None = None, *, now: datetime | None = None) -> None:
    """Add an entry in the caller's session (its transaction commits it with the change itself)."""
    s.add(AuditLog(
        at=now or datetime.now(timezone.utc),
        actor=(actor.username if isinstance(actor, Actor) else actor)[:128],
        action=action[:64], entity_kind=entity_kind[:32], entity_id=str(entity_id)[:80],
        summary=summary[:1024], changes=dom.to_json(changes),
    ))


def record_event(actor: Actor, action: str, entity_kind: str, entity_id: str, summary: str,
                 changes: Mapping[str, list] | None = None, *, url: str | None = None,
                 now: datetime | None = None) -> None:
    """Record one entry in its own transaction: for features whose change is not a database write
    of this console's services (switching user, exporting manifests) or that keep their own
    session (AI assets: call `record` inside it instead when you can)."""
    with db.session(url) as s:
        record(s, actor, action, entity_kind, entity_id, summary, changes, now=now)
        s.commit()


# Reading ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditQuery:
    actor: str = ""  # exact username; "" = anyone
    action: str = ""  # one of dom.ACTIONS; "" = any
    entity_kind: str = ""  # one of dom.ENTITY_KINDS; "" = any
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    page: int = 1
    per_page: int = 20

    def normalized(self) -> "AuditQuery":
        return AuditQuery(
            actor=self.actor.strip(),
            action=self.action if self.action in dom.ACTIONS else "",
            entity_kind=self.entity_kind if self.entity_kind in dom.ENTITY_KINDS else "",
            since=self.since, until=self.until,
            page=max(1, int(self.page)),
            per_page=self.per_page if self.per_page in PAGE_SIZES else 20,
        )


@dataclass(frozen=True)
class FieldChangeView:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    at_iso: str
    actor: str
    action: str
    action_label: str
    entity_kind: str
    entity_kind_label: str
    entity_id: str
    entity_exists: bool
    entity_href: str  # its page while it exists, else ""
    summary: str
    changes: list[FieldChangeView]


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    per_page: int
    actors: list[str]  # the filter's choices: everyone who appears in what the viewer may see

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _scope(s: Session, actor: Actor):
    """None for admins; otherwise entries about the actor's own keys or by the actor."""
    if actor.may(Permission.AUDIT_VIEW_ALL):
        return None
    user_id = s.exec(select(User.id).where(User.username == actor.username)).first()
    own_keys = select(ApiKey.public_id).where(ApiKey.owner_kind == OwnerKind.USER, ApiKey.owner_id == user_id)
    about_own_keys = and_(AuditLog.entity_kind == "api_key", AuditLog.entity_id.in_(own_keys)) \
        if user_id is not None else None
    by_them = AuditLog.actor == actor.username
    return or_(about_own_keys, by_them) if about_own_keys is not None else by_them


def _conditions(q: AuditQuery, scope) -> list:
    conds = [] if scope is None else [scope]
    if q.actor:
        conds.append(AuditLog.actor == q.actor)
    if q.action:
        conds.append(AuditLog.action == q.action)
    if q.entity_kind:
        conds.append(AuditLog.entity_kind == q.entity_kind)
    if q.since is not None:
        conds.append(AuditLog.at >= q.since)
    if q.until is not None:
        conds.append(AuditLog.at < q.until)
    return conds


def _existing(s: Session, entries: list[AuditLog]) -> set[tuple[str, str]]:
    """(kind, id) of the entities that still exist, among those the entries name."""
    keys = {e.entity_id for e in entries if e.entity_kind == "api_key"}
    policies = {e.entity_id for e in entries if e.entity_kind == "policy"}
    found: set[tuple[str, str]] = set()
    if keys:
        found |= {("api_key", k) for k in s.exec(select(ApiKey.public_id).where(
            ApiKey.public_id.in_(keys), ApiKey.deleted_at.is_(None))).all()}
    if policies:
        found |= {("policy", p) for p in s.exec(select(Policy.slug).where(Policy.slug.in_(policies))).all()}
    return found


def _row(e: AuditLog, existing: set[tuple[str, str]]) -> AuditRow:
    at = e.at if e.at.tzinfo else e.at.replace(tzinfo=timezone.utc)
    return AuditRow(
        id=e.id, at=exact_time(at), at_iso=at.isoformat(), actor=e.actor, action=e.action,
        action_label=dom.action_label(e.action), entity_kind=e.entity_kind,
        entity_kind_label=dom.entity_kind_label(e.entity_kind), entity_id=e.entity_id,
        entity_exists=(e.entity_kind, e.entity_id) in existing,
        entity_href=routes.entity_url(e.entity_kind, e.entity_id) if (e.entity_kind, e.entity_id) in existing else "",
        summary=e.summary,
        changes=[FieldChangeView(c.field, c.old, c.new) for c in dom.field_changes(e.changes)],
    )


def list_entries(query: AuditQuery | None = None, *, actor: Actor, url: str | None = None) -> AuditPage:
    """One page of the entries the actor may see, newest first."""
    q = (query or AuditQuery()).normalized()
    with db.session(url) as s:
        scope = _scope(s, actor)
        conds = _conditions(q, scope)
        total = s.exec(select(func.count()).select_from(AuditLog).where(*conds)).one()
        page_count = max(1, -(-total // q.per_page))
        page = min(q.page, page_count)
        entries = list(s.exec(select(AuditLog).where(*conds).order_by(AuditLog.at.desc(), AuditLog.id.desc())
                              .offset((page - 1) * q.per_page).limit(q.per_page)).all())
        actors = sorted(set(s.exec(select(AuditLog.actor).where(*([] if scope is None else [scope]))
                                   .distinct()).all()), key=str.casefold)
        existing = _existing(s, entries)
        return AuditPage([_row(e, existing) for e in entries], total, page, q.per_page, actors)


def _cell(value: str) -> str:
    """A spreadsheet must not run a key name such as "=HYPERLINK(...)" as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


CSV_COLUMNS = ["Time (UTC)", "Actor", "Action", "Entity kind", "Entity ID", "Summary", "Changes"]


def entries_csv(query: AuditQuery | None = None, *, actor: Actor, url: str | None = None) -> str:
    """Every entry matching the filters (not only the page shown), newest first, as CSV text;
    Changes holds the stored JSON diff."""
    q = (query or AuditQuery()).normalized()
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    with db.session(url) as s:
        conds = _conditions(q, _scope(s, actor))
        for e in s.exec(select(AuditLog).where(*conds).order_by(AuditLog.at.desc(), AuditLog.id.desc())
                        .limit(CSV_MAX_ROWS)).all():
            at = e.at if e.at.tzinfo else e.at.replace(tzinfo=timezone.utc)
            w.writerow([_cell(c) for c in (
                at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"), e.actor, dom.action_label(e.action),
                dom.entity_kind_label(e.entity_kind), e.entity_id, e.summary, e.changes)])
    return out.getvalue()
