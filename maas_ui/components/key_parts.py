"""Shown wherever an API key appears: its partially hidden, copyable secret."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf


def secret_copy(masked: rx.Var[str], on_copy, *, aria_label: str = "Copy API key") -> rx.Component:
    """The masked key (sk-ab12...9xyz) with a copy button that copies the whole secret.

    `on_copy` is an event handler that fetches the secret on demand and returns
    rx.set_clipboard(secret): the secret is never part of the page or its state.
    """
    return pf.ClipboardCopy.create(
        masked,
        is_read_only=True,
        is_code=True,
        variant="inline-compact",
        hover_tip="Copy the whole API key",
        click_tip="API key copied",
        copy_aria_label=aria_label,
        on_copy=on_copy,
    )
