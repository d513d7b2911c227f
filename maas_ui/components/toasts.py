"""Toast alerts (PF AlertGroup isToast). Any handler can `return ToastState.show(...)`."""

from __future__ import annotations

import itertools

import reflex as rx

from maas_ui import pf

_ids = itertools.count(1)


class ToastState(rx.State):
    toasts: list[dict[str, str]] = []

    @rx.event
    def show(self, variant: str, title: str):
        self.toasts = [*self.toasts[-3:], {"id": str(next(_ids)), "variant": variant, "title": title}]

    @rx.event
    def dismiss(self, toast_id: str):
        self.toasts = [t for t in self.toasts if t["id"] != toast_id]


def success(title: str):
    return ToastState.show("success", title)


def danger(title: str):
    return ToastState.show("danger", title)


def toast_group() -> rx.Component:
    return pf.AlertGroup.create(
        rx.foreach(
            ToastState.toasts,
            lambda t: pf.Alert.create(
                variant=t["variant"],
                title=t["title"],
                component="p",  # not a section heading: PF's default h4 would skip levels
                timeout=8000,
                on_timeout=ToastState.dismiss(t["id"]),
                action_close=pf.AlertActionCloseButton.create(
                    title=t["title"], on_click=ToastState.dismiss(t["id"])
                ),
                key=t["id"],
            ),
        ),
        is_toast=True,
        is_live_region=True,
    )
