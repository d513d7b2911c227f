"""The notification drawer: a person's alerts, unread count, mark read. No Reflex import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func
from sqlmodel import select

from maas_ui import db
from maas_ui.domain.identity import Actor
from maas_ui.domain.key_format import exact_time, relative_time
from maas_ui.models import ApiKey, Notification

LIST_MAX = 50


@dataclass(frozen=True)
class NotificationRow:
    id: int
    title: str
    body: str
    key_public_id: str
    key_name: str
    threshold: int
    variant: str  # warning | danger (100 %)
    created: str  # "27 Nov 2026, 13:40 UTC"
    ago: str  # "5 minutes ago"
    read: bool


@dataclass(frozen=True)
class Inbox:
    rows: tuple[NotificationRow, ...]
    unread: int


def _now() -> datetime:
    return datetime.now(timezone.utc)


def inbox(*, actor: Actor, url: str | None = None, now: datetime | None = None) -> Inbox:
    """The actor's newest notifications and how many are unread."""
    now = now or _now()
    with db.session(url) as s:
        rows = s.exec(
            select(Notification, ApiKey.name).join(ApiKey, ApiKey.public_id == Notification.key_public_id, isouter=True)
            .where(Notification.recipient == actor.username)
            .order_by(Notification.created_at.desc(), Notification.threshold.desc(), Notification.id.desc())
            .limit(LIST_MAX)).all()
        unread = s.exec(select(func.count()).select_from(Notification).where(
            Notification.recipient == actor.username, Notification.read_at == None)).one()  # noqa: E711
        return Inbox(rows=tuple(NotificationRow(
            id=n.id, title=n.title, body=n.body, key_public_id=n.key_public_id, key_name=name or n.key_public_id,
            threshold=n.threshold, variant="danger" if n.threshold >= 100 else "warning",
            created=exact_time(n.created_at), ago=relative_time(n.created_at, now), read=n.read_at is not None,
        ) for n, name in rows), unread=unread)


def mark_read(notification_id: int, *, actor: Actor, url: str | None = None) -> bool:
    """Only the actor's own notification; False when there is none."""
    with db.session(url) as s:
        n = s.get(Notification, notification_id)
        if n is None or n.recipient != actor.username:
            return False
        if n.read_at is None:
            n.read_at = _now()
            s.add(n)
            s.commit()
        return True


def mark_all_read(*, actor: Actor, url: str | None = None) -> int:
    with db.session(url) as s:
        rows = s.exec(select(Notification).where(Notification.recipient == actor.username,
                                                 Notification.read_at == None)).all()  # noqa: E711
        stamp = _now()
        for n in rows:
            n.read_at = stamp
            s.add(n)
        s.commit()
        return len(rows)
