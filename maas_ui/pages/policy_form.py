"""The Create / Edit policy modal (PF6 Modal), shared by the Policies list and a policy's details page.

Validation is the domain's (maas_ui.domain.policies) through the service: messages appear inline
under each field once the field was changed or a save was attempted, and update as the user types.
"""

from __future__ import annotations

import reflex as rx

from maas_ui import db, pf, routes
from maas_ui.components.toasts import ToastState
from maas_ui.domain.policies import PolicyForm
from maas_ui.services import policies as svc

UNIT_OPTIONS = [("minute", "minute"), ("hour", "hour"), ("day", "day")]
GROUPS_HELP = "This policy will apply to all users in these groups."


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def _options(options) -> list[dict[str, str]]:
    return [{"value": str(o.id), "content": o.label} for o in options]


class PolicyFormState(rx.State):
    is_open: bool = False
    mode: str = "create"  # create | edit
    editing_slug: str = ""
    origin: str = "list"  # list | details: what to reload after an edit
    form_key: int = 0  # bumping it remounts the (uncontrolled) inputs with the new values
    saving: bool = False

    name: str = ""
    description: str = ""
    model_ids: list[str] = []
    mcp_server_ids: list[str] = []
    token_limit: str = ""
    token_window_value: str = "1"
    token_window_unit: str = "minute"
    request_limit: str = ""
    request_window_value: str = "1"
    request_window_unit: str = "minute"
    budget_usd: str = ""
    time_mode: str = "none"  # none | window
    time_start: str = ""
    time_end: str = ""
    over_limit_behavior: str = "hard"
    group_ids: list[str] = []
    user_ids: list[str] = []
    service_account_ids: list[str] = []

    model_options: list[dict[str, str]] = []
    mcp_server_options: list[dict[str, str]] = []
    group_options: list[dict[str, str]] = []
    user_options: list[dict[str, str]] = []
    service_account_options: list[dict[str, str]] = []

    policy_id_preview: str = ""
    errors: dict[str, str] = {}  # every current error
    shown: dict[str, str] = {}  # the errors the user should see now
    warnings: dict[str, str] = {}
    touched: list[str] = []
    attempted: bool = False
    save_error: str = ""

    # Opening ---------------------------------------------------------------------------
    def _load_options(self, s) -> None:
        o = svc.form_options(s)
        self.model_options = _options(o.models)
        self.mcp_server_options = _options(o.mcp_servers)
        self.group_options = _options(o.groups)
        self.user_options = _options(o.users)
        self.service_account_options = _options(o.service_accounts)

    def _fill(self, f: PolicyForm) -> None:
        self.name, self.description = f.name, f.description
        self.model_ids = [str(i) for i in f.model_ids]
        self.mcp_server_ids = [str(i) for i in f.mcp_server_ids]
        self.token_limit, self.token_window_value, self.token_window_unit = (
            f.token_limit, f.token_window_value, f.token_window_unit)
        self.request_limit, self.request_window_value, self.request_window_unit = (
            f.request_limit, f.request_window_value, f.request_window_unit)
        self.budget_usd = f.budget_usd
        self.time_mode = "window" if f.time_limit else "none"
        self.time_start, self.time_end = f.time_start, f.time_end
        self.over_limit_behavior = f.over_limit_behavior
        self.group_ids = [str(i) for i in f.group_ids]
        self.user_ids = [str(i) for i in f.user_ids]
        self.service_account_ids = [str(i) for i in f.service_account_ids]

    def _reset_feedback(self) -> None:
        self.errors, self.shown, self.warnings = {}, {}, {}
        self.touched, self.attempted, self.save_error, self.saving = [], False, "", False
        self.form_key += 1

    @rx.event
    def open_create(self, origin: str = "list"):
        with db.session() as s:
            self._load_options(s)
            self._fill(PolicyForm())
            self.policy_id_preview = ""
        self.mode, self.editing_slug, self.origin = "create", "", origin
        self._reset_feedback()
        self._validate()
        self.is_open = True

    @rx.event
    def open_edit(self, slug: str, origin: str = "list"):
        with db.session() as s:
            try:
                form = svc.policy_form(s, slug)
            except svc.PolicyNotFound:
                return ToastState.show("danger", "That policy no longer exists.")
            self._load_options(s)
        self._fill(form)
        self.policy_id_preview = slug
        self.mode, self.editing_slug, self.origin = "edit", slug, origin
        self._reset_feedback()
        self._validate()
        self.is_open = True

    @rx.event
    def close(self):
        self.is_open = False

    # Editing ---------------------------------------------------------------------------
    def _form(self) -> PolicyForm:
        return PolicyForm(
            name=self.name, description=self.description,
            model_ids=_ids(self.model_ids), mcp_server_ids=_ids(self.mcp_server_ids),
            token_limit=self.token_limit, token_window_value=self.token_window_value,
            token_window_unit=self.token_window_unit,
            request_limit=self.request_limit, request_window_value=self.request_window_value,
            request_window_unit=self.request_window_unit,
            budget_usd=self.budget_usd, time_limit=self.time_mode == "window",
            time_start=self.time_start, time_end=self.time_end,
            over_limit_behavior=self.over_limit_behavior,
            group_ids=_ids(self.group_ids), user_ids=_ids(self.user_ids),
            service_account_ids=_ids(self.service_account_ids),
        )

    def _validate(self) -> None:
        with db.session() as s:
            errors, warnings = svc.check_form(s, self._form(), editing_slug=self.editing_slug or None)
            if self.mode == "create":
                self.policy_id_preview = svc.preview_policy_id(s, self.name)
        self.errors, self.warnings = errors, warnings
        visible = set(self.touched)
        # A limit's window goes with its limit; "no limit at all" shows once any limit was touched.
        for prefix in ("token", "request"):
            if f"{prefix}_limit" in visible:
                visible |= {f"{prefix}_window_value", f"{prefix}_window_unit"}
        if visible & {"token_limit", "request_limit", "budget_usd", "time_mode"}:
            visible.add("limits")
        if "time_start" in visible or "time_end" in visible:
            visible |= {"time_start", "time_end"}
        self.shown = dict(errors) if self.attempted else {k: v for k, v in errors.items() if k in visible}

    def _touch(self, field: str) -> None:
        if field not in self.touched:
            self.touched = [*self.touched, field]
        self.save_error = ""
        self._validate()

    @rx.event
    def set_text(self, field: str, value: str):
        if field in {"name", "description", "token_limit", "token_window_value", "token_window_unit",
                     "request_limit", "request_window_value", "request_window_unit", "budget_usd",
                     "time_mode", "time_start", "time_end", "over_limit_behavior"}:
            setattr(self, field, value if isinstance(value, str) else str(value))
            self._touch(field)

    @rx.event
    def set_choice(self, field: str, values: list[str]):
        if field in {"model_ids", "mcp_server_ids", "group_ids", "user_ids", "service_account_ids"}:
            setattr(self, field, [str(v) for v in values])
            self._touch(field)

    # Saving ----------------------------------------------------------------------------
    @rx.event
    def save(self):
        self.attempted = True
        self._validate()
        if self.errors:
            return
        from maas_ui.pages.policies import PoliciesState
        from maas_ui.pages.policy_details import PolicyDetailsState

        try:
            with db.session() as s:
                if self.mode == "create":
                    slug = svc.create_policy(s, self._form())
                    name = self.name.strip()
                else:
                    slug = svc.update_policy(s, self.editing_slug, self._form())
                    name = self.name.strip()
        except svc.ValidationError as exc:
            self.errors = exc.errors
            self.shown = dict(exc.errors)
            return
        except svc.PolicyNotFound:
            self.save_error = "This policy was deleted meanwhile: nothing was saved."
            return
        except Exception as exc:  # the database refused: keep everything typed
            self.save_error = f"The policy could not be saved: {type(exc).__name__}. Try again."
            return
        self.is_open = False
        if self.mode == "create":
            return [rx.redirect(routes.policy_url(slug)), ToastState.show("success", f'Policy "{name}" created')]
        reload = PolicyDetailsState.load if self.origin == "details" else PoliciesState.load
        return [reload, ToastState.show("success", f'Policy "{name}" saved')]

    # Views -----------------------------------------------------------------------------
    @rx.var
    def title(self) -> str:
        return "Create policy" if self.mode == "create" else "Edit policy"

    @rx.var
    def save_label(self) -> str:
        return "Create" if self.mode == "create" else "Save"

    @rx.var
    def id_helper(self) -> str:
        if self.mode == "edit":
            return f"Policy ID: {self.policy_id_preview} (the ID does not change)"
        if self.policy_id_preview:
            return f"Policy ID: {self.policy_id_preview}"
        return "The policy ID is made from the name: lowercase, with dashes for spaces."

    @rx.var
    def model_select(self) -> list[dict]:
        return [{**o, "selected": o["value"] in self.model_ids} for o in self.model_options]

    @rx.var
    def mcp_server_select(self) -> list[dict]:
        return [{**o, "selected": o["value"] in self.mcp_server_ids} for o in self.mcp_server_options]

    @rx.var
    def group_select(self) -> list[dict]:
        return [{**o, "selected": o["value"] in self.group_ids} for o in self.group_options]

    @rx.var
    def user_select(self) -> list[dict]:
        return [{**o, "selected": o["value"] in self.user_ids} for o in self.user_options]

    @rx.var
    def service_account_select(self) -> list[dict]:
        return [{**o, "selected": o["value"] in self.service_account_ids} for o in self.service_account_options]


S = PolicyFormState


# Pieces ---------------------------------------------------------------------------------
def _error(field: str) -> rx.Component:
    return rx.cond(
        S.shown[field],
        pf.FormHelperText.create(
            pf.HelperText.create(pf.HelperTextItem.create(S.shown[field], variant="error", id=f"policy-{field}-error"))
        ),
    )


def _helper(text: str | rx.Var, field: str | None = None) -> rx.Component:
    item = pf.FormHelperText.create(pf.HelperText.create(pf.HelperTextItem.create(text)))
    if field is None:
        return item
    return rx.cond(S.shown[field], _error(field), item)


def _validated(field: str) -> rx.Var:
    return rx.cond(S.shown[field], "error", "default")


def _text(field: str, label: str, *, value: rx.Var, placeholder: str = "", input_type: str = "text") -> rx.Component:
    return pf.TextInput.create(
        id=f"policy-{field}",
        default_value=value,
        type=input_type,
        placeholder=placeholder,
        aria_label=label,
        validated=_validated(field),
        on_change=lambda v: S.set_text(field, v),
    )


def _unit_select(field: str, label: str, value: rx.Var) -> rx.Component:
    return pf.FormSelect.create(
        *[pf.FormSelectOption.create(value=v, label=text) for v, text in UNIT_OPTIONS],
        value=value,
        aria_label=label,
        on_change=lambda v: S.set_text(field, v),
    )


def _multi(field: str, options: rx.Var, placeholder: str | rx.Var, selected: rx.Var) -> rx.Component:
    return pf.MultiTypeaheadSelect.create(
        initial_options=options,
        placeholder=placeholder,
        no_options_found_message="No match",
        on_selection_change=lambda v: S.set_choice(field, v),
        toggle_props={"id": f"policy-{field}-toggle"},
    )


def _all_or_more(selected: rx.Var) -> rx.Var:
    return rx.cond(selected.length() > 0, "Add more", "All")


def _rate_row(prefix: str, noun: str, label: str) -> rx.Component:
    limit, value, unit = (getattr(S, f"{prefix}_limit"), getattr(S, f"{prefix}_window_value"),
                          getattr(S, f"{prefix}_window_unit"))
    return pf.FormGroup.create(
        pf.Flex.create(
            pf.FlexItem.create(_text(f"{prefix}_limit", label, value=limit, placeholder="No limit"),
                               style={"width": "10rem"}),
            pf.FlexItem.create(pf.Content.create(f"{noun} per", component="small")),
            pf.FlexItem.create(_text(f"{prefix}_window_value", f"{label} period count", value=value),
                               style={"width": "5rem"}),
            pf.FlexItem.create(_unit_select(f"{prefix}_window_unit", f"{label} period", unit)),
            align_items={"default": "alignItemsCenter"},
            space_items={"default": "spaceItemsSm"},
            flex_wrap={"default": "nowrap"},
        ),
        _error(f"{prefix}_limit"),
        _error(f"{prefix}_window_value"),
        label=label,
        field_id=f"policy-{prefix}_limit",
        role="group",
    )


def _time_limit() -> rx.Component:
    return pf.FormGroup.create(
        pf.Radio.create(
            id="policy-time-none", name="policy-time-mode", label="None", value="none",
            is_checked=S.time_mode == "none", on_change=lambda _v: S.set_text("time_mode", "none"),
        ),
        pf.Radio.create(
            id="policy-time-window", name="policy-time-mode", label="Only between a start and an end time (UTC)",
            value="window", is_checked=S.time_mode == "window", on_change=lambda _v: S.set_text("time_mode", "window"),
        ),
        rx.cond(
            S.time_mode == "window",
            rx.el.div(pf.Flex.create(
                pf.FlexItem.create(pf.TimePicker.create(
                    time=S.time_start, is24_hour=True, placeholder="HH:MM", aria_label="Start time",
                    on_change=lambda v: S.set_text("time_start", v),
                )),
                pf.FlexItem.create(pf.Content.create("to", component="small")),
                pf.FlexItem.create(pf.TimePicker.create(
                    time=S.time_end, is24_hour=True, placeholder="HH:MM", aria_label="End time",
                    on_change=lambda v: S.set_text("time_end", v),
                )),
                align_items={"default": "alignItemsCenter"},
                space_items={"default": "spaceItemsSm"},
            ), class_name="pf-v6-u-ml-lg"),
        ),
        _error("time_start"),
        _error("time_end"),
        label="Time limit",
        field_id="policy-time",
        role="radiogroup",
        is_stack=True,
    )


def _over_limit() -> rx.Component:
    return pf.FormGroup.create(
        pf.Radio.create(
            id="policy-over-hard", name="policy-over-limit", label="Hard throttle: reject (HTTP 429)", value="hard",
            is_checked=S.over_limit_behavior == "hard", on_change=lambda _v: S.set_text("over_limit_behavior", "hard"),
        ),
        pf.Radio.create(
            id="policy-over-soft", name="policy-over-limit", label="Soft throttle: allow and flag", value="soft",
            is_checked=S.over_limit_behavior == "soft", on_change=lambda _v: S.set_text("over_limit_behavior", "soft"),
        ),
        label="Over-limit behavior",
        field_id="policy-over-limit",
        role="radiogroup",
        is_stack=True,
    )


def _form_body() -> rx.Component:
    return pf.Form.create(
        rx.cond(S.save_error, pf.Alert.create(variant="danger", is_inline=True, title=S.save_error, component="p")),
        pf.FormGroup.create(
            _text("name", "Name", value=S.name),
            _helper(S.id_helper, "name"),
            label="Name", is_required=True, field_id="policy-name",
        ),
        _error("policy_id"),
        pf.FormGroup.create(
            pf.TextArea.create(
                id="policy-description", default_value=S.description, aria_label="Description",
                placeholder="Describe the policy's purpose", rows=2,
                validated=_validated("description"),
                on_change=lambda v: S.set_text("description", v),
            ),
            _error("description"),
            label="Description", field_id="policy-description",
        ),
        pf.FormSection.create(
            pf.FormGroup.create(
                _multi("model_ids", S.model_select, _all_or_more(S.model_ids), S.model_ids),
                _helper("All: the policy is not restricted to some models.", "model_ids"),
                label="Models", field_id="policy-models", role="group",
            ),
            pf.FormGroup.create(
                _multi("mcp_server_ids", S.mcp_server_select, _all_or_more(S.mcp_server_ids), S.mcp_server_ids),
                _helper("All: the policy is not restricted to some MCP servers.", "mcp_server_ids"),
                label="MCP servers & tools", field_id="policy-mcp-servers", role="group",
            ),
            title="Available assets", title_element="h2",
        ),
        pf.FormSection.create(
            rx.cond(
                S.shown["limits"],
                pf.HelperText.create(pf.HelperTextItem.create(S.shown["limits"], variant="error", id="policy-limits-error")),
            ),
            _rate_row("token", "tokens", "Token limit"),
            _rate_row("request", "requests", "Rate limit"),
            _time_limit(),
            pf.FormGroup.create(
                pf.Flex.create(
                    pf.FlexItem.create(pf.Content.create("$", component="small")),
                    pf.FlexItem.create(_text("budget_usd", "Budget", value=S.budget_usd, placeholder="No budget"),
                                       style={"width": "10rem"}),
                    pf.FlexItem.create(pf.Content.create("per month", component="small")),
                    align_items={"default": "alignItemsCenter"},
                    space_items={"default": "spaceItemsSm"},
                    flex_wrap={"default": "nowrap"},
                ),
                _helper("Enforced by the console: Kuadrant has no dollar budgets.", "budget_usd"),
                label="Budget", field_id="policy-budget_usd", role="group",
            ),
            _over_limit(),
            title="Limits", title_element="h2",
        ),
        pf.FormSection.create(
            pf.FormGroup.create(
                _multi("group_ids", S.group_select, "Select groups", S.group_ids),
                _helper(GROUPS_HELP, "group_ids"),
                label="Groups", field_id="policy-groups", role="group",
            ),
            pf.FormGroup.create(
                _multi("user_ids", S.user_select, "Select users", S.user_ids),
                _error("user_ids"),
                label="Users", field_id="policy-users", role="group",
            ),
            pf.FormGroup.create(
                _multi("service_account_ids", S.service_account_select, "Select service accounts",
                       S.service_account_ids),
                _error("service_account_ids"),
                label="Service accounts", field_id="policy-service-accounts", role="group",
            ),
            rx.cond(
                S.warnings["targets"],
                pf.HelperText.create(pf.HelperTextItem.create(S.warnings["targets"], variant="warning",
                                                              id="policy-targets-warning")),
            ),
            title="Targets", title_element="h2",
        ),
        id="policy-form",
        key=S.form_key,
    )


def policy_form_modal() -> rx.Component:
    return pf.Modal.create(
        pf.ModalHeader.create(title=S.title, label_id="policy-modal-title"),
        pf.ModalBody.create(rx.cond(S.is_open, _form_body())),
        pf.ModalFooter.create(
            pf.Button.create(S.save_label, variant="primary", on_click=S.save, is_loading=S.saving,
                             id="policy-save"),
            pf.Button.create("Cancel", variant="link", on_click=S.close),
        ),
        is_open=S.is_open,
        on_close=S.close,
        variant="medium",
        aria_labelledby="policy-modal-title",
    )
