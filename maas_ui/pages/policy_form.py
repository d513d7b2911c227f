"""The Create / Edit policy modal (PF6 Modal), hosted by the Policies list and a policy's details page.

The form is `PolicyFormState` on the shared form-state base (components.form_state): each host declares
its own state from it, saying what happens once the policy is saved, and renders
`policy_form_modal(its state)`. Rules are the domain's (domain.policies, domain.inputs): messages
appear under a field once it was changed or a save was attempted. The other policies' names and IDs
are read when the modal opens and when the name loses focus (not per keystroke); the service checks
everything again on save. The Limits section is built from the table of limit kinds (domain.limits).
"""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.form_state import FormRejected, FormState, ItemGone, Saved, form_footer
from maas_ui.domain import inputs
from maas_ui.domain import policies as dom
from maas_ui.domain import renewals
from maas_ui.domain.limits import BUDGET, LIMIT_KINDS, TIME_WINDOW, LimitKind
from maas_ui.domain.roles import PermissionDenied
from maas_ui.identity import acting_user
from maas_ui.services import policies as svc

UNIT_OPTIONS = [("minute", "minute"), ("hour", "hour"), ("day", "day")]
RENEWAL_FIELDS = ("renewal_kind", "renewal_day", "renewal_weekday", "renewal_start", "renewal_end",
                  "renewal_timezone")
RENEWAL_OPTIONS = [(k, renewals.RENEWAL_LABELS[k]) for k in renewals.RENEWAL_KINDS]
GROUPS_HELP = "This policy will apply to all users in these groups."
_GONE = "This policy was deleted meanwhile: nothing was saved."
_WINDOWED = [k for k in LIMIT_KINDS if k.windowed]
_CHOICE_FIELDS = ("model_ids", "mcp_server_ids", "group_ids", "user_ids", "service_account_ids")
_TEXT_FIELDS = (
    "name", "description", "policy_id",
    *[f"{k.field_prefix}_{part}" for k in _WINDOWED for part in ("limit", "window_value", "window_unit")],
    "budget_usd", "time_mode", "time_start", "time_end", "over_limit_behavior",
    *RENEWAL_FIELDS,
)
_LIMIT_FIELDS = {f"{k.field_prefix}_limit" for k in _WINDOWED} | {"budget_usd", "time_mode"}


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if str(v).isascii() and str(v).isdigit()]


def _options(options) -> list[dict[str, str]]:
    return [{"value": str(o.id), "content": o.label} for o in options]


def go_to_policy(saved: Saved):
    """What a host usually does once a policy is created: show its details page."""
    return rx.redirect(routes.policy_url(saved.id))


class PolicyFormState(FormState, mixin=True):
    """The policy form. A host subclasses it with `rx.State` and says what follows a save."""

    options: dict[str, list[dict[str, str]]] = {f: [] for f in _CHOICE_FIELDS}
    taken_names: list[str] = []  # the other policies' names and IDs, read on opening and on blur
    taken_ids: list[str] = []
    policy_id_preview: str = ""
    warnings: dict[str, str] = {}

    # The form's part of FormState ---------------------------------------------------------
    def _text_fields(self) -> tuple[str, ...]:
        return _TEXT_FIELDS

    def _choice_fields(self) -> tuple[str, ...]:
        return _CHOICE_FIELDS

    def _database_fields(self) -> tuple[str, ...]:
        return ("name", "policy_id")

    def _noun(self) -> str:
        return "policy"

    def _success_message(self, saved: Saved) -> str:
        return f'Policy "{saved.name}" {"created" if saved.created else "saved"}'

    def _visible(self, touched: set[str]) -> set[str]:
        visible = set(touched)
        # A limit's window goes with its limit; "no limit at all" shows once any limit was touched.
        for k in _WINDOWED:
            if f"{k.field_prefix}_limit" in visible:
                visible |= {f"{k.field_prefix}_window_value", f"{k.field_prefix}_window_unit"}
        if visible & _LIMIT_FIELDS:
            visible.add("limits")
        if visible & {"time_start", "time_end"}:
            visible |= {"time_start", "time_end"}
        if "name" in visible:
            visible.add("policy_id")
        if visible & {"budget_usd", *RENEWAL_FIELDS}:
            visible |= set(RENEWAL_FIELDS)
        return visible

    def _form(self) -> dom.PolicyForm:
        v, c = self.values, self.choices
        limits = {f"{k.field_prefix}_{part}": v.get(f"{k.field_prefix}_{part}", "")
                  for k in _WINDOWED for part in ("limit", "window_value", "window_unit")}
        return dom.PolicyForm(
            name=v.get("name", ""), description=v.get("description", ""),
            policy_id="" if self.editing else v.get("policy_id", ""),
            model_ids=_ids(c.get("model_ids", [])), mcp_server_ids=_ids(c.get("mcp_server_ids", [])),
            **limits,
            budget_usd=v.get("budget_usd", ""), time_limit=v.get("time_mode") == "window",
            time_start=v.get("time_start", ""), time_end=v.get("time_end", ""),
            over_limit_behavior=v.get("over_limit_behavior", "hard"),
            group_ids=_ids(c.get("group_ids", [])), user_ids=_ids(c.get("user_ids", [])),
            service_account_ids=_ids(c.get("service_account_ids", [])),
            **{f: v.get(f, "") for f in RENEWAL_FIELDS},
        )

    def _validate(self) -> dict[str, str]:
        form = self._form()
        self.warnings = dom.form_warnings(form)
        if not self.editing:
            self.policy_id_preview = (form.policy_id.strip()
                                      or dom.derive_policy_id(inputs.clean_name(form.name), self.taken_ids))
        return dom.validate_policy_form(form, taken_names=self.taken_names, taken_ids=self.taken_ids,
                                        needs_id=not self.editing)

    def _check_database(self) -> None:
        try:
            self.taken_names, self.taken_ids = svc.taken_names_and_ids(self.editing or None, actor=acting_user(self))
        except PermissionDenied:  # the save says so; nothing to check against
            self.taken_names, self.taken_ids = [], []

    def _save(self) -> Saved:
        form = self._form()
        try:
            if self.editing:
                slug = svc.update_policy(self.editing, form, actor=acting_user(self))
            else:
                slug = svc.create_policy(form, actor=acting_user(self))
        except svc.ValidationError as exc:
            raise FormRejected(exc.errors) from exc
        except svc.PolicyNotFound as exc:
            raise ItemGone(_GONE) from exc
        except PermissionDenied as exc:  # nothing was saved; the service says why
            raise ItemGone(exc.message) from exc
        return Saved(slug, inputs.clean_name(form.name), created=not self.editing)

    # Opening ------------------------------------------------------------------------------
    def _open(self, f: dom.PolicyForm, editing: str) -> None:
        limits = {f"{k.field_prefix}_{part}": getattr(f, f"{k.field_prefix}_{part}")
                  for k in _WINDOWED for part in ("limit", "window_value", "window_unit")}
        self.policy_id_preview = editing
        self._start(
            {"name": f.name, "description": f.description, "policy_id": "", **limits,
             "budget_usd": f.budget_usd, "time_mode": "window" if f.time_limit else "none",
             "time_start": f.time_start, "time_end": f.time_end, "over_limit_behavior": f.over_limit_behavior,
             **{field: getattr(f, field) for field in RENEWAL_FIELDS}},
            {field: [str(i) for i in getattr(f, field)] for field in _CHOICE_FIELDS},
            editing=editing,
        )

    def _set_options(self, o: svc.FormOptions) -> None:
        self.options = {"model_ids": _options(o.models), "mcp_server_ids": _options(o.mcp_servers),
                        "group_ids": _options(o.groups), "user_ids": _options(o.users),
                        "service_account_ids": _options(o.service_accounts)}

    @rx.event
    def open_create(self):
        from maas_ui.components.toasts import danger

        try:
            self._set_options(svc.form_options(actor=acting_user(self)))
        except PermissionDenied as denied:
            return danger(denied.message)
        self._open(dom.PolicyForm(), editing="")

    @rx.event
    def open_edit(self, slug: str):
        from maas_ui.components.toasts import danger

        try:
            form, options = svc.edit_form(slug, actor=acting_user(self))
        except svc.PolicyNotFound:
            return danger("That policy no longer exists.")
        except PermissionDenied as denied:
            return danger(denied.message)
        self._set_options(options)
        self._open(form, editing=slug)

    # Views --------------------------------------------------------------------------------
    @rx.var
    def title(self) -> str:
        return "Edit policy" if self.editing else "Create policy"

    @rx.var
    def save_label(self) -> str:
        return "Save" if self.editing else "Create"

    @rx.var
    def id_helper(self) -> str:
        if self.editing:
            return f"Policy ID: {self.policy_id_preview} (the ID does not change)"
        if self.policy_id_preview:
            return f"Policy ID: {self.policy_id_preview}"
        if inputs.clean_name(self.values.get("name", "")):
            return "This name has no Latin letters or digits to make the policy ID from: enter an ID below."
        return "The policy ID is made from the name: lowercase, with dashes for spaces."

    @rx.var
    def asks_for_id(self) -> bool:
        """A new policy whose name gives no ID (no Latin letter or digit), or whose ID was typed."""
        return not self.editing and bool(self.values.get("policy_id") or (
            inputs.clean_name(self.values.get("name", "")) and not dom.slugify(self.values.get("name", ""))))

    @rx.var
    def selects(self) -> dict[str, list[dict]]:
        return {f: [{**o, "selected": o["value"] in self.choices.get(f, [])} for o in opts]
                for f, opts in self.options.items()}


# Pieces ---------------------------------------------------------------------------------
def _error(s: type[PolicyFormState], field: str) -> rx.Component:
    return rx.cond(
        s.shown[field],
        pf.FormHelperText.create(
            pf.HelperText.create(pf.HelperTextItem.create(s.shown[field], variant="error", id=f"policy-{field}-error"))
        ),
    )


def _helper(s: type[PolicyFormState], text: str | rx.Var, field: str | None = None) -> rx.Component:
    item = pf.FormHelperText.create(pf.HelperText.create(pf.HelperTextItem.create(text)))
    if field is None:
        return item
    return rx.cond(s.shown[field], _error(s, field), item)


def _validated(s: type[PolicyFormState], field: str) -> rx.Var:
    return rx.cond(s.shown[field], "error", "default")


def _text(s: type[PolicyFormState], field: str, label: str, *, placeholder: str = "",
          input_type: str = "text") -> rx.Component:
    return pf.TextInput.create(
        id=f"policy-{field}",
        default_value=s.values[field],
        type=input_type,
        placeholder=placeholder,
        aria_label=label,
        validated=_validated(s, field),
        on_change=lambda v: s.set_field(field, v),
        on_blur=s.blur(field),
    )


def _unit_select(s: type[PolicyFormState], field: str, label: str) -> rx.Component:
    return pf.FormSelect.create(
        *[pf.FormSelectOption.create(value=v, label=text) for v, text in UNIT_OPTIONS],
        value=s.values[field],
        aria_label=label,
        on_change=lambda v: s.set_field(field, v),
    )


def _multi(s: type[PolicyFormState], field: str, label: str, placeholder: str | rx.Var) -> rx.Component:
    return pf.MultiTypeaheadSelect.create(
        initial_options=s.selects[field],
        placeholder=placeholder,
        no_options_found_message="No match",
        label=label,
        on_selection_change=lambda v: s.set_choice(field, v),
        toggle_props={"id": f"policy-{field}-toggle", "aria-label": label},
    )


def _all_or_more(s: type[PolicyFormState], field: str) -> rx.Var:
    return rx.cond(s.choices[field].length() > 0, "Add more", "All")


# One renderer per shape of limit kind; the section lists the kinds from domain.limits.
def _windowed_limit(s: type[PolicyFormState], kind: LimitKind) -> rx.Component:
    prefix, label = kind.field_prefix, kind.label
    return pf.FormGroup.create(
        pf.Flex.create(
            pf.FlexItem.create(_text(s, f"{prefix}_limit", label, placeholder="No limit"), style={"width": "10rem"}),
            pf.FlexItem.create(pf.Content.create(f"{kind.noun} per", component="small")),
            pf.FlexItem.create(_text(s, f"{prefix}_window_value", f"{label} period count"), style={"width": "5rem"}),
            pf.FlexItem.create(_unit_select(s, f"{prefix}_window_unit", f"{label} period")),
            align_items={"default": "alignItemsCenter"},
            space_items={"default": "spaceItemsSm"},
            flex_wrap={"default": "nowrap"},
        ),
        _error(s, f"{prefix}_limit"),
        _error(s, f"{prefix}_window_value"),
        label=label,
        field_id=f"policy-{prefix}_limit",
        role="group",
    )


def _time_window_limit(s: type[PolicyFormState], kind: LimitKind) -> rx.Component:
    def radio(mode: str, label: str) -> rx.Component:
        return pf.Radio.create(
            id=f"policy-time-{mode}", name="policy-time-mode", label=label, value=mode,
            is_checked=s.values["time_mode"] == mode, on_change=lambda _v: s.set_field("time_mode", mode),
        )

    def picker(field: str, label: str) -> rx.Component:
        return pf.TimePicker.create(time=s.values[field], is24_hour=True, placeholder="HH:MM", aria_label=label,
                                    on_change=lambda v: s.set_field(field, v))

    return pf.FormGroup.create(
        radio("none", "None"),
        radio("window", "Only between a start and an end time (UTC)"),
        rx.cond(
            s.values["time_mode"] == "window",
            rx.el.div(pf.Flex.create(
                pf.FlexItem.create(picker("time_start", "Start time")),
                pf.FlexItem.create(pf.Content.create("to", component="small")),
                pf.FlexItem.create(picker("time_end", "End time")),
                align_items={"default": "alignItemsCenter"},
                space_items={"default": "spaceItemsSm"},
            ), class_name="pf-v6-u-ml-lg"),
        ),
        _error(s, "time_start"),
        _error(s, "time_end"),
        label=kind.label,
        field_id="policy-time",
        role="radiogroup",
        is_stack=True,
    )


def _select(s: type[PolicyFormState], field: str, label: str, options: list[tuple[str, str]]) -> rx.Component:
    return pf.FormSelect.create(
        *[pf.FormSelectOption.create(value=v, label=text) for v, text in options],
        value=s.values[field], aria_label=label, on_change=lambda v: s.set_field(field, v),
    )


def _renewal(s: type[PolicyFormState]) -> rx.Component:
    """When the budget starts over: monthly on a day, weekly on a weekday, or a fixed date range."""
    kind = s.values["renewal_kind"]
    return rx.cond(
        s.values["budget_usd"] != "",
        rx.el.div(
            pf.Flex.create(
                pf.FlexItem.create(pf.Content.create("Renews", component="small")),
                pf.FlexItem.create(_select(s, "renewal_kind", "Budget renewal", RENEWAL_OPTIONS)),
                rx.cond(kind == "monthly", pf.FlexItem.create(
                    pf.Content.create("on day", component="small"))),
                rx.cond(kind == "monthly", pf.FlexItem.create(
                    _text(s, "renewal_day", "Renewal day of the month"), style={"width": "5rem"})),
                rx.cond(kind == "weekly", pf.FlexItem.create(_select(
                    s, "renewal_weekday", "Renewal weekday", [(str(i), d) for i, d in enumerate(renewals.WEEKDAYS)]))),
                rx.cond(kind == "fixed", pf.FlexItem.create(
                    _text(s, "renewal_start", "First day", placeholder="YYYY-MM-DD"), style={"width": "9rem"})),
                rx.cond(kind == "fixed", pf.FlexItem.create(pf.Content.create("to", component="small"))),
                rx.cond(kind == "fixed", pf.FlexItem.create(
                    _text(s, "renewal_end", "Last day", placeholder="YYYY-MM-DD"), style={"width": "9rem"})),
                pf.FlexItem.create(pf.Content.create("time zone", component="small")),
                pf.FlexItem.create(_text(s, "renewal_timezone", "Renewal time zone", placeholder="UTC"),
                                   style={"width": "11rem"}),
                align_items={"default": "alignItemsCenter"},
                space_items={"default": "spaceItemsSm"},
            ),
            *[_error(s, f) for f in RENEWAL_FIELDS],
            class_name="pf-v6-u-mt-sm",
        ),
    )


def _budget_limit(s: type[PolicyFormState], kind: LimitKind) -> rx.Component:
    enforced = "" if kind.kuadrant_kind else " Enforced by the console: Kuadrant has no dollar budgets."
    return pf.FormGroup.create(
        pf.Flex.create(
            pf.FlexItem.create(pf.Content.create("$", component="small")),
            pf.FlexItem.create(_text(s, "budget_usd", kind.label, placeholder="No budget"), style={"width": "10rem"}),
            pf.FlexItem.create(pf.Content.create("per period", component="small")),
            align_items={"default": "alignItemsCenter"},
            space_items={"default": "spaceItemsSm"},
            flex_wrap={"default": "nowrap"},
        ),
        _renewal(s),
        _helper(s, kind.help + enforced, "budget_usd"),
        label=kind.label, field_id="policy-budget_usd", role="group",
    )


def _limit_group(s: type[PolicyFormState], kind: LimitKind) -> rx.Component:
    if kind.windowed:
        return _windowed_limit(s, kind)
    if kind is TIME_WINDOW:
        return _time_window_limit(s, kind)
    if kind is BUDGET:
        return _budget_limit(s, kind)
    raise ValueError(f"no form renderer for the limit kind {kind.name!r}")


def _over_limit(s: type[PolicyFormState]) -> rx.Component:
    def radio(value: str, label: str) -> rx.Component:
        return pf.Radio.create(
            id=f"policy-over-{value}", name="policy-over-limit", label=label, value=value,
            is_checked=s.values["over_limit_behavior"] == value,
            on_change=lambda _v: s.set_field("over_limit_behavior", value),
        )

    return pf.FormGroup.create(
        radio("hard", "Hard throttle: reject (HTTP 429)"),
        radio("soft", "Soft throttle: allow and flag"),
        label="Over-limit behavior",
        field_id="policy-over-limit",
        role="radiogroup",
        is_stack=True,
    )


def _choice_group(s: type[PolicyFormState], field: str, label: str, field_id: str, placeholder, help_text: str = ""):
    return pf.FormGroup.create(
        _multi(s, field, label, placeholder),
        _helper(s, help_text, field) if help_text else _error(s, field),
        label=label, field_id=field_id, role="group",
    )


def _form_body(s: type[PolicyFormState]) -> rx.Component:
    return pf.Form.create(
        rx.cond(s.save_error, pf.Alert.create(variant="danger", is_inline=True, title=s.save_error, component="p")),
        pf.FormGroup.create(
            _text(s, "name", "Name"),
            _helper(s, s.id_helper, "name"),
            label="Name", is_required=True, field_id="policy-name",
        ),
        rx.cond(
            s.asks_for_id,
            pf.FormGroup.create(
                _text(s, "policy_id", "Policy ID", placeholder="e.g. finance-limits"),
                _helper(s, "Lowercase letters a-z, digits and dashes; used in manifests and URLs.", "policy_id"),
                label="Policy ID", is_required=True, field_id="policy-policy_id",
            ),
            _error(s, "policy_id"),
        ),
        pf.FormGroup.create(
            pf.TextArea.create(
                id="policy-description", default_value=s.values["description"], aria_label="Description",
                placeholder="Describe the policy's purpose", rows=2,
                validated=_validated(s, "description"),
                on_change=lambda v: s.set_field("description", v),
            ),
            _error(s, "description"),
            label="Description", field_id="policy-description",
        ),
        pf.FormSection.create(
            _choice_group(s, "model_ids", "Models", "policy-models", _all_or_more(s, "model_ids"),
                          "All: the policy is not restricted to some models."),
            _choice_group(s, "mcp_server_ids", "MCP servers & tools", "policy-mcp-servers",
                          _all_or_more(s, "mcp_server_ids"), "All: the policy is not restricted to some MCP servers."),
            title="Available assets", title_element="h2",
        ),
        pf.FormSection.create(
            rx.cond(
                s.shown["limits"],
                pf.HelperText.create(pf.HelperTextItem.create(s.shown["limits"], variant="error",
                                                              id="policy-limits-error")),
            ),
            *[_limit_group(s, kind) for kind in LIMIT_KINDS],
            _over_limit(s),
            title="Limits", title_element="h2",
        ),
        pf.FormSection.create(
            _choice_group(s, "group_ids", "Groups", "policy-groups", "Select groups", GROUPS_HELP),
            _choice_group(s, "user_ids", "Users", "policy-users", "Select users"),
            _choice_group(s, "service_account_ids", "Service accounts", "policy-service-accounts",
                          "Select service accounts"),
            rx.cond(
                s.warnings["targets"],
                pf.HelperText.create(pf.HelperTextItem.create(s.warnings["targets"], variant="warning",
                                                              id="policy-targets-warning")),
            ),
            title="Targets", title_element="h2",
        ),
        id="policy-form",
        on_submit=[rx.prevent_default, s.submit],
        key=s.form_key,
    )


def policy_form_modal(s: type[PolicyFormState]) -> rx.Component:
    """The modal of host state `s`. It discards its draft whenever the host page is left or entered."""
    return pf.Modal.create(
        pf.ModalHeader.create(title=s.title, label_id="policy-modal-title"),
        pf.ModalBody.create(rx.cond(s.is_open, _form_body(s))),
        form_footer(s, s.save_label, id_prefix="policy"),
        is_open=s.is_open,
        on_close=s.close,
        on_mount=s.discard,
        on_unmount=s.discard,
        variant="medium",
        aria_labelledby="policy-modal-title",
    )
