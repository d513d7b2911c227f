"""Who may see what, in SQL: the scopes the services apply for an AI engineer (domain/roles.py
says what they are). Admins get `None` scopes (no restriction). Also resolves actors from the
directory (demo mode's Switch user, proxy headers). No Reflex import.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, or_
from sqlmodel import Session, select

from maas_ui import db
from maas_ui.domain.identity import Actor
from maas_ui.domain.roles import AI_ENGINEER, PLATFORM_ADMIN, Permission, PermissionDenied, role, role_for_groups
from maas_ui.models import ApiKey, Group, GroupMembership, OwnerKind, Policy, PolicyTarget, ServiceAccount, User
from maas_ui.settings import admin_group, demo_user

NO_ACCESS = "You do not have access to this API key."


@dataclass(frozen=True)
class Reach:
    """The identities an AI engineer acts for: their user id, their groups' ids and the service
    accounts they may use (those in a namespace named like one of their groups)."""

    user_id: int | None
    group_ids: tuple[int, ...]
    service_account_ids: tuple[int, ...]

    def owns(self, kind: str, owner_id: int) -> bool:
        if kind == OwnerKind.USER.value:
            return owner_id == self.user_id
        if kind == OwnerKind.GROUP.value:
            return owner_id in self.group_ids
        return owner_id in self.service_account_ids


def reach(s: Session, actor: Actor) -> Reach | None:
    """None for an actor who may see every key (admins); the engineer's identities otherwise."""
    if actor.may(Permission.KEYS_VIEW_ALL):
        return None
    user_id = s.exec(select(User.id).where(User.username == actor.username)).first()
    groups = list(actor.groups)
    group_ids = tuple(s.exec(select(Group.id).where(Group.name.in_(groups))).all()) if groups else ()
    sa_ids = tuple(s.exec(select(ServiceAccount.id).where(ServiceAccount.namespace.in_(groups))).all()) if groups else ()
    return Reach(user_id, tuple(sorted(group_ids)), tuple(sorted(sa_ids)))


def key_condition(r: Reach | None):
    """SQL condition on ApiKey: the keys within reach (None: no restriction)."""
    if r is None:
        return None
    parts = []
    if r.user_id is not None:
        parts.append(and_(ApiKey.owner_kind == OwnerKind.USER, ApiKey.owner_id == r.user_id))
    if r.group_ids:
        parts.append(and_(ApiKey.owner_kind == OwnerKind.GROUP, ApiKey.owner_id.in_(r.group_ids)))
    if r.service_account_ids:
        parts.append(and_(ApiKey.owner_kind == OwnerKind.SERVICE_ACCOUNT, ApiKey.owner_id.in_(r.service_account_ids)))
    return or_(*parts) if parts else false()


def require_key_access(s: Session, actor: Actor, key: ApiKey) -> None:
    """PermissionDenied unless the actor may see and manage this key."""
    r = reach(s, actor)
    if r is not None and not r.owns(key.owner_kind.value if hasattr(key.owner_kind, "value") else str(key.owner_kind),
                                    key.owner_id):
        raise PermissionDenied(NO_ACCESS)


def policy_condition(s: Session, actor: Actor):
    """SQL condition on Policy.id: the policies that apply to the actor (None: all)."""
    if actor.may(Permission.POLICIES_VIEW_ALL):
        return None
    r = reach(s, actor)
    assert r is not None
    parts = []
    if r.user_id is not None:
        parts.append(and_(PolicyTarget.target_kind == OwnerKind.USER, PolicyTarget.target_id == r.user_id))
    if r.group_ids:
        parts.append(and_(PolicyTarget.target_kind == OwnerKind.GROUP, PolicyTarget.target_id.in_(r.group_ids)))
    if r.service_account_ids:
        parts.append(and_(PolicyTarget.target_kind == OwnerKind.SERVICE_ACCOUNT,
                          PolicyTarget.target_id.in_(r.service_account_ids)))
    if not parts:
        return false()
    return Policy.id.in_(select(PolicyTarget.policy_id).where(or_(*parts)))


def own_key_ids(s: Session, actor: Actor) -> list[int] | None:
    """The ids of the (not deleted or deleted) keys the actor owns themselves: their usage scope.
    None: no restriction (admins)."""
    if actor.may(Permission.USAGE_VIEW_ALL):
        return None
    user_id = s.exec(select(User.id).where(User.username == actor.username)).first()
    if user_id is None:
        return []
    return list(s.exec(select(ApiKey.id).where(ApiKey.owner_kind == OwnerKind.USER, ApiKey.owner_id == user_id)).all())


def usage_key_scope(actor: Actor, url: str | None = None) -> list[int] | None:
    """Key ids whose usage the actor may see (None: all)."""
    with db.session(url) as s:
        return own_key_ids(s, actor)


# Actors from the directory ----------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    """A seeded person for the Switch user menu."""

    username: str
    full_name: str
    email: str
    role_label: str


def _groups_of(s: Session, user_id: int) -> list[str]:
    return sorted(s.exec(select(Group.name).join(GroupMembership, GroupMembership.group_id == Group.id)
                         .where(GroupMembership.user_id == user_id)).all())


def actor_for(username: str, url: str | None = None) -> Actor | None:
    """The directory's person with this username as an Actor (groups and role), or None."""
    with db.session(url) as s:
        user = s.exec(select(User).where(User.username == username)).first()
        if user is None:
            return None
        groups = _groups_of(s, user.id)
        return Actor(username=user.username, display_name=user.full_name, email=user.email, groups=tuple(groups),
                     role=role_for_groups(groups, admin_group()))


def actor_from_headers(user: str, email: str, groups: list[str], url: str | None = None) -> Actor:
    """A proxy-authenticated person: the header's groups decide the role (the proxy is the
    authority); the directory only adds a display name when it knows the username."""
    groups = sorted({g.strip() for g in groups if g.strip()})
    display = user
    try:
        with db.session(url) as s:
            known = s.exec(select(User.full_name).where(User.username == user)).first()
            display = known or user
    except Exception:  # a display name is not worth failing a sign-in for
        pass
    return Actor(username=user, display_name=display, email=email, groups=tuple(groups),
                 role=role_for_groups(groups, admin_group()))


def default_demo_actor(url: str | None = None) -> Actor | None:
    """Demo mode's first user: MAAS_DEMO_USER when it names a person, else the first admin by name."""
    wanted = demo_user()
    if wanted:
        found = actor_for(wanted, url)
        if found is not None:
            return found
    with db.session(url) as s:
        first_admin = s.exec(
            select(User.username).join(GroupMembership, GroupMembership.user_id == User.id)
            .join(Group, Group.id == GroupMembership.group_id)
            .where(Group.name == admin_group()).order_by(User.full_name).limit(1)).first()
    return actor_for(first_admin, url) if first_admin else None


def people(url: str | None = None) -> list[Person]:
    """Everyone the demo can switch to, admins first, then by name."""
    with db.session(url) as s:
        admins = set(s.exec(select(GroupMembership.user_id).join(Group, Group.id == GroupMembership.group_id)
                            .where(Group.name == admin_group())).all())
        users = s.exec(select(User).order_by(User.full_name)).all()
    return sorted(
        (Person(u.username, u.full_name, u.email, role(PLATFORM_ADMIN if u.id in admins else AI_ENGINEER).label)
         for u in users),
        key=lambda p: (p.role_label != role(PLATFORM_ADMIN).label, p.full_name.casefold()),
    )


def require(actor: Actor, permission: Permission, message: str = "You do not have access to this.") -> None:
    actor.require(permission, message)


__all__ = ["PermissionDenied", "Reach", "reach", "key_condition", "require_key_access", "policy_condition",
           "own_key_ids", "usage_key_scope", "actor_for", "actor_from_headers", "default_demo_actor", "people"]


# Admin-only actions (tiers) and who receives the admins' copy of an alert ---------------------
AccessDenied = PermissionDenied  # the tiers code's name for a refusal


def require_admin(actor: Actor, s: Session | None = None) -> None:
    """Raises PermissionDenied unless the actor may manage tiers (platform admins)."""
    actor.require(Permission.TIERS_MANAGE, "You do not have access: only platform admins can do this.")


def admin_usernames(s: Session) -> list[str]:
    """Who gets the admins' copy of an alert: the admin group's members."""
    members = s.exec(select(User.username).join(GroupMembership, GroupMembership.user_id == User.id)
                     .join(Group, Group.id == GroupMembership.group_id).where(Group.name == admin_group())).all()
    return sorted(set(members))
