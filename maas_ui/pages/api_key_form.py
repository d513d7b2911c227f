"""The Create / Edit API key modal (PF6 Modal + Form), used by the list and the details page.

Every change is validated on the server (domain.key_forms through services.api_keys, which also
checks the name against the owner's other keys). Messages show under a field once it was touched,
or all of them after a Create/Save attempt; the primary button is disabled while anything is invalid.
"""

from __future__ import annotations

import logging
from typing import Any

import reflex as rx

from maas_ui import db, pf, routes
from maas_ui.components import toasts
from maas_ui.domain import key_forms as kf
from maas_ui.domain.key_format import ASSET_KINDS, OWNER_KIND_LABELS
from maas_ui.services import api_keys as svc
from maas_ui.settings import demo_user

log = logging.getLogger(__name__)

MODAL_TITLE_ID = "api-key-form-title"
_OWNER_PLACEHOLDER = {"user": "Select a user", "group": "Select a group", "service_account": "Select a service account"}
_ASSET_FIELD_LABELS = {
    "model": "Model endpoints",
    "mcp_server": "MCP servers & tools",
    "vector_db": "Vector databases",
    "agent": "Agents",
}
_ASSET_PLACEHOLDER = {"model": "models", "mcp_server": "MCP servers", "vector_db": "vector databases",
                      "agent": "agents"}
# Menus render inside the modal: PF's Modal hides its siblings from assistive technology
# (aria-hidden) whenever it re-renders, which would hide a menu appended to <body>.
_INLINE_MENU = {"appendTo": "inline"}
_LIMIT_FIELDS = (kf.TOKENS, kf.REQUESTS, kf.BUDGET, kf.EXPIRES)


def _options(options: list[svc.Option], selected: set[str] | str | None = None) -> list[dict[str, Any]]:
    chosen = {selected} if isinstance(selected, str) else (selected or set())
    return [
        {"value": o.value, "content": o.label, "description": o.description, "selected": o.value in chosen}
        for o in options
    ]


class KeyFormState(rx.State):
    is_open: bool = False
    editing: str = ""  # public id of the key being edited; "" when creating
    form_key: int = 0  # bumped on every opening: remounts the uncontrolled inputs with fresh values

    name: str = ""
    description: str = ""
    owner_kind: str = "user"
    owner_id: str = ""
    tokens_per_minute: str = ""
    requests_per_minute: str = ""
    budget_usd: str = ""
    expires_on: str = ""
    asset_ids: dict[str, list[str]] = {k: [] for k in ASSET_KINDS}

    owner_options: dict[str, list[dict[str, Any]]] = {k: [] for k in OWNER_KIND_LABELS}
    asset_options: dict[str, list[dict[str, Any]]] = {k: [] for k in ASSET_KINDS}

    errors: dict[str, str] = {}
    touched: list[str] = []
    submitted: bool = False
    limits_expanded: bool = False
    save_error: str = ""
    saving: bool = False

    # Derived from state only (no database): what the form shows ---------------------------
    @rx.var
    def shown_errors(self) -> dict[str, str]:
        """Every field's message ("" when none is shown): under a field once touched, all after a save attempt."""
        return {f: self.errors.get(f, "") if self.submitted or f in self.touched else "" for f in kf.FIELDS}

    @rx.var
    def is_valid(self) -> bool:
        return not self.errors

    @rx.var
    def owner_choices(self) -> list[dict[str, Any]]:
        return self.owner_options.get(self.owner_kind, [])

    @rx.var
    def owner_placeholder(self) -> str:
        return _OWNER_PLACEHOLDER.get(self.owner_kind, "Select an owner")

    @rx.var
    def title(self) -> str:
        return "Edit API key" if self.editing else "Create API key"

    # Helpers ------------------------------------------------------------------------------
    def _raw(self) -> kf.KeyFormInput:
        return kf.KeyFormInput(
            name=self.name,
            description=self.description,
            owner_kind=self.owner_kind,
            owner_id=self.owner_id,
            tokens_per_minute=self.tokens_per_minute,
            requests_per_minute=self.requests_per_minute,
            budget_usd=self.budget_usd,
            expires_on=self.expires_on,
            asset_ids=tuple(a for k in ASSET_KINDS for a in self.asset_ids.get(k, [])),
        )

    def _validate(self) -> None:
        with db.session() as s:
            try:
                _data, self.errors = svc.validate(s, self._raw(), editing=self.editing or None)
            except svc.KeyNotFound:
                self.errors = {}
                self.save_error = "This API key no longer exists. It may have been deleted meanwhile."

    def _touch(self, field: str) -> None:
        if field not in self.touched:
            self.touched = [*self.touched, field]

    def _reset(self, values: kf.KeyFormInput, options: svc.FormOptions, editing: str) -> None:
        self.editing = editing
        self.form_key += 1
        self.name, self.description = values.name, values.description
        self.owner_kind, self.owner_id = values.owner_kind or "user", values.owner_id
        self.tokens_per_minute, self.requests_per_minute = values.tokens_per_minute, values.requests_per_minute
        self.budget_usd, self.expires_on = values.budget_usd, values.expires_on
        chosen = set(values.asset_ids)
        self.asset_ids = {k: [o.value for o in options.assets.get(k, []) if o.value in chosen] for k in ASSET_KINDS}
        self.owner_options = {
            k: _options(options.owners.get(k, []), self.owner_id if k == self.owner_kind else None)
            for k in OWNER_KIND_LABELS
        }
        self.asset_options = {k: _options(options.assets.get(k, []), set(self.asset_ids[k])) for k in ASSET_KINDS}
        self.errors, self.touched, self.submitted = {}, [], False
        self.save_error, self.saving = "", False
        # Collapsed by default; open when the key already has limits, so they are seen.
        self.limits_expanded = any([values.tokens_per_minute, values.requests_per_minute,
                                    values.budget_usd, values.expires_on])
        self.is_open = True
        self._validate()

    # Opening and closing ------------------------------------------------------------------
    @rx.event
    def open_create(self):
        with db.session() as s:
            options = svc.form_options(s)
        self._reset(kf.KeyFormInput(), options, editing="")

    @rx.event
    def open_edit(self, public_id: str):
        with db.session() as s:
            try:
                values = svc.key_form_values(s, public_id)
            except svc.KeyNotFound:
                return toasts.danger("This API key no longer exists.")
            options = svc.form_options(s)
        self._reset(values, options, editing=public_id)

    @rx.event
    def close(self):
        self.is_open = False
        self.saving = False

    # Field changes -----------------------------------------------------------------------
    def _set(self, field: str, value: str) -> None:
        setattr(self, field, value if isinstance(value, str) else str(value or ""))
        self._touch(field)
        self._validate()

    @rx.event
    def set_name(self, value: str):
        self._set(kf.NAME, value)

    @rx.event
    def set_description(self, value: str):
        self._set(kf.DESCRIPTION, value)

    @rx.event
    def set_owner_kind(self, value: str):
        if value not in OWNER_KIND_LABELS or self.editing:
            return
        self.owner_kind, self.owner_id = value, ""
        self.owner_options = {k: [{**o, "selected": False} for o in opts] for k, opts in self.owner_options.items()}
        self._touch(kf.OWNER_KIND)
        self._validate()

    @rx.event
    def set_owner(self, value: str):
        if self.editing:
            return
        self.owner_id = str(value or "")
        self.owner_options = {
            k: [{**o, "selected": k == self.owner_kind and o["value"] == self.owner_id} for o in opts]
            for k, opts in self.owner_options.items()
        }
        self._touch(kf.OWNER_ID)
        self._validate()

    @rx.event
    def clear_owner(self):
        self.set_owner("")

    @rx.event
    def set_tokens(self, value: str):
        self._set(kf.TOKENS, value)

    @rx.event
    def set_requests(self, value: str):
        self._set(kf.REQUESTS, value)

    @rx.event
    def set_budget(self, value: str):
        self._set(kf.BUDGET, value)

    @rx.event
    def set_expires(self, value: str):
        self._set(kf.EXPIRES, value)

    @rx.event
    def toggle_limits(self, expanded: bool):
        self.limits_expanded = bool(expanded)

    def _set_assets(self, kind: str, values: list) -> None:
        ids = [str(v) for v in (values or [])]
        self.asset_ids = {**self.asset_ids, kind: ids}
        self.asset_options = {
            **self.asset_options,
            kind: [{**o, "selected": o["value"] in ids} for o in self.asset_options.get(kind, [])],
        }
        self._touch(kf.ASSETS)
        self._validate()

    @rx.event
    def set_models(self, values: list):
        self._set_assets("model", values)

    @rx.event
    def set_mcp_servers(self, values: list):
        self._set_assets("mcp_server", values)

    @rx.event
    def set_vector_dbs(self, values: list):
        self._set_assets("vector_db", values)

    @rx.event
    def set_agents(self, values: list):
        self._set_assets("agent", values)

    # Saving -------------------------------------------------------------------------------
    @rx.event
    def submit(self):
        if self.saving:
            return
        self.submitted = True
        self.save_error = ""
        was_valid = not self.errors
        self._validate()
        if self.errors:
            if any(f in self.errors for f in _LIMIT_FIELDS):
                self.limits_expanded = True
            verb = "saved" if self.editing else "created"
            self.save_error = (f"The API key was not {verb}: something changed meanwhile. Fix the fields marked "
                               "below and try again." if was_valid
                               else f"The API key was not {verb}. Fix the fields marked below.")
            return
        self.saving = True
        raw = self._raw()
        try:
            with db.session() as s:
                if self.editing:
                    details = svc.update_key(s, self.editing, raw, actor=demo_user())
                    public_id, name = details.public_id, details.name
                else:
                    public_id = svc.create_key(s, raw, actor=demo_user())
                    name = raw.name.strip()
        except svc.KeyFormInvalid as exc:
            self.errors = exc.errors
            self.saving = False
            if any(f in exc.errors for f in _LIMIT_FIELDS):
                self.limits_expanded = True
            self.save_error = (f"The API key was not {'saved' if self.editing else 'created'}: something changed "
                               "meanwhile. Fix the fields marked below and try again.")
            return
        except svc.KeyNotFound:
            self.saving = False
            self.save_error = "This API key no longer exists. It may have been deleted meanwhile."
            return
        except Exception:  # a database error: keep everything typed, say so in the modal
            log.exception("Saving an API key failed")
            self.saving = False
            self.save_error = "The API key could not be saved because of a server error. Try again."
            return
        self.is_open = False
        self.saving = False
        if self.editing:
            from maas_ui.pages.api_key_details import KeyDetailsState  # the page that opened the modal

            return [KeyDetailsState.load, toasts.success(f"API key \u201c{name}\u201d updated")]
        return [rx.redirect(routes.api_key_url(public_id)), toasts.success(f"API key \u201c{name}\u201d created")]


# Component ---------------------------------------------------------------------------------
def _error(field: str) -> rx.Var:
    return KeyFormState.shown_errors[field]


def _helper(field: str, hint: str = "") -> rx.Component:
    """PF helper text under a field: the error when there is one, else the hint."""
    message = _error(field)
    error = pf.HelperTextItem.create(message, variant="error", id=f"{field}-error")
    if hint:
        content = rx.cond(message != "", error, pf.HelperTextItem.create(hint, id=f"{field}-hint"))
    else:
        content = rx.cond(message != "", error, rx.fragment())
    return pf.FormHelperText.create(pf.HelperText.create(content, aria_live="polite"))


def _validated(field: str) -> rx.Var:
    return rx.cond(_error(field) != "", "error", "default")


def _text_field(label: str, field: str, on_change, *, hint: str = "", required: bool = False,
                placeholder: str = "", inputmode: str | None = None) -> rx.Component:
    field_id = f"api-key-{field.replace('_', '-')}"
    extra = {"custom_attrs": {"inputMode": inputmode}} if inputmode else {}
    return pf.FormGroup.create(
        pf.TextInput.create(
            id=field_id,
            name=field,
            type="text",
            default_value=getattr(KeyFormState, field),
            placeholder=placeholder,
            validated=_validated(field),
            is_required=required,
            on_change=on_change,
            aria_describedby=f"{field}-error",
            **extra,
        ),
        _helper(field, hint),
        label=label,
        is_required=required,
        field_id=field_id,
    )


def _owner_group() -> rx.Component:
    s = KeyFormState
    return pf.FormGroup.create(
        pf.Flex.create(
            pf.FlexItem.create(
                pf.FormSelect.create(
                    *[pf.FormSelectOption.create(value=k, label=label) for k, label in OWNER_KIND_LABELS.items()],
                    id="api-key-owner-kind",
                    value=s.owner_kind,
                    aria_label="Owner type",
                    is_disabled=s.editing != "",
                    on_change=s.set_owner_kind,
                ),
            ),
            pf.FlexItem.create(
                pf.TypeaheadSelect.create(
                    initial_options=s.owner_choices,
                    placeholder=s.owner_placeholder,
                    no_options_found_message="No match",
                    is_disabled=s.editing != "",
                    toggle_width="100%",
                    toggle_props={"aria-label": "Owner"},
                    popper_props=_INLINE_MENU,
                    on_select=s.set_owner,
                    on_clear_selection=s.clear_owner,
                    key=s.owner_kind + "-" + s.form_key.to_string(),
                ),
                flex={"default": "flex_1"},
            ),
            flex_wrap={"default": "nowrap"},
            gap={"default": "gapSm"},
        ),
        _helper(kf.OWNER_KIND),
        _helper(kf.OWNER_ID, ""),
        rx.cond(s.editing != "", pf.FormHelperText.create(pf.HelperText.create(
            pf.HelperTextItem.create("The owner of an existing key can't be changed.")))),
        label="Owner",
        is_required=True,
        field_id="api-key-owner-kind",
        role="group",
    )


def _limits() -> rx.Component:
    s = KeyFormState
    return pf.ExpandableSection.create(
        pf.Grid.create(
            pf.GridItem.create(
                _text_field("Token rate limit", kf.TOKENS, s.set_tokens, hint="Tokens per minute. Empty means no limit.",
                            placeholder="e.g. 20000", inputmode="numeric"),
                md=6,
            ),
            pf.GridItem.create(
                _text_field("Request rate limit", kf.REQUESTS, s.set_requests,
                            hint="Requests per minute. Empty means no limit.", placeholder="e.g. 60",
                            inputmode="numeric"),
                md=6,
            ),
            pf.GridItem.create(
                _text_field("Budget limit (USD)", kf.BUDGET, s.set_budget,
                            hint="Spending cap in US dollars. Empty means no limit.", placeholder="e.g. 250",
                            inputmode="decimal"),
                md=6,
            ),
            pf.GridItem.create(
                pf.FormGroup.create(
                    pf.DatePicker.create(
                        value=s.expires_on,
                        placeholder="YYYY-MM-DD",
                        aria_label="Expiration date",
                        button_aria_label="Toggle date picker",
                        append_to="inline",
                        invalid_format_text="Enter the expiration date as YYYY-MM-DD.",
                        input_props={"id": "api-key-expires-on", "validated": _validated(kf.EXPIRES)},
                        on_change=s.set_expires,
                    ),
                    _helper(kf.EXPIRES, "Empty means the key never expires."),
                    label="Expiration date",
                    field_id="api-key-expires-on",
                ),
                md=6,
            ),
            has_gutter=True,
        ),
        toggle_text="Limits and Policies",
        is_expanded=s.limits_expanded,
        on_toggle=s.toggle_limits,
        is_indented=True,
    )


def _asset_select(kind: str, on_change) -> rx.Component:
    label = _ASSET_FIELD_LABELS[kind]
    return pf.FormGroup.create(
        pf.MultiTypeaheadSelect.create(
            initial_options=KeyFormState.asset_options[kind],
            placeholder=f"Select {_ASSET_PLACEHOLDER[kind]}",
            no_options_found_message="No match",
            toggle_props={"aria-label": label},
            toggle_width="100%",
            popper_props=_INLINE_MENU,
            on_selection_change=on_change,
            key=f"{kind}-" + KeyFormState.form_key.to_string(),
        ),
        label=label,
        field_id=f"api-key-assets-{kind}",
        role="group",
    )


def key_form_modal() -> rx.Component:
    s = KeyFormState
    return pf.Modal.create(
        pf.ModalHeader.create(
            title=s.title,
            label_id=MODAL_TITLE_ID,
            description="An API key lets applications call the AI assets it grants, within its limits.",
        ),
        pf.ModalBody.create(
            rx.cond(
                s.save_error != "",
                pf.Alert.create(variant="danger", is_inline=True, title=s.save_error, component="h2",
                                class_name="pf-v6-u-mb-md"),
            ),
            pf.Form.create(
                _text_field("Name", kf.NAME, s.set_name, required=True,
                            hint="Up to 64 characters, unique among the owner's keys.", placeholder="e.g. chatbot-prod"),
                pf.FormGroup.create(
                    pf.TextArea.create(
                        id="api-key-description",
                        default_value=s.description,
                        placeholder="Describe the key's purpose",
                        validated=_validated(kf.DESCRIPTION),
                        resize_orientation="vertical",
                        rows=2,
                        on_change=s.set_description,
                    ),
                    _helper(kf.DESCRIPTION),
                    label="Description",
                    field_id="api-key-description",
                ),
                _owner_group(),
                _limits(),
                pf.FormSection.create(
                    _asset_select("model", s.set_models),
                    _asset_select("mcp_server", s.set_mcp_servers),
                    _asset_select("vector_db", s.set_vector_dbs),
                    _asset_select("agent", s.set_agents),
                    _helper(kf.ASSETS),
                    title="AI Asset Access",
                    title_element="h2",
                ),
                id="api-key-form",
                on_submit=[rx.prevent_default, s.submit],
                key=s.form_key,
            ),
        ),
        pf.ModalFooter.create(
            pf.Button.create(
                rx.cond(s.editing != "", "Save", "Create"),
                variant="primary",
                is_disabled=~s.is_valid | s.saving,
                is_loading=s.saving,
                on_click=s.submit,
            ),
            pf.Button.create("Cancel", variant="link", on_click=s.close),
        ),
        is_open=s.is_open,
        variant="medium",
        aria_labelledby=MODAL_TITLE_ID,
        on_close=s.close,
    )
