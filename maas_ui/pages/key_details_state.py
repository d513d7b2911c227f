"""The API key details page's state: the key (as the service returns it) and its header actions.

Reads the route args `key_id` and `tab` (root state vars). The tabs themselves are listed in
pages/key_tabs.py; their own loaders run from the page's on_load.
"""

from __future__ import annotations

import reflex as rx

from maas_ui import routes
from maas_ui.components import toasts
from maas_ui.domain.gateway_urls import public_base_url
from maas_ui.domain.key_examples import curl_example, python_example
from maas_ui.domain.roles import PermissionDenied
from maas_ui.identity import acting_user
from maas_ui.pages.api_key_delete import DeleteKeyState
from maas_ui.pages.api_key_form import KeyFormState, go_to_key
from maas_ui.services import api_keys as svc
from maas_ui.services import quotas as quota_svc
from maas_ui.settings import gateway_public_url


class KeyDetailsState(rx.State):
    loaded: bool = False
    found: bool = False
    denied: bool = False  # the key exists but is out of the acting user's reach
    may_manage: bool = True
    loaded_id: str = ""
    active_tab: str = routes.API_KEY_TABS[0]
    details: svc.KeyDetails | None = None
    quotas: list[quota_svc.QuotaStatus] = []
    tier_name: str = ""
    tier_slug: str = ""
    quota_warning: str = ""
    curl: str = ""
    python: str = ""
    collapsed_sections: list[str] = []  # asset kinds whose section the user collapsed

    @rx.event
    def load(self):
        """Runs on every visit of a details URL: first load, tab change, reload, back/forward."""
        key_id = self.key_id or ""
        if key_id != self.loaded_id:
            self.loaded = False
        tab = self.tab or ""  # "" on the bare details URL
        self.active_tab = tab if tab in routes.API_KEY_TABS else routes.API_KEY_TABS[0]
        details, denied = None, False
        if routes.plausible_id(key_id):
            try:
                details = svc.get_key(key_id, actor=acting_user(self))
            except PermissionDenied:
                denied = True
        if details is not None:  # models answer through this console's gateway
            details = svc.with_gateway_endpoints(
                details, public_base_url(gateway_public_url(), self.router.headers.origin))
        self.details = details
        self.denied = denied
        quotas = quota_svc.key_quotas(key_id, actor=acting_user(self)) if details is not None else None
        self.quotas = list(quotas.quotas) if quotas else []
        self.tier_name, self.tier_slug = (quotas.tier_name, quotas.tier_slug) if quotas else ("", "")
        self.quota_warning = quotas.warning if quotas else ""
        self.found = details is not None
        self.loaded_id = key_id
        models = details.asset_sections[0].assets if details else []
        if models:
            self.curl = curl_example(models[0].endpoint_url, models[0].identifier)
            self.python = python_example(models[0].endpoint_url, models[0].identifier)
        else:
            self.curl = self.python = ""
        self.loaded = True

    @rx.event
    def toggle_section(self, kind: str, expanded: bool):
        self.collapsed_sections = [k for k in self.collapsed_sections if k != kind] + ([] if expanded else [kind])

    @rx.event
    def select_tab(self, slug: str):
        if slug in routes.API_KEY_TABS and self.key_id:
            return rx.redirect(routes.api_key_url(self.key_id, slug))

    @rx.event
    def copy_secret(self):
        """The copy button: decrypt on demand, straight to the clipboard (never kept in state)."""
        try:
            secret = svc.reveal_secret(self.key_id or "", actor=acting_user(self))
        except PermissionDenied as denied:
            return toasts.danger(denied.message)
        if secret is None:
            return toasts.danger("The API key can't be copied: it no longer exists or can't be decrypted.")
        return rx.set_clipboard(secret)

    @rx.event
    def set_enabled(self, enabled: bool):
        try:
            name = svc.set_enabled(self.key_id or "", bool(enabled), actor=acting_user(self))
        except svc.KeyNotFound:
            return [KeyDetailsState.load, toasts.danger("This API key no longer exists.")]
        except PermissionDenied as denied:
            return [KeyDetailsState.load, toasts.danger(denied.message)]
        return [KeyDetailsState.load, toasts.success(f"API key \u201c{name}\u201d {'enabled' if enabled else 'disabled'}")]

    @rx.event
    def edit(self):
        return DetailsKeyForm.open_edit(self.key_id or "")

    @rx.event
    def delete(self):
        return DetailsKeyDelete.open(self.key_id or "")


# The details page's modals: a save reloads the page; a deletion leaves for the list.
class DetailsKeyForm(KeyFormState, rx.State):
    def _on_created(self, saved):
        return [go_to_key(saved)]

    def _on_updated(self, saved):
        return [KeyDetailsState.load]


class DetailsKeyDelete(DeleteKeyState, rx.State):
    def _on_deleted(self, name: str):
        return [rx.redirect(routes.API_KEYS)]
