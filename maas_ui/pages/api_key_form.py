"""The Create / Edit API key modal (PF6 Modal + Form), hosted by the list and the details page.

The form is `KeyFormState` on the shared form-state base (components.form_state): each host declares its
own state from it, saying what happens once the key is saved, and renders `key_form_modal(its state)`.
Rules are the domain's (domain.key_forms, domain.inputs); messages show under a field once it was
touched, or all of them after a Create/Save attempt; the primary button stays disabled while
anything is invalid. The owner's existing key names are read when the owner is picked (not per
keystroke); the service checks everything again on save.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components import toasts
from maas_ui.components.form_state import FormRejected, FormState, ItemGone, Saved, form_footer
from maas_ui.domain import inputs
from maas_ui.domain import key_forms as kf
from maas_ui.domain.assets import ASSET_KIND_DEFS
from maas_ui.domain.key_format import ASSET_KINDS, OWNER_KIND_LABELS
from maas_ui.domain.roles import PermissionDenied
from maas_ui.identity import acting_user
from maas_ui.services import api_keys as svc

_OWNER_PLACEHOLDER = {"user": "Select a user", "group": "Select a group", "service_account": "Select a service account"}
# From the one table of asset kinds.
ASSET_FIELD_LABELS = {d.kind: d.form_label for d in ASSET_KIND_DEFS}
_ASSET_PLACEHOLDER = {d.kind: d.plural for d in ASSET_KIND_DEFS}
_TEXT_FIELDS = (kf.NAME, kf.DESCRIPTION, kf.OWNER_KIND, kf.OWNER_ID, kf.TOKENS, kf.REQUESTS, kf.BUDGET, kf.EXPIRES)
_LIMIT_FIELDS = (kf.TOKENS, kf.REQUESTS, kf.BUDGET, kf.EXPIRES)
_GONE = "This API key no longer exists. It may have been deleted meanwhile."


def _options(options: list[svc.Option]) -> list[dict[str, Any]]:
    return [{"value": o.value, "content": o.label, "description": o.description} for o in options]


def go_to_key(saved: Saved):
    """What a host usually does once a key is created: show its details page."""
    return rx.redirect(routes.api_key_url(saved.id))


class KeyFormState(FormState, mixin=True):
    """The API key form. A host subclasses it with `rx.State` and says what follows a save."""

    owner_options: dict[str, list[dict[str, Any]]] = {k: [] for k in OWNER_KIND_LABELS}
    asset_options: dict[str, list[dict[str, Any]]] = {k: [] for k in ASSET_KINDS}
    owner_key_names: list[str] = []  # folded names of the picked owner's other keys
    current_expiry: str = ""  # editing: the stored date, acceptable even when past
    limits_expanded: bool = False

    # The form's part of FormState ---------------------------------------------------------
    def _text_fields(self) -> tuple[str, ...]:
        return _TEXT_FIELDS

    def _choice_fields(self) -> tuple[str, ...]:
        return ASSET_KINDS

    def _database_fields(self) -> tuple[str, ...]:
        return (kf.NAME, kf.OWNER_KIND, kf.OWNER_ID)

    def _noun(self) -> str:
        return "API key"

    def _visible(self, touched: set[str]) -> set[str]:
        return touched | ({kf.ASSETS} if touched & set(ASSET_KINDS) else set())

    def _after_invalid_submit(self) -> None:
        if any(f in self.errors for f in _LIMIT_FIELDS):
            self.limits_expanded = True

    def _raw(self) -> kf.KeyFormInput:
        v = self.values
        return kf.KeyFormInput(
            name=v.get(kf.NAME, ""), description=v.get(kf.DESCRIPTION, ""),
            owner_kind=v.get(kf.OWNER_KIND, "user"), owner_id=v.get(kf.OWNER_ID, ""),
            tokens_per_minute=v.get(kf.TOKENS, ""), requests_per_minute=v.get(kf.REQUESTS, ""),
            budget_usd=v.get(kf.BUDGET, ""), expires_on=v.get(kf.EXPIRES, ""),
            asset_ids=tuple(a for k in ASSET_KINDS for a in self.choices.get(k, [])),
        )

    def _validate(self) -> dict[str, str]:
        owners = {k: {o["value"] for o in opts} for k, opts in self.owner_options.items()}
        assets = {o["value"] for opts in self.asset_options.values() for o in opts}
        taken = set(self.owner_key_names)
        _data, errors = kf.validate_key_form(
            self._raw(),
            today=datetime.now(timezone.utc).date(),
            owner_exists=lambda kind, owner_id: str(owner_id) in owners.get(kind, set()),
            name_taken=lambda _kind, _owner_id, name: inputs.fold(name) in taken,
            asset_exists=lambda asset_id: str(asset_id) in assets,
            current_expiry=date.fromisoformat(self.current_expiry) if self.current_expiry else None,
        )
        return errors

    def _check_database(self) -> None:
        kind, owner_id = self.values.get(kf.OWNER_KIND, ""), self.values.get(kf.OWNER_ID, "")
        if not (owner_id.isascii() and owner_id.isdigit()):
            self.owner_key_names = []
            return
        self.owner_key_names = svc.owner_key_names(kind, int(owner_id), actor=acting_user(self),
                                                   editing=self.editing or None)

    def _save(self) -> Saved:
        raw = self._raw()
        try:
            if self.editing:
                details = svc.update_key(self.editing, raw, actor=acting_user(self))
                return Saved(details.public_id, details.name, created=False)
            public_id = svc.create_key(raw, actor=acting_user(self))
            return Saved(public_id, inputs.clean_name(raw.name), created=True)
        except svc.KeyFormInvalid as exc:
            raise FormRejected(exc.errors) from exc
        except svc.KeyNotFound as exc:
            raise ItemGone(_GONE) from exc
        except PermissionDenied as exc:  # nothing was saved; the service says why
            raise ItemGone(exc.message) from exc

    # Views --------------------------------------------------------------------------------
    @rx.var
    def owner_choices(self) -> list[dict[str, Any]]:
        chosen = self.values.get(kf.OWNER_ID, "")
        return [{**o, "selected": o["value"] == chosen}
                for o in self.owner_options.get(self.values.get(kf.OWNER_KIND, "user"), [])]

    @rx.var
    def asset_choices(self) -> dict[str, list[dict[str, Any]]]:
        return {k: [{**o, "selected": o["value"] in self.choices.get(k, [])} for o in opts]
                for k, opts in self.asset_options.items()}

    @rx.var
    def owner_placeholder(self) -> str:
        return _OWNER_PLACEHOLDER.get(self.values.get(kf.OWNER_KIND, "user"), "Select an owner")

    @rx.var
    def title(self) -> str:
        return "Edit API key" if self.editing else "Create API key"

    # Opening ------------------------------------------------------------------------------
    def _open(self, values: kf.KeyFormInput, options: svc.FormOptions, editing: str) -> None:
        self.owner_options = {k: _options(options.owners.get(k, [])) for k in OWNER_KIND_LABELS}
        self.asset_options = {k: _options(options.assets.get(k, [])) for k in ASSET_KINDS}
        chosen = set(values.asset_ids)
        self.current_expiry = values.expires_on if editing else ""
        # Collapsed by default; open when the key already has limits, so they are seen.
        self.limits_expanded = any([values.tokens_per_minute, values.requests_per_minute,
                                    values.budget_usd, values.expires_on])
        self._start(
            {kf.NAME: values.name, kf.DESCRIPTION: values.description, kf.OWNER_KIND: values.owner_kind or "user",
             kf.OWNER_ID: values.owner_id, kf.TOKENS: values.tokens_per_minute,
             kf.REQUESTS: values.requests_per_minute, kf.BUDGET: values.budget_usd, kf.EXPIRES: values.expires_on},
            {k: [o.value for o in options.assets.get(k, []) if o.value in chosen] for k in ASSET_KINDS},
            editing=editing,
        )

    @rx.event
    def open_create(self):
        self._open(kf.KeyFormInput(), svc.form_options(actor=acting_user(self)), editing="")

    @rx.event
    def open_create_for_asset(self, asset_id: str):
        """Create with one asset already chosen (from the asset's page)."""
        self._open(kf.KeyFormInput(asset_ids=(str(asset_id),)), svc.form_options(actor=acting_user(self)), editing="")

    @rx.event
    def open_edit(self, public_id: str):
        try:
            values, options = svc.edit_form(public_id, actor=acting_user(self))
        except svc.KeyNotFound:
            return toasts.danger("This API key no longer exists.")
        except PermissionDenied as denied:
            return toasts.danger(denied.message)
        self._open(values, options, editing=public_id)

    # Fields with more than a value ---------------------------------------------------------
    @rx.event
    def set_owner_kind(self, value: str):
        if value not in OWNER_KIND_LABELS or self.editing or not self.is_open:
            return
        self.values = {**self.values, kf.OWNER_KIND: value, kf.OWNER_ID: ""}
        self._touch(kf.OWNER_KIND)
        self._check_database()
        self._refresh()

    @rx.event
    def set_owner(self, value: str):
        if self.editing or not self.is_open:
            return
        self.values = {**self.values, kf.OWNER_ID: str(value or "")}
        self._touch(kf.OWNER_ID)
        self._check_database()
        self._refresh()

    @rx.event
    def clear_owner(self):
        return self.set_owner("")

    @rx.event
    def toggle_limits(self, expanded: bool):
        self.limits_expanded = bool(expanded)


# Component ---------------------------------------------------------------------------------
def _helper(s: type[KeyFormState], field: str, hint: str = "") -> rx.Component:
    """PF helper text under a field: the error when there is one, else the hint."""
    message = s.shown[field]
    error = pf.HelperTextItem.create(message, variant="error", id=f"{field}-error")
    content = rx.cond(message, error, pf.HelperTextItem.create(hint, id=f"{field}-hint") if hint else rx.fragment())
    return pf.FormHelperText.create(pf.HelperText.create(content, aria_live="polite"))


def _validated(s: type[KeyFormState], field: str) -> rx.Var:
    return rx.cond(s.shown[field], "error", "default")


def _text_field(s: type[KeyFormState], label: str, field: str, *, hint: str = "", required: bool = False,
                placeholder: str = "", inputmode: str | None = None) -> rx.Component:
    field_id = f"api-key-{field.replace('_', '-')}"
    extra = {"custom_attrs": {"inputMode": inputmode}} if inputmode else {}
    return pf.FormGroup.create(
        pf.TextInput.create(
            id=field_id,
            name=field,
            type="text",
            default_value=s.values[field],
            placeholder=placeholder,
            validated=_validated(s, field),
            is_required=required,
            on_change=lambda v: s.set_field(field, v),
            on_blur=s.blur(field),
            aria_describedby=rx.cond(s.shown[field], f"{field}-error", f"{field}-hint" if hint else ""),
            **extra,
        ),
        _helper(s, field, hint),
        label=label,
        is_required=required,
        field_id=field_id,
    )


def _owner_group(s: type[KeyFormState]) -> rx.Component:
    return pf.FormGroup.create(
        pf.Flex.create(
            pf.FlexItem.create(
                pf.FormSelect.create(
                    *[pf.FormSelectOption.create(value=k, label=label) for k, label in OWNER_KIND_LABELS.items()],
                    id="api-key-owner-kind",
                    value=s.values[kf.OWNER_KIND],
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
                    label="Owner",
                    on_select=s.set_owner,
                    on_clear_selection=s.clear_owner,
                    key=s.values[kf.OWNER_KIND].to(str) + "-" + s.form_key.to_string(),
                ),
                flex={"default": "flex_1"},
            ),
            flex_wrap={"default": "nowrap"},
            gap={"default": "gapSm"},
        ),
        _helper(s, kf.OWNER_KIND),
        _helper(s, kf.OWNER_ID),
        rx.cond(s.editing != "", pf.FormHelperText.create(pf.HelperText.create(
            pf.HelperTextItem.create("The owner of an existing key can't be changed.")))),
        label="Owner",
        is_required=True,
        field_id="api-key-owner-kind",
        role="group",
    )


def _limits(s: type[KeyFormState]) -> rx.Component:
    return pf.ExpandableSection.create(
        pf.Grid.create(
            pf.GridItem.create(
                _text_field(s, "Token rate limit", kf.TOKENS, hint="Tokens per minute. Empty means no limit.",
                            placeholder="e.g. 20000", inputmode="numeric"),
                md=6,
            ),
            pf.GridItem.create(
                _text_field(s, "Request rate limit", kf.REQUESTS, hint="Requests per minute. Empty means no limit.",
                            placeholder="e.g. 60", inputmode="numeric"),
                md=6,
            ),
            pf.GridItem.create(
                _text_field(s, "Budget limit (USD)", kf.BUDGET, placeholder="e.g. 250", inputmode="decimal",
                            hint="Spending cap in US dollars, whole cents. Empty means no limit."),
                md=6,
            ),
            pf.GridItem.create(
                pf.FormGroup.create(
                    pf.DatePicker.create(
                        value=s.values[kf.EXPIRES],
                        placeholder="YYYY-MM-DD",
                        aria_label="Expiration date",
                        button_aria_label="Toggle date picker",
                        append_to="inline",
                        # The server's message shows under the field (once); PF's own would repeat it.
                        invalid_format_text="",
                        input_props={"id": "api-key-expires-on", "validated": _validated(s, kf.EXPIRES)},
                        on_change=lambda v: s.set_field(kf.EXPIRES, v),
                    ),
                    _helper(s, kf.EXPIRES, "Empty means the key never expires."),
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


def _asset_select(s: type[KeyFormState], kind: str) -> rx.Component:
    label = ASSET_FIELD_LABELS[kind]
    return pf.FormGroup.create(
        pf.MultiTypeaheadSelect.create(
            initial_options=s.asset_choices[kind],
            placeholder=f"Select {_ASSET_PLACEHOLDER[kind]}",
            no_options_found_message="No match",
            label=label,
            toggle_width="100%",
            on_selection_change=lambda values: s.set_choice(kind, values),
            key=f"{kind}-" + s.form_key.to_string(),
        ),
        label=label,
        field_id=f"api-key-assets-{kind}",
        role="group",
    )


def key_form_modal(s: type[KeyFormState]) -> rx.Component:
    """The modal of host state `s`. It discards its draft whenever the host page is left or entered."""
    title_id = "api-key-form-title"
    return pf.Modal.create(
        pf.ModalHeader.create(
            title=s.title,
            label_id=title_id,
            description="An API key lets applications call the AI assets it grants, within its limits.",
        ),
        pf.ModalBody.create(
            rx.cond(
                s.save_error != "",
                pf.Alert.create(variant="danger", is_inline=True, title=s.save_error, component="h2",
                                class_name="pf-v6-u-mb-md"),
            ),
            pf.Form.create(
                _text_field(s, "Name", kf.NAME, required=True, placeholder="e.g. chatbot-prod",
                            hint="Up to 64 characters, unique among the owner's keys."),
                pf.FormGroup.create(
                    pf.TextArea.create(
                        id="api-key-description",
                        default_value=s.values[kf.DESCRIPTION],
                        placeholder="Describe the key's purpose",
                        validated=_validated(s, kf.DESCRIPTION),
                        resize_orientation="vertical",
                        rows=2,
                        on_change=lambda v: s.set_field(kf.DESCRIPTION, v),
                    ),
                    _helper(s, kf.DESCRIPTION),
                    label="Description",
                    field_id="api-key-description",
                ),
                _owner_group(s),
                _limits(s),
                pf.FormSection.create(
                    *[_asset_select(s, kind) for kind in ASSET_KINDS],
                    _helper(s, kf.ASSETS),
                    title="AI Asset Access",
                    title_element="h2",
                ),
                id="api-key-form",
                on_submit=[rx.prevent_default, s.submit],
                key=s.form_key,
            ),
        ),
        form_footer(s, rx.cond(s.editing != "", "Save", "Create"), id_prefix="api-key-form"),
        is_open=s.is_open,
        variant="medium",
        aria_labelledby=title_id,
        on_close=s.close,
        on_mount=s.discard,
        on_unmount=s.discard,
    )
