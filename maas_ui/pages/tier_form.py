"""The Create / Edit tier modal (PF6 Modal) on the shared form-state base; each host page declares its
own state from `TierFormState` and says what follows a save. Rules are the domain's (domain.tiers);
the other tiers' names and levels are read on opening and when the name or level loses focus."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.form_state import FormRejected, FormState, ItemGone, Saved, form_footer
from maas_ui.domain import inputs
from maas_ui.domain import tiers as dom
from maas_ui.identity import acting_user
from maas_ui.services import tiers as svc
from maas_ui.services.access import AccessDenied

UNIT_OPTIONS = [("minute", "minute"), ("hour", "hour"), ("day", "day")]
_LIMITS = (("token", "Token limit", "tokens"), ("request", "Rate limit", "requests"))
_TEXT_FIELDS = ("name", "description", "level",
                *[f"{p}_{part}" for p, _l, _n in _LIMITS for part in ("limit", "window_value", "window_unit")])
_GONE = "This tier was deleted meanwhile: nothing was saved."


def go_to_tier(saved: Saved):
    return rx.redirect(routes.tier_url(saved.id))


class TierFormState(FormState, mixin=True):
    group_options: list[dict[str, str]] = []
    taken_names: list[str] = []
    taken_levels: list[int] = []

    def _text_fields(self) -> tuple[str, ...]:
        return _TEXT_FIELDS

    def _choice_fields(self) -> tuple[str, ...]:
        return ("group_ids",)

    def _database_fields(self) -> tuple[str, ...]:
        return ("name", "level")

    def _noun(self) -> str:
        return "tier"

    def _visible(self, touched: set[str]) -> set[str]:
        visible = set(touched)
        for p, _l, _n in _LIMITS:
            if f"{p}_limit" in visible:
                visible |= {f"{p}_window_value", f"{p}_window_unit", "limits"}
        return visible

    def _form(self) -> dom.TierForm:
        v = self.values
        return dom.TierForm(
            name=v.get("name", ""), description=v.get("description", ""), level=v.get("level", ""),
            group_ids=[int(x) for x in self.choices.get("group_ids", []) if str(x).isdigit()],
            **{f"{p}_{part}": v.get(f"{p}_{part}", "") for p, _l, _n in _LIMITS
               for part in ("limit", "window_value", "window_unit")},
        )

    def _validate(self) -> dict[str, str]:
        return dom.validate_tier_form(self._form(), taken_names=self.taken_names, taken_levels=self.taken_levels)

    def _check_database(self) -> None:
        self.taken_names, self.taken_levels = svc.taken_names_and_levels(self.editing or None, actor=acting_user(self))

    def _save(self) -> Saved:
        form = self._form()
        try:
            if self.editing:
                slug = svc.update_tier(self.editing, form, actor=acting_user(self))
            else:
                slug = svc.create_tier(form, actor=acting_user(self))
        except svc.TierInvalid as exc:
            raise FormRejected(exc.errors) from exc
        except svc.TierNotFound as exc:
            raise ItemGone(_GONE) from exc
        except AccessDenied as exc:
            raise ItemGone(str(exc)) from exc
        return Saved(slug, inputs.clean_name(form.name), created=not self.editing)

    def _open(self, f: dom.TierForm, editing: str) -> None:
        self.group_options = [{"value": str(o.id), "content": o.label}
                              for o in svc.group_options(actor=acting_user(self))]
        self._start(
            {"name": f.name, "description": f.description, "level": f.level,
             **{f"{p}_{part}": getattr(f, f"{p}_{part}") for p, _l, _n in _LIMITS
                for part in ("limit", "window_value", "window_unit")}},
            {"group_ids": [str(i) for i in f.group_ids]},
            editing=editing,
        )

    @rx.event
    def open_create(self):
        self._open(dom.TierForm(), editing="")

    @rx.event
    def open_edit(self, slug: str):
        from maas_ui.components.toasts import danger

        try:
            form = svc.tier_form(slug, actor=acting_user(self))
        except svc.TierNotFound:
            return danger("That tier no longer exists.")
        self._open(form, editing=slug)

    @rx.var
    def title(self) -> str:
        return "Edit tier" if self.editing else "Create tier"

    @rx.var
    def save_label(self) -> str:
        return "Save" if self.editing else "Create"

    @rx.var
    def group_select(self) -> list[dict]:
        chosen = self.choices.get("group_ids", [])
        return [{**o, "selected": o["value"] in chosen} for o in self.group_options]


def _error(s, field: str) -> rx.Component:
    return rx.cond(
        s.shown[field],
        pf.FormHelperText.create(pf.HelperText.create(
            pf.HelperTextItem.create(s.shown[field], variant="error", id=f"tier-{field}-error"))),
    )


def _helper(s, text: str, field: str) -> rx.Component:
    return rx.cond(s.shown[field], _error(s, field),
                   pf.FormHelperText.create(pf.HelperText.create(pf.HelperTextItem.create(text))))


def _text(s, field: str, label: str, placeholder: str = "") -> rx.Component:
    return pf.TextInput.create(
        id=f"tier-{field}", default_value=s.values[field], placeholder=placeholder, aria_label=label,
        validated=rx.cond(s.shown[field], "error", "default"),
        on_change=lambda v: s.set_field(field, v), on_blur=s.blur(field),
    )


def _limit(s, prefix: str, label: str, noun: str) -> rx.Component:
    return pf.FormGroup.create(
        pf.Flex.create(
            pf.FlexItem.create(_text(s, f"{prefix}_limit", label, "No limit"), style={"width": "10rem"}),
            pf.FlexItem.create(pf.Content.create(f"{noun} per", component="small")),
            pf.FlexItem.create(_text(s, f"{prefix}_window_value", f"{label} period count"), style={"width": "5rem"}),
            pf.FlexItem.create(pf.FormSelect.create(
                *[pf.FormSelectOption.create(value=v, label=t) for v, t in UNIT_OPTIONS],
                value=s.values[f"{prefix}_window_unit"], aria_label=f"{label} period",
                on_change=lambda v: s.set_field(f"{prefix}_window_unit", v),
            )),
            align_items={"default": "alignItemsCenter"}, space_items={"default": "spaceItemsSm"},
            flex_wrap={"default": "nowrap"},
        ),
        _error(s, f"{prefix}_limit"),
        _error(s, f"{prefix}_window_value"),
        label=label, field_id=f"tier-{prefix}_limit", role="group",
    )


def _body(s) -> rx.Component:
    return pf.Form.create(
        rx.cond(s.save_error, pf.Alert.create(variant="danger", is_inline=True, title=s.save_error, component="p")),
        pf.FormGroup.create(
            _text(s, "name", "Name"),
            _helper(s, "The tier ID is made from the name: lowercase, with dashes for spaces.", "name"),
            label="Name", is_required=True, field_id="tier-name",
        ),
        pf.FormGroup.create(
            pf.TextArea.create(id="tier-description", default_value=s.values["description"], aria_label="Description",
                               rows=2, on_change=lambda v: s.set_field("description", v)),
            _error(s, "description"),
            label="Description", field_id="tier-description",
        ),
        pf.FormGroup.create(
            _text(s, "level", "Level", "e.g. 10"),
            _helper(s, "A user in several tiers gets the one with the highest level.", "level"),
            label="Level", is_required=True, field_id="tier-level",
        ),
        pf.FormGroup.create(
            pf.MultiTypeaheadSelect.create(
                initial_options=s.group_select, placeholder="Select groups", no_options_found_message="No match",
                label="Groups", on_selection_change=lambda v: s.set_choice("group_ids", v),
                toggle_props={"id": "tier-group_ids-toggle", "aria-label": "Groups"},
            ),
            _helper(s, "The members of these groups are in this tier (unless a higher tier covers them).",
                    "group_ids"),
            label="Groups", field_id="tier-groups", role="group",
        ),
        pf.FormSection.create(
            rx.cond(s.shown["limits"], pf.HelperText.create(
                pf.HelperTextItem.create(s.shown["limits"], variant="error", id="tier-limits-error"))),
            pf.Content.create("Default limits on each model, counted per user.", component="p"),
            *[_limit(s, p, label, noun) for p, label, noun in _LIMITS],
            title="Limits per model", title_element="h2",
        ),
        id="tier-form",
        on_submit=[rx.prevent_default, s.submit],
        key=s.form_key,
    )


def tier_form_modal(s: type[TierFormState]) -> rx.Component:
    return pf.Modal.create(
        pf.ModalHeader.create(title=s.title, label_id="tier-modal-title"),
        pf.ModalBody.create(rx.cond(s.is_open, _body(s))),
        form_footer(s, s.save_label, id_prefix="tier"),
        is_open=s.is_open, on_close=s.close, on_mount=s.discard, on_unmount=s.discard,
        variant="medium", aria_labelledby="tier-modal-title",
    )
