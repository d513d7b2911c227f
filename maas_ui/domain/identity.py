"""Who is acting: the person on whose behalf a service reads or writes. No Reflex, no database."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The acting user. `username` is what audit rows and `created_by` record (an e-mail for the
    demo user); `display_name` is what the masthead shows."""

    username: str
    display_name: str = ""

    def __post_init__(self) -> None:
        if not self.username.strip():
            raise ValueError("an actor needs a username")
        if not self.display_name:
            object.__setattr__(self, "display_name", self.username)
