"""Database outage in the page: an inline danger Alert at the top of every page instead of a stack
trace or a silently empty table. The app's backend exception handler raises it for database
errors; the page checks every few seconds and reloads itself once the database answers again."""

from __future__ import annotations

import asyncio
import logging

import reflex as rx
from reflex.app import default_backend_exception_handler
from reflex.event import EventSpec

from maas_ui import pf
from maas_ui.services import system

RECHECK_S = 3.0
log = logging.getLogger("maas_ui.outage")


class OutageState(rx.State):
    database_down: bool = False
    reason: str = ""
    _watching: bool = False

    @rx.event
    def report_database_down(self, reason: str):
        self.database_down = True
        self.reason = reason
        if not self._watching:
            self._watching = True
            return OutageState.watch

    @rx.event(background=True)
    async def watch(self):
        """Recheck until the database answers, then reload the page (its data loads again)."""
        try:
            while True:
                await asyncio.sleep(RECHECK_S)
                error = await asyncio.to_thread(system.database_error)
                async with self:
                    if error is None or not self.database_down:
                        self.database_down = False
                        self.reason = ""
                        break
                    self.reason = error
        finally:
            async with self:
                self._watching = False
        yield rx.call_script("window.location.reload()")

    @rx.event
    async def retry(self):
        error = await asyncio.to_thread(system.database_error)
        if error is None:
            self.database_down = False
            self.reason = ""
            return rx.call_script("window.location.reload()")
        self.reason = error


def handle_backend_exception(exception: Exception) -> EventSpec | None:
    """Database errors become the outage alert; anything else gets Reflex's default handling."""
    if system.is_database_outage(exception):
        reason = system.reason(exception)
        log.warning("database unavailable: %s", reason)
        return OutageState.report_database_down(reason)
    return default_backend_exception_handler(exception)


def database_outage_alert() -> rx.Component:
    return rx.cond(
        OutageState.database_down,
        pf.PageSection.create(
            pf.Alert.create(
                rx.el.p(
                    "The console cannot read or save data right now, so what this page shows may be "
                    "incomplete and changes are not saved. It reloads by itself when the database answers again."
                ),
                rx.el.p(rx.el.strong("Reason: "), OutageState.reason, class_name="pf-v6-u-mt-sm"),
                variant="danger",
                is_inline=True,
                title="The database is not available",
                component="h2",
                aria_live="assertive",
                action_links=pf.Button.create("Try again", variant="link", is_inline=True, on_click=OutageState.retry),
            ),
            aria_label="Database status",
            class_name="pf-v6-u-pb-0",
        ),
    )
