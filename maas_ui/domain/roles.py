"""Roles: who may see and do what. One table of definitions that services and pages iterate over.

No Reflex, no database. A person is a platform admin when they belong to the admin group
(MAAS_ADMIN_GROUP, `platform-admins` by default); everyone else is an AI engineer.

What an AI engineer's "own" things are (services apply this in SQL):
- keys owned by them, by one of their groups, or by a service account they may use;
- the service accounts they may use: those whose namespace is the name of one of their groups
  (an OpenShift project per team, named like the team's group);
- policies that apply to them: those targeting them, one of their groups, or one of their keys;
- usage: of the keys they own themselves (not their groups' keys), as the issue asks;
- audit entries: those about the keys they own themselves, and their own actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Permission(str, Enum):
    """Everything a role may or may not do. Services check these; pages hide what is not granted."""

    KEYS_VIEW_ALL = "keys.view_all"  # every key, not only one's own
    KEYS_MANAGE_ALL = "keys.manage_all"  # create/edit/disable/delete any key, for any owner
    KEYS_MANAGE_OWN = "keys.manage_own"  # the same on one's own keys (see module doc)
    POLICIES_VIEW_ALL = "policies.view_all"
    POLICIES_MANAGE = "policies.manage"  # create, edit, activate, deactivate, delete
    USAGE_VIEW_ALL = "usage.view_all"
    AUDIT_VIEW_ALL = "audit.view_all"
    ASSETS_MANAGE = "assets.manage"
    TIERS_MANAGE = "tiers.manage"


@dataclass(frozen=True)
class RoleDefinition:
    slug: str
    label: str
    description: str
    permissions: frozenset[Permission]

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions


PLATFORM_ADMIN = "platform_admin"
AI_ENGINEER = "ai_engineer"

ROLES: dict[str, RoleDefinition] = {
    PLATFORM_ADMIN: RoleDefinition(
        PLATFORM_ADMIN,
        "Platform admin",
        "Sees and manages every key, policy, asset and tier; sees all usage and the whole audit log.",
        frozenset(Permission),
    ),
    AI_ENGINEER: RoleDefinition(
        AI_ENGINEER,
        "AI engineer",
        "Manages their own keys, their groups' keys and their team's service accounts' keys; "
        "sees the policies that apply to them read-only and the usage of their own keys.",
        frozenset({Permission.KEYS_MANAGE_OWN}),
    ),
}


def role_for_groups(groups: tuple[str, ...] | list[str], admin_group: str) -> str:
    """The role slug of a member of `groups`."""
    return PLATFORM_ADMIN if admin_group in groups else AI_ENGINEER


def role(slug: str) -> RoleDefinition:
    return ROLES.get(slug, ROLES[AI_ENGINEER])  # unknown means least privilege


class PermissionDenied(PermissionError):
    """The acting user may not do this. `message` is what the page says."""

    def __init__(self, message: str = "You do not have access to this."):
        super().__init__(message)
        self.message = message
