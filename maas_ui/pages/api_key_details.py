"""API key details: /settings/api-keys/<id> and /settings/api-keys/<id>/<tab>.

The shared details skeleton (components/details_page.py) with the key's header (status, masked
secret, Edit / Enable or Disable / Delete) and the tabs of pages/key_tabs.py.
"""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.details_page import NotFound, details_page
from maas_ui.components.key_parts import secret_copy
from maas_ui.components.labels import status_label
from maas_ui.components.shell import shell
from maas_ui.pages.api_key_delete import delete_key_modal
from maas_ui.pages.api_key_form import key_form_modal
from maas_ui.pages.key_details_state import DetailsKeyDelete, DetailsKeyForm, KeyDetailsState
from maas_ui.pages.key_overview_tabs import quota_warning
from maas_ui.pages.key_tabs import TABS

__all__ = ["KeyDetailsState", "key_details_page"]


def _actions() -> rx.Component:
    s = KeyDetailsState
    return pf.Flex.create(
        pf.Button.create("Edit", variant="secondary", on_click=s.edit),
        rx.cond(
            s.details.is_disabled,
            pf.Button.create("Enable", variant="secondary", on_click=s.set_enabled(True)),
            pf.Button.create("Disable", variant="secondary", on_click=s.set_enabled(False)),
        ),
        pf.Button.create("Delete", variant="danger", on_click=s.delete),
        gap="gapSm",
        flex_wrap="nowrap",
    )


def key_details_page() -> rx.Component:
    s = KeyDetailsState
    return shell(
        details_page(
            loaded=s.loaded,
            found=s.found,
            denied=s.denied,
            loading_label="Loading API key",
            not_found=NotFound(
                "API key not found",
                "There is no API key with this ID. It may have been deleted, or the address is mistyped.",
                "Go to API keys",
                routes.API_KEYS,
            ),
            parent=("API keys", routes.API_KEYS),
            title=s.details.name,
            labels=[status_label(s.details.status)],
            summary=[secret_copy(s.details.masked_key, s.copy_secret), quota_warning()],
            actions=_actions(),
            tabs=TABS,
            active_tab=s.active_tab,
            on_select_tab=s.select_tab,
            tabs_label="API key sections",
        ),
        key_form_modal(DetailsKeyForm),
        delete_key_modal(DetailsKeyDelete),
        active=routes.API_KEYS,
    )
