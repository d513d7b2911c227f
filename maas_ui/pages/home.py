"""'/' and '/settings' have no content of their own: they send the user to the first Settings page."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf
from maas_ui.components.shell import SETTINGS_NAV, shell

FIRST_SETTINGS_PAGE = SETTINGS_NAV[0][1]


class HomeState(rx.State):
    @rx.event
    def go_to_first_page(self):
        return rx.redirect(FIRST_SETTINGS_PAGE, replace=True)


def home_page() -> rx.Component:
    return shell(pf.PageSection.create(pf.Spinner.create(aria_label="Loading")), active="")
