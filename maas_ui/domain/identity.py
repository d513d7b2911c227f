"""Who is acting: the person on whose behalf a service reads or writes. No Reflex, no database."""

from __future__ import annotations

from dataclasses import dataclass, field

from maas_ui.domain.roles import AI_ENGINEER, PermissionDenied, Permission, RoleDefinition, role


@dataclass(frozen=True)
class Actor:
    """The acting user. `username` is what audit rows and `created_by` record; `display_name` is
    what the masthead shows; `groups` are their group names and `role` the slug of their role
    (domain/roles.ROLES). An actor built without a role is an AI engineer: least privilege."""

    username: str
    display_name: str = ""
    email: str = ""
    groups: tuple[str, ...] = field(default_factory=tuple)
    role: str = AI_ENGINEER

    def __post_init__(self) -> None:
        if not self.username.strip():
            raise ValueError("an actor needs a username")
        if not self.display_name:
            object.__setattr__(self, "display_name", self.username)
        object.__setattr__(self, "groups", tuple(self.groups))

    @property
    def role_definition(self) -> RoleDefinition:
        return role(self.role)

    @property
    def role_label(self) -> str:
        return self.role_definition.label

    def may(self, permission: Permission) -> bool:
        return self.role_definition.may(permission)

    def require(self, permission: Permission, message: str = "You do not have access to this.") -> None:
        """Raise PermissionDenied unless the actor's role grants `permission`."""
        if not self.may(permission):
            raise PermissionDenied(message)
