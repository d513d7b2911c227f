"""The one place the UI learns who is acting. Pages pass `acting_user()` to every service call.

Today it is the configured demo user (MAAS_DEMO_USER); roles, "Switch user" and proxy headers
replace this function's body, not its callers.
"""

from __future__ import annotations

from maas_ui.domain.identity import Actor
from maas_ui.settings import demo_user


def acting_user() -> Actor:
    """The signed-in user, as the services want it."""
    return Actor(username=demo_user())
