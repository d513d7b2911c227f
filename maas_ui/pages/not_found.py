"""The page for unknown URLs: a PF empty state with a way home."""

from __future__ import annotations

import reflex as rx

from maas_ui import routes
from maas_ui.components.common import not_found_state
from maas_ui.components.shell import shell


def not_found_page() -> rx.Component:
    return shell(
        not_found_state(
            "Page not found",
            "Another page might have what you need. Check the address, or return to the console's home page.",
            "Return to home",
            routes.HOME,
        ),
        active="",
    )
