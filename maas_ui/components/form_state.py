"""The one form-state base of the Create/Edit modals (API key, policy): draft values, touched fields,
errors shown where the person looks, the saving flag and submit.

A form subclasses `FormState` (a mixin) and fills in what it knows: its fields, its pure
validation, its save. Each page that hosts the modal declares its own small state class from that
form, so the modal's open state and draft belong to that page, and says what happens once the
modal finishes (`_on_created` / `_on_updated`: go to the details page, reload the list). The modal
never imports its host.

Validation runs on every change without the database (pure domain rules, over facts the form
loaded when it opened). What needs the database (is this name taken?) is checked when a field
that needs it loses focus or a choice changes, and again on submit: not per keystroke.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import reflex as rx

from maas_ui import pf
from maas_ui.components import toasts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Saved:
    """What a successful save reports to the host."""

    id: str  # the public id / policy ID, for URLs
    name: str
    created: bool


class FormRejected(Exception):
    """The service refused the form (something changed since it was checked): field -> message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors))
        self.errors = errors


class ItemGone(Exception):
    """The item being edited no longer exists; the message is for the person."""


class FormState(rx.State, mixin=True):
    is_open: bool = False
    editing: str = ""  # the id of the item being edited; "" when creating
    form_key: int = 0  # bumped on every opening: remounts the uncontrolled inputs with fresh values
    values: dict[str, str] = {}  # text fields, as typed
    choices: dict[str, list[str]] = {}  # multi-choice fields: the chosen option values
    errors: dict[str, str] = {}  # every current problem, field -> message
    shown: dict[str, str] = {}  # the problems shown now: under touched fields, or all after a submit
    touched: list[str] = []
    submitted: bool = False
    saving: bool = False
    save_error: str = ""
    # Why the primary button is disabled when no message under a field says it (e.g. an owner was
    # picked but the name is still empty): shown next to the button.
    blocked_by: str = ""

    # What each form provides -----------------------------------------------------------------
    def _text_fields(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _choice_fields(self) -> tuple[str, ...]:
        return ()

    def _database_fields(self) -> tuple[str, ...]:
        """Fields whose blur (text) or change (choice) re-checks what needs the database."""
        return ()

    def _validate(self) -> dict[str, str]:
        """Field -> message, from the draft and facts already loaded: no database here."""
        raise NotImplementedError

    def _check_database(self) -> None:
        """Refresh the facts `_validate` reads that only the database knows (one session)."""

    def _save(self) -> Saved:
        """Store the draft. Raises FormRejected or ItemGone; anything else is a server error."""
        raise NotImplementedError

    def _noun(self) -> str:
        """What the form makes, as written mid-sentence: "API key", "policy"."""
        raise NotImplementedError

    def _success_message(self, saved: Saved) -> str:
        noun = self._noun()
        return f"{noun[:1].upper()}{noun[1:]} \u201c{saved.name}\u201d {'created' if saved.created else 'updated'}"

    def _visible(self, touched: set[str]) -> set[str]:
        """The fields whose errors show, given the touched ones (a form may link fields)."""
        return touched

    def _after_invalid_submit(self) -> None:
        """E.g. expand a collapsed section holding an error."""

    # What each host provides -----------------------------------------------------------------
    def _on_created(self, saved: Saved) -> list:
        return []

    def _on_updated(self, saved: Saved) -> list:
        return []

    # Shared machinery ------------------------------------------------------------------------
    def _start(self, values: dict[str, str], choices: dict[str, list[str]], editing: str = "") -> None:
        """Open with this draft; everything from a previous opening is forgotten."""
        self.editing = editing
        self.values = dict(values)
        self.choices = {f: list(choices.get(f, [])) for f in self._choice_fields()}
        self.form_key += 1
        self.touched, self.submitted, self.saving, self.save_error = [], False, False, ""
        self._check_database()
        self._refresh()
        self.is_open = True

    def _refresh(self) -> None:
        self.errors = self._validate()
        if self.submitted:
            self.shown = dict(self.errors)
        else:
            visible = self._visible(set(self.touched))
            self.shown = {f: m for f, m in self.errors.items() if f in visible}
        hidden = [m for f, m in self.errors.items() if f not in self.shown]
        self.blocked_by = hidden[0] if hidden and not self.shown and self.touched else ""

    def _touch(self, field: str) -> None:
        if field not in self.touched:
            self.touched = [*self.touched, field]

    @rx.var
    def is_valid(self) -> bool:
        return not self.errors

    @rx.event
    def set_field(self, field: str, value: str):
        if field not in self._text_fields() or not self.is_open:
            return
        self.values = {**self.values, field: value if isinstance(value, str) else str(value or "")}
        self._touch(field)
        self.save_error = ""
        self._refresh()

    @rx.event
    def set_choice(self, field: str, values: list):
        if field not in self._choice_fields() or not self.is_open:
            return
        self.choices = {**self.choices, field: [str(v) for v in (values or [])]}
        self._touch(field)
        self.save_error = ""
        if field in self._database_fields():
            self._check_database()
        self._refresh()

    @rx.event
    def blur(self, field: str):
        """A field lost focus: show its message, and check what needs the database."""
        if not self.is_open:
            return
        self._touch(field)
        if field in self._database_fields():
            self._check_database()
        self._refresh()

    @rx.event
    def close(self):
        self.is_open = False
        self.saving = False

    @rx.event
    def discard(self):
        """The host page was left or entered: a draft never follows the person to another visit."""
        if self.is_open or self.values:
            self.is_open, self.saving, self.values, self.choices = False, False, {}, {}
            self.errors, self.shown, self.touched, self.save_error, self.blocked_by = {}, {}, [], "", ""

    @rx.event
    def submit(self):
        if self.saving or not self.is_open:  # a second click while saving does nothing
            return
        verb = "saved" if self.editing else "created"
        was_valid = not self.errors
        self.submitted, self.save_error = True, ""
        self._check_database()
        self._refresh()
        if self.errors:
            self._after_invalid_submit()
            self.save_error = (
                f"The {self._noun()} was not {verb}: something changed meanwhile. "
                "Fix the fields marked below and try again." if was_valid
                else f"The {self._noun()} was not {verb}. Fix the fields marked below.")
            return
        self.saving = True
        yield  # the button shows its progress while the database works
        try:
            saved = self._save()
        except FormRejected as exc:
            self.saving = False
            self.errors, self.shown = dict(exc.errors), dict(exc.errors)
            self._after_invalid_submit()
            self.save_error = (f"The {self._noun()} was not {verb}: something changed meanwhile. "
                               "Fix the fields marked below and try again.")
            return
        except ItemGone as exc:
            self.saving = False
            self.save_error = str(exc)
            return
        except Exception:  # the database failed: keep everything typed, say so where the person looks
            log.exception("Saving the %s form failed (editing=%r)", self._noun(), self.editing)
            self.saving = False
            self.save_error = (f"The {self._noun()} could not be {verb} because of a server error. "
                               "Everything you typed is still here: try again.")
            return
        self.saving, self.is_open = False, False
        after = self._on_created(saved) if saved.created else self._on_updated(saved)
        yield [*after, toasts.success(self._success_message(saved))]


def form_footer(s: type[FormState], primary_label: str | rx.Var, *, id_prefix: str) -> rx.Component:
    """The modal footer of every form: the primary button (disabled while anything is invalid, busy
    while saving: a second click does nothing), Cancel, and why the button is disabled when no
    message under a field says it."""
    return pf.ModalFooter.create(
        pf.Button.create(
            primary_label,
            variant="primary",
            is_disabled=~s.is_valid | s.saving,
            is_loading=s.saving,
            on_click=s.submit,
            id=f"{id_prefix}-save",
        ),
        pf.Button.create("Cancel", variant="link", on_click=s.close),
        rx.cond(
            s.blocked_by,
            pf.HelperText.create(
                pf.HelperTextItem.create(s.blocked_by, variant="warning", id=f"{id_prefix}-blocked"),
                aria_live="polite",
            ),
        ),
    )
