"""Add asset (PF6 Wizard in a Modal) and Edit asset (PF6 Modal form), hosted by the catalog and an
asset's page. One form state (`AssetFormState`, on the shared FormState base); each host declares
its own state from it and says what follows a save. The steps and choices iterate over the domain's
tables (domain.assets.ASSET_KIND_DEFS, PROVIDERS).

The provider credential is typed into a password field and sent to the server once; it is never
read back: editing shows a mask as the placeholder, and an empty field keeps the stored one.
"""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.form_state import FormRejected, FormState, ItemGone, Saved, form_footer
from maas_ui.domain import assets as dom
from maas_ui.domain.inputs import fold
from maas_ui.services import assets as svc
from maas_ui.identity import acting_user

_FIELDS = (dom.KIND, dom.PROVIDER, dom.NAME, dom.IDENTIFIERS, dom.BASE_URL, dom.CREDENTIAL, dom.PRICE_IN,
           dom.PRICE_OUT, dom.CONTEXT, dom.OWNER, dom.DESCRIPTION)
# The wizard's steps: (id, title, the fields whose problems keep Next disabled).
STEPS = [
    ("kind", "Asset type", (dom.KIND,)),
    ("source", "Source", (dom.PROVIDER,)),
    ("connection", "Connection", (dom.NAME, dom.IDENTIFIERS, dom.BASE_URL, dom.CREDENTIAL)),
    ("pricing", "Pricing and details", (dom.PRICE_IN, dom.PRICE_OUT, dom.CONTEXT, dom.OWNER, dom.DESCRIPTION)),
    ("review", "Review", _FIELDS),
]
_GONE = "This asset no longer exists. It may have been deleted meanwhile."


def go_to_asset(saved: Saved):
    return rx.redirect(saved.id)  # a host passes the details URL as the saved id


class AssetFormState(FormState, mixin=True):
    taken_names: list[str] = []  # folded names of other live assets
    taken_ids: list[str] = []
    credential_stored: bool = False
    editing_kind: str = "model"
    testing: bool = False
    tested: bool = False
    connection_ok: bool = False
    connection_message: str = ""
    listed_models: list[str] = []

    # FormState ----------------------------------------------------------------------------
    def _text_fields(self) -> tuple[str, ...]:
        return _FIELDS

    def _database_fields(self) -> tuple[str, ...]:
        return (dom.NAME, dom.IDENTIFIERS)

    def _noun(self) -> str:
        return "asset"

    def _raw(self) -> dom.AssetFormInput:
        v = self.values
        return dom.AssetFormInput(**{f: v.get(f, "") for f in _FIELDS})

    def _validate(self) -> dict[str, str]:
        names, ids = set(self.taken_names), set(self.taken_ids)
        idents = tuple(dom.split_identifiers(self.values.get(dom.IDENTIFIERS, "")))
        _data, errors = dom.validate_asset_form(
            self._raw(), editing=bool(self.editing),
            name_taken=lambda n: any(fold(x) in names for x, _ in dom.asset_names(n, idents or ("",))),
            identifier_taken=lambda i: i in ids, credential_stored=self.credential_stored)
        return errors

    def _check_database(self) -> None:
        self.taken_names, self.taken_ids = svc.taken(actor=acting_user(self), exclude=self.editing)

    def _save(self) -> Saved:
        raw = self._raw()
        try:
            if self.editing:
                ident = svc.update_asset(self.editing, raw, actor=acting_user(self))
                return Saved(self._href(ident), raw.name.strip(), created=False)
            made = svc.create_assets(raw, actor=acting_user(self))
        except svc.AssetFormInvalid as exc:
            raise FormRejected(exc.errors) from exc
        except svc.AssetNotFound as exc:
            raise ItemGone(_GONE) from exc
        finally:
            self.values = {**self.values, dom.CREDENTIAL: ""}  # never kept after a save attempt
        name = raw.name.strip() if len(made) == 1 else f"{raw.name.strip()} ({len(made)} models)"
        return Saved(self._href(made[0]), name, created=True)

    def _href(self, identifier: str) -> str:
        page = svc.asset_page(identifier, actor=acting_user(self))
        return page.detail.href if page else routes.AI_ASSETS

    # Opening ------------------------------------------------------------------------------
    def _reset_connection(self) -> None:
        self.testing, self.tested, self.connection_ok, self.connection_message, self.listed_models = (
            False, False, False, "", [])

    @rx.event
    def open_create(self):
        self.credential_stored, self.editing_kind = False, "model"
        self._reset_connection()
        self._start({f: "" for f in _FIELDS} | {dom.KIND: "model", dom.PROVIDER: "internal"}, {})

    @rx.event
    def open_edit(self, identifier: str):
        try:
            values, stored = svc.form_values(identifier, actor=acting_user(self))
        except svc.AssetNotFound:
            from maas_ui.components import toasts

            return toasts.danger("This asset no longer exists.")
        self.credential_stored, self.editing_kind = stored, values.kind
        self._reset_connection()
        self._start({f: getattr(values, f) for f in _FIELDS}, {}, editing=values.identifiers)

    @rx.event
    def close(self):
        self.is_open, self.saving = False, False
        self.values = {**self.values, dom.CREDENTIAL: ""}

    # Choices ------------------------------------------------------------------------------
    @rx.event
    def choose_kind(self, kind: str):
        if kind in dom.KIND_BY_VALUE and self.is_open and not self.editing:
            provider = self.values.get(dom.PROVIDER, "internal")
            if not dom.kind_def(kind).can_use_provider:
                provider = "internal"
            self.values = {**self.values, dom.KIND: kind, dom.PROVIDER: provider}
            self._refresh()

    @rx.event
    def choose_provider(self, value: str):
        if value not in dom.PROVIDER_BY_VALUE or not self.is_open:
            return
        p = dom.provider_def(value)
        url = self.values.get(dom.BASE_URL, "")
        if not url or url in {q.default_base_url for q in dom.PROVIDERS}:
            url = p.default_base_url
        self.values = {**self.values, dom.PROVIDER: value, dom.BASE_URL: url}
        self._reset_connection()
        self._refresh()

    @rx.event
    def toggle_model(self, model_id: str, checked: bool):
        ids = dom.split_identifiers(self.values.get(dom.IDENTIFIERS, ""))
        if checked and model_id not in ids:
            ids.append(model_id)
        elif not checked:
            ids = [i for i in ids if i != model_id]
        self.values = {**self.values, dom.IDENTIFIERS: ", ".join(ids)}
        self._touch(dom.IDENTIFIERS)
        self._refresh()

    @rx.event
    def test_connection(self):
        """Ask the provider for its models list with what is typed (or the stored credential). Saves nothing."""
        if self.testing or not self.is_open:
            return
        self.testing, self.tested = True, False
        yield
        credential = self.values.get(dom.CREDENTIAL, "").strip()
        if not credential and self.editing and self.credential_stored:
            credential = svc.stored_credential(self.editing, actor=acting_user(self))
        result = svc.check_connection(self.values.get(dom.PROVIDER, ""), self.values.get(dom.BASE_URL, ""),
                                      credential)
        self.testing, self.tested = False, True
        self.connection_ok, self.connection_message, self.listed_models = result.ok, result.message, result.model_ids

    # Views --------------------------------------------------------------------------------
    @rx.var
    def is_external(self) -> bool:
        return dom.provider_def(self.values.get(dom.PROVIDER, "")).external

    @rx.var
    def is_model(self) -> bool:
        return self.values.get(dom.KIND, "model") == "model"

    @rx.var
    def step_blocked(self) -> dict[str, bool]:
        return {sid: any(f in self.errors for f in fields) for sid, _t, fields in STEPS}

    @rx.var
    def kind_options(self) -> list[dict[str, str | bool]]:
        chosen = self.values.get(dom.KIND, "model")
        return [{"value": d.kind, "label": d.singular.capitalize(), "checked": d.kind == chosen} for d in dom.ASSET_KIND_DEFS]

    @rx.var
    def provider_options(self) -> list[dict[str, str | bool]]:
        chosen = self.values.get(dom.PROVIDER, "internal")
        can = dom.kind_def(self.values.get(dom.KIND, "model")).can_use_provider
        return [{"value": p.value, "label": p.label, "description": p.base_url_hint, "checked": p.value == chosen}
                for p in dom.PROVIDERS if can or not p.external]

    @rx.var
    def model_choices(self) -> list[dict[str, str | bool]]:
        ids = set(dom.split_identifiers(self.values.get(dom.IDENTIFIERS, "")))
        return [{"value": m, "checked": m in ids} for m in self.listed_models]

    @rx.var
    def review(self) -> list[list[str]]:
        v = self.values
        kd = dom.kind_def(v.get(dom.KIND, "model"))
        ids = dom.split_identifiers(v.get(dom.IDENTIFIERS, ""))
        rows = [["Asset type", kd.singular.capitalize()], ["Source", dom.provider_label(v.get(dom.PROVIDER))],
                ["Name", v.get(dom.NAME, "").strip() or "Not set"],
                ["Model IDs" if kd.kind == "model" else "ID", ", ".join(ids) or "None"],
                ["Base URL" if kd.kind == "model" else "Endpoint", v.get(dom.BASE_URL, "").strip() or "Built-in simulator"]]
        if dom.provider_def(v.get(dom.PROVIDER)).external:
            rows.append(["Credential", "Entered (stored encrypted)" if v.get(dom.CREDENTIAL, "").strip()
                         else "Stored" if self.credential_stored else "None"])
        if kd.has_pricing:
            rows += [["Input price per 1M tokens", _money(v.get(dom.PRICE_IN, ""))],
                     ["Output price per 1M tokens", _money(v.get(dom.PRICE_OUT, ""))],
                     ["Context length", v.get(dom.CONTEXT, "").strip() or "Not set"]]
        rows.append(["Owner", v.get(dom.OWNER, "").strip() or "Not set"])
        if len(ids) > 1:
            rows.append(["Assets to add", ", ".join(n for n, _ in dom.asset_names(v.get(dom.NAME, "").strip(), tuple(ids)))])
        return rows

    @rx.var
    def credential_placeholder(self) -> str:
        return (dom.mask_credential(True) + " stored; type a new one to replace it") if self.credential_stored else ""


def _money(text: str) -> str:
    text = (text or "").strip()
    return f"${text} per 1M tokens" if text else "Not set"


# Fields -------------------------------------------------------------------------------------
def _helper(s, field: str, hint: str | rx.Var = "") -> rx.Component:
    return pf.FormHelperText.create(pf.HelperText.create(
        rx.cond(s.shown.contains(field),
                pf.HelperTextItem.create(s.shown[field], variant="error", id=f"asset-{field}-helper"),
                pf.HelperTextItem.create(hint, id=f"asset-{field}-helper") if not (isinstance(hint, str) and not hint)
                else rx.fragment()),
        aria_live="polite"))


def _text(s, label: str, field: str, *, hint: str | rx.Var = "", required: bool = False, type_: str = "text",
          placeholder: str | rx.Var = "") -> rx.Component:
    fid = f"asset-{field}"
    return pf.FormGroup.create(
        pf.TextInput.create(
            id=fid, value=s.values[field].to(str), type=type_, placeholder=placeholder, auto_complete="off",
            validated=rx.cond(s.shown.contains(field), "error", "default"), aria_describedby=f"{fid}-helper",
            on_change=lambda v: s.set_field(field, v), on_blur=lambda: s.blur(field),
        ),
        _helper(s, field, hint),
        label=label, field_id=fid, is_required=required,
    )


def _radios(s, options: rx.Var, name: str, on_pick) -> rx.Component:
    return rx.foreach(options, lambda o: pf.Radio.create(
        id=f"asset-{name}-" + o["value"].to(str), name=f"asset-{name}", label=o["label"].to(str),
        description=o.get("description", "").to(str), value=o["value"].to(str), is_checked=o["checked"].to(bool),
        on_change=lambda _v: on_pick(o["value"].to(str)), class_name="pf-v6-u-mb-sm"))


def _kind_step(s) -> rx.Component:
    return pf.Form.create(pf.FormGroup.create(_radios(s, s.kind_options, "kind", s.choose_kind),
                                              label="What are you adding?", role="radiogroup", is_stack=True,
                                              field_id="asset-kind-group"))


def _source_step(s) -> rx.Component:
    return pf.Form.create(pf.FormGroup.create(_radios(s, s.provider_options, "provider", s.choose_provider),
                                              label="Where does it run?", role="radiogroup", is_stack=True,
                                              field_id="asset-provider-group"))


def _connection_result(s, heading: str) -> rx.Component:
    return rx.cond(
        s.tested,
        pf.Alert.create(
            rx.cond(s.connection_ok,
                    rx.cond(s.listed_models.length() > 0,
                            pf.Content.create("Choose the models to expose below.", component="p"), rx.fragment()),
                    pf.Content.create("Nothing was saved. Check the URL and credential, then test again.",
                                      component="p")),
            title=s.connection_message, variant=rx.cond(s.connection_ok, "success", "danger"), is_inline=True,
            aria_live="polite", class_name="pf-v6-u-mt-sm", component=heading,
        ),
    )


def _model_checkboxes(s) -> rx.Component:
    return rx.cond(
        s.model_choices.length() > 0,
        pf.FormGroup.create(
            rx.foreach(s.model_choices, lambda m: pf.Checkbox.create(
                id="asset-model-" + m["value"].to(str), label=m["value"].to(str), is_checked=m["checked"].to(bool),
                name="asset-listed-models", on_change=lambda checked: s.toggle_model(m["value"].to(str), checked))),
            label="Models the provider lists", role="group", is_stack=True, field_id="asset-listed-models",
        ),
    )


def _connection_fields(s, *, wizard: bool) -> list[rx.Component]:
    model_url_hint = rx.cond(s.is_external, "The provider's OpenAI-compatible base URL, ending in /v1.",
                             "A model server inside the platform (e.g. a vLLM service's /v1 URL). "
                             "Leave empty to answer with the built-in simulator.")
    return [
        _text(s, "Name", dom.NAME, required=True, hint="Shown in the catalog, in API keys and in usage."),
        rx.cond(s.is_model,
                _text(s, "Base URL", dom.BASE_URL, hint=model_url_hint, placeholder="https://api.example.com/v1"),
                _text(s, "Endpoint", dom.BASE_URL, hint="Where clients reach it inside the platform.")),
        rx.cond(s.is_external, rx.fragment(
            _text(s, "API key of the provider", dom.CREDENTIAL, type_="password", placeholder=s.credential_placeholder,
                  hint=rx.cond(s.credential_stored, "Stored encrypted. Leave empty to keep it.",
                               "Stored encrypted; the gateway sends it to the provider, never the MaaS key.")),
            pf.Button.create("Test connection", variant="secondary", on_click=s.test_connection, is_loading=s.testing,
                             is_disabled=s.testing),
            _connection_result(s, "h3" if wizard else "h2"),  # under the wizard's h2, the modal's h1
        )),
        *([_model_checkboxes(s)] if wizard else []),
        rx.cond(s.is_model,
                _text(s, rx.cond(s.editing != "", "Model ID", "Model IDs to expose"), dom.IDENTIFIERS, required=True,
                      hint=rx.cond(s.editing != "", "What clients put in the request's model field.",
                                   "Chosen above, or typed: several IDs separated by commas add one model each.")),
                _text(s, "ID", dom.IDENTIFIERS, required=True, hint="A unique ID, e.g. mcp-openshift.")),
    ]


def _pricing_fields(s) -> list[rx.Component]:
    return [
        rx.cond(s.is_model, rx.fragment(
            _text(s, "Input price (USD per 1M tokens)", dom.PRICE_IN, hint="Used for cost and budgets, e.g. 0.50."),
            _text(s, "Output price (USD per 1M tokens)", dom.PRICE_OUT, hint="e.g. 1.50."),
            _text(s, "Context length (tokens)", dom.CONTEXT, hint="e.g. 131072."),
        )),
        _text(s, "Owner", dom.OWNER, hint="The team that runs it, e.g. Platform team."),
        _text(s, "Description", dom.DESCRIPTION),
    ]


def _review(s) -> rx.Component:
    return rx.fragment(
        pf.DescriptionList.create(
            rx.foreach(s.review, lambda r: pf.DescriptionListGroup.create(
                pf.DescriptionListTerm.create(r[0]), pf.DescriptionListDescription.create(r[1]))),
            is_horizontal=True, aria_label="Review",
        ),
        rx.cond(s.errors.length() > 0,
                pf.Alert.create(rx.foreach(s.errors.values(), lambda m: pf.Content.create(m, component="p")),
                                title="Fix these before adding the asset", variant="danger", is_inline=True,
                                class_name="pf-v6-u-mt-md", component="h3")),
        rx.cond(s.save_error, pf.Alert.create(title=s.save_error, variant="danger", is_inline=True,
                                              class_name="pf-v6-u-mt-md", component="h3")),
    )


def _footer(s, step_id: str, last: bool = False) -> dict:
    footer = {"isNextDisabled": s.step_blocked[step_id] | s.saving}
    if last:
        footer["nextButtonText"] = "Add asset"
    return footer


def asset_wizard_modal(s: type[AssetFormState]) -> rx.Component:
    """Add asset: Asset type, Source, Connection, Pricing and details, Review."""
    steps = [
        pf.WizardStep.create(_kind_step(s), name="Asset type", id="asset-step-kind", footer=_footer(s, "kind")),
        pf.WizardStep.create(_source_step(s), name="Source", id="asset-step-source", footer=_footer(s, "source")),
        pf.WizardStep.create(pf.Form.create(*_connection_fields(s, wizard=True), on_submit=rx.prevent_default),
                             name="Connection", id="asset-step-connection", footer=_footer(s, "connection")),
        pf.WizardStep.create(pf.Form.create(*_pricing_fields(s), on_submit=rx.prevent_default),
                             name=rx.cond(s.is_model, "Pricing", "Details"), id="asset-step-pricing",
                             footer=_footer(s, "pricing")),
        pf.WizardStep.create(_review(s), name="Review", id="asset-step-review", footer=_footer(s, "review", last=True)),
    ]
    return pf.Modal.create(
        rx.cond(s.is_open & (s.editing == ""), pf.Wizard.create(
            *steps,
            header=pf.WizardHeader.create(title="Add asset", title_id="asset-wizard-title",
                                          description="Publish a model, MCP server, vector database or agent "
                                                      "behind the gateway.",
                                          description_id="asset-wizard-description",
                                          close_button_aria_label="Close Add asset", on_close=s.close),
            height=560, on_close=s.close, on_save=s.submit, nav_aria_label="Add asset steps", key=s.form_key,
        )),
        is_open=s.is_open & (s.editing == ""), variant="large", aria_labelledby="asset-wizard-title",
        # The wizard's header has the close button; Escape closes too.
        aria_describedby="asset-wizard-description", on_escape_press=s.close, on_unmount=s.discard,
    )


def asset_edit_modal(s: type[AssetFormState]) -> rx.Component:
    return pf.Modal.create(
        pf.ModalHeader.create(title="Edit asset", label_id="asset-edit-title"),
        pf.ModalBody.create(
            rx.cond(s.save_error, pf.Alert.create(title=s.save_error, variant="danger", is_inline=True,
                                                  class_name="pf-v6-u-mb-md", component="h2")),
            pf.Form.create(*_connection_fields(s, wizard=False), *_pricing_fields(s), on_submit=rx.prevent_default),
        ),
        form_footer(s, "Save", id_prefix="asset-edit"),
        is_open=s.is_open & (s.editing != ""), variant="medium", aria_labelledby="asset-edit-title",
        on_close=s.close,
    )
