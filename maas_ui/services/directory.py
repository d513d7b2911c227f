"""Users, groups and service accounts (the identities keys and policies refer to).

Each public function opens its own session on the database at `url` (the configured one by
default) and takes the acting user; the private `_name(s, ...)` helpers take a session.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, select

from maas_ui import db
from maas_ui.domain.identity import Actor
from maas_ui.models import Group, GroupMembership, ServiceAccount, User


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    full_name: str
    email: str
    groups: list[str]
    created: str


@dataclass(frozen=True)
class GroupRow:
    id: int
    name: str
    description: str
    member_count: int
    members: list[str]


@dataclass(frozen=True)
class ServiceAccountRow:
    id: int
    name: str
    namespace: str
    description: str
    created: str


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _list_users(s: Session, search: str = "") -> list[UserRow]:
    q = select(User).order_by(User.full_name)
    if search.strip():
        pattern = _like(search)
        q = q.where(or_(func.lower(User.full_name).like(pattern, escape="\\"),
                        func.lower(User.username).like(pattern, escape="\\"),
                        func.lower(User.email).like(pattern, escape="\\")))
    users = s.exec(q).all()
    groups_of: dict[int, list[str]] = defaultdict(list)
    rows = s.exec(
        select(GroupMembership.user_id, Group.name)
        .join(Group, Group.id == GroupMembership.group_id)
        .order_by(Group.name)
    ).all()
    for user_id, group_name in rows:
        groups_of[user_id].append(group_name)
    return [
        UserRow(u.id, u.username, u.full_name, u.email, groups_of[u.id], u.created_at.strftime("%Y-%m-%d"))
        for u in users
    ]


def _list_groups(s: Session, search: str = "") -> list[GroupRow]:
    q = select(Group).order_by(Group.name)
    if search.strip():
        pattern = _like(search)
        q = q.where(or_(func.lower(Group.name).like(pattern, escape="\\"),
                        func.lower(Group.description).like(pattern, escape="\\")))
    groups = s.exec(q).all()
    members: dict[int, list[str]] = defaultdict(list)
    for group_id, username in s.exec(
        select(GroupMembership.group_id, User.username)
        .join(User, User.id == GroupMembership.user_id)
        .order_by(User.username)
    ).all():
        members[group_id].append(username)
    return [GroupRow(g.id, g.name, g.description, len(members[g.id]), members[g.id]) for g in groups]


def _list_service_accounts(s: Session, search: str = "") -> list[ServiceAccountRow]:
    q = select(ServiceAccount).order_by(ServiceAccount.name)
    if search.strip():
        pattern = _like(search)
        q = q.where(or_(func.lower(ServiceAccount.name).like(pattern, escape="\\"),
                        func.lower(ServiceAccount.namespace).like(pattern, escape="\\")))
    return [
        ServiceAccountRow(a.id, a.name, a.namespace, a.description, a.created_at.strftime("%Y-%m-%d"))
        for a in s.exec(q).all()
    ]


# Public API: each call is one session and names the acting user ---------------------------
@dataclass(frozen=True)
class Directory:
    """The User management page's three tabs, read together."""

    users: list[UserRow]
    groups: list[GroupRow]
    service_accounts: list[ServiceAccountRow]


def list_users(search: str = "", *, actor: Actor, url: str | None = None) -> list[UserRow]:
    with db.session(url) as s:
        return _list_users(s, search)


def list_groups(search: str = "", *, actor: Actor, url: str | None = None) -> list[GroupRow]:
    with db.session(url) as s:
        return _list_groups(s, search)


def list_service_accounts(search: str = "", *, actor: Actor, url: str | None = None) -> list[ServiceAccountRow]:
    with db.session(url) as s:
        return _list_service_accounts(s, search)


def directory(search: str = "", *, actor: Actor, url: str | None = None) -> Directory:
    """Users, groups and service accounts matching the search, in one session."""
    with db.session(url) as s:
        return Directory(_list_users(s, search), _list_groups(s, search), _list_service_accounts(s, search))
