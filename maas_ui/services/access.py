"""Who may do what, as the services ask it. Admin-only actions call `require_admin(actor)`.

Until roles land, everyone acting through the console is the demo admin: `is_admin` says yes to
the configured demo user and to members of the admin group; the roles work replaces this body,
not its callers.
"""

from __future__ import annotations

from sqlmodel import Session, select

from maas_ui.domain.identity import Actor
from maas_ui.models import Group, GroupMembership, User
from maas_ui.settings import demo_user

ADMIN_GROUP = "platform-admins"


class AccessDenied(PermissionError):
    """The actor may not do this; nothing changed."""


def is_admin(actor: Actor, s: Session | None = None) -> bool:
    if actor.username == demo_user():
        return True
    if s is None:
        return False
    return s.exec(
        select(User.id).join(GroupMembership, GroupMembership.user_id == User.id)
        .join(Group, Group.id == GroupMembership.group_id)
        .where(User.username == actor.username, Group.name == ADMIN_GROUP)
    ).first() is not None


def require_admin(actor: Actor, s: Session | None = None) -> None:
    """Raises AccessDenied unless the actor is a platform admin."""
    if not is_admin(actor, s):
        raise AccessDenied("You do not have access: only platform admins can do this.")


def admin_usernames(s: Session) -> list[str]:
    """Who gets the admins' copy of an alert: the demo admin and the admin group's members."""
    members = s.exec(select(User.username).join(GroupMembership, GroupMembership.user_id == User.id)
                     .join(Group, Group.id == GroupMembership.group_id).where(Group.name == ADMIN_GROUP)).all()
    return sorted({demo_user(), *members})
