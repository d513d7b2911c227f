"""The masthead's notification badge and PF NotificationDrawer: budget and quota alerts for the
person signed in (unread count, mark read, mark all read, open the key). The drawer state loads
on every page; the periodic check of every key's budgets runs at most once a minute from here."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.identity import acting_user
from maas_ui.services import notifications as svc
from maas_ui.services import quotas


class NotificationDrawerState(rx.State):
    is_open: bool = False
    rows: list[svc.NotificationRow] = []
    unread: int = 0

    def _reload(self) -> None:
        inbox = svc.inbox(actor=acting_user(self))
        self.rows, self.unread = list(inbox.rows), inbox.unread

    @rx.event
    def load(self):
        """Every page (re)load: closed (the state outlives a reload), counts fresh."""
        self.is_open = False
        quotas.check_all_now_and_then()
        self._reload()

    @rx.event
    def toggle(self):
        self.is_open = not self.is_open
        if self.is_open:
            self._reload()

    @rx.event
    def close(self):
        self.is_open = False

    @rx.event
    def mark_read(self, notification_id: int):
        svc.mark_read(notification_id, actor=acting_user(self))
        self._reload()

    @rx.event
    def mark_all_read(self):
        svc.mark_all_read(actor=acting_user(self))
        self._reload()

    @rx.event
    def open_key(self, notification_id: int, key_public_id: str):
        svc.mark_read(notification_id, actor=acting_user(self))
        self._reload()
        self.is_open = False
        return rx.redirect(routes.api_key_url(key_public_id))

    @rx.var
    def badge_label(self) -> str:
        n = self.unread
        return f"Notifications, {n} unread" if n else "Notifications"

    @rx.var
    def unread_text(self) -> str:
        return f"{self.unread} unread"


S = NotificationDrawerState


def notification_badge() -> rx.Component:
    return pf.NotificationBadge.create(
        variant=rx.cond(S.unread > 0, "attention", "read"),
        count=S.unread,
        is_expanded=S.is_open,
        aria_label=S.badge_label,
        on_click=S.toggle,
        on_mount=S.load,
    )


def _item(row: rx.Var) -> rx.Component:
    return pf.NotificationDrawerListItem.create(
        pf.NotificationDrawerListItemHeader.create(
            pf.Button.create("Mark read", variant="link", is_inline=True, size="sm",
                             is_disabled=row.read, on_click=S.mark_read(row.id),
                             aria_label="Mark read: " + row.title),
            variant=row.variant, title=row.title, sr_title=rx.cond(row.variant == "danger", "Danger:", "Warning:"),
            heading_level="h2",  # under the drawer's title (an h1)
        ),
        pf.NotificationDrawerListItemBody.create(
            rx.el.p(row.body),
            pf.Button.create("Open " + row.key_name, variant="link", is_inline=True,
                             on_click=S.open_key(row.id, row.key_public_id)),
            timestamp=row.ago,
        ),
        variant=row.variant,
        is_read=row.read,
    )


@rx.memo
def notification_items() -> rx.Component:
    """Its own component: a list rendered inside a prop of PF's Page (the drawer) must be one."""
    return rx.cond(
        S.rows.length() > 0,
        pf.NotificationDrawerList.create(rx.foreach(S.rows, _item), aria_label="Notifications"),
        pf.EmptyState.create(
            pf.EmptyStateBody.create("Alerts appear here when an API key you own uses 80 %, 90 % or "
                                     "all of a budget."),
            title_text="No notifications", heading_level="h2", variant="sm",
        ),
    )


def notification_drawer() -> rx.Component:
    return pf.NotificationDrawer.create(
        pf.NotificationDrawerHeader.create(
            pf.Button.create("Mark all read", variant="link", is_disabled=S.unread == 0, on_click=S.mark_all_read),
            title="Notifications", count=S.unread, unread_text="unread", on_close=S.close,
            close_button_aria_label=pf.DRAWER_CLOSE_LABEL,
        ),
        pf.NotificationDrawerBody.create(notification_items()),
        custom_attrs={"role": "region", "aria-label": "Notification drawer"},  # a landmark for its content
    )
