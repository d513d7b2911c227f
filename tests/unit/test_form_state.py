"""The shared form-state base of the Create/Edit modals: submit's saving flag, a second click, the
messages of a refused or failed save (and the server-side log), what the host does afterwards."""

from __future__ import annotations

import logging

import pytest

from maas_ui.components.form_state import FormRejected, FormState, ItemGone, Saved


def _plain(name):
    return FormState.__dict__[name]  # mixin methods stay plain functions: drive them without a server


class Form:
    """A minimal form on FormState's machinery: one required field, a save we control."""

    _start, _refresh, _touch = _plain("_start"), _plain("_refresh"), _plain("_touch")
    set_field, submit, blur, close = _plain("set_field"), _plain("submit"), _plain("blur"), _plain("close")
    _visible, _after_invalid_submit = _plain("_visible"), _plain("_after_invalid_submit")
    _success_message = _plain("_success_message")

    def __init__(self, outcome=None):
        self.outcome = outcome
        self.saves = 0
        self.database_checks = 0
        self.is_open = False
        self.form_key = 0
        self.shown, self.errors, self.blocked_by = {}, {}, ""

    def _text_fields(self):
        return ("name", "note")

    def _choice_fields(self):
        return ()

    def _database_fields(self):
        return ("name",)

    def _noun(self):
        return "widget"

    def _validate(self):
        return {} if self.values.get("name") else {"name": "Name is required."}

    def _check_database(self):
        self.database_checks += 1

    def _save(self):
        self.saves += 1
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return Saved("w-1", self.values["name"], created=True)

    def _on_created(self, saved):
        return [f"go to {saved.id}"]

    def _on_updated(self, saved):
        return ["reload"]


def _opened(outcome=None, name="gizmo") -> Form:
    form = Form(outcome)
    form._start({"name": name, "note": ""}, {})
    return form


def test_submit_shows_progress_saves_once_then_hands_over_to_the_host():
    form = _opened()
    steps = form.submit()
    next(steps)  # first yield: the saving flag is on while the database works
    assert form.saving is True
    events = next(steps)
    assert form.saves == 1 and form.saving is False and form.is_open is False
    assert events[0] == "go to w-1"  # what the host said to do; then the success toast
    assert len(events) == 2
    with pytest.raises(StopIteration):
        next(steps)


def test_a_second_click_while_saving_does_nothing():
    form = _opened()
    first = form.submit()
    next(first)
    assert list(form.submit()) == []  # the queued second click
    next(first)
    assert form.saves == 1


def test_a_click_after_the_modal_closed_does_nothing():
    form = _opened()
    list(form.submit())
    assert list(form.submit()) == [] and form.saves == 1


def test_invalid_draft_is_not_saved_and_shows_every_message():
    form = _opened(name="")
    assert form.shown == {}  # nothing shouts before a field is used
    assert list(form.submit()) == []
    assert form.saves == 0 and form.shown == {"name": "Name is required."}
    assert form.save_error == "The widget was not created. Fix the fields marked below."


def test_refused_save_keeps_the_draft_and_marks_fields():
    form = _opened(FormRejected({"name": "Taken meanwhile."}))
    list(form.submit())
    assert form.is_open and form.values["name"] == "gizmo" and form.saving is False
    assert form.shown == {"name": "Taken meanwhile."}
    assert "something changed meanwhile" in form.save_error


def test_item_gone_says_so():
    form = _opened(ItemGone("This widget no longer exists."))
    list(form.submit())
    assert form.save_error == "This widget no longer exists." and form.is_open


def test_server_error_is_a_clear_message_for_the_person_and_logged_in_full(caplog):
    form = _opened(RuntimeError("database is locked"))
    with caplog.at_level(logging.ERROR, logger="maas_ui.components.form_state"):
        list(form.submit())
    assert form.is_open and form.saving is False and form.values["name"] == "gizmo"
    assert form.save_error == ("The widget could not be created because of a server error. "
                               "Everything you typed is still here: try again.")
    assert "RuntimeError" not in form.save_error and "database is locked" not in form.save_error
    record = caplog.records[-1]
    assert record.exc_info and "database is locked" in str(record.exc_info[1])


def test_database_checks_run_on_blur_and_submit_not_per_keystroke():
    form = _opened()
    checks = form.database_checks
    for text in ["g", "gi", "giz"]:
        form.set_field("name", text)
    assert form.database_checks == checks
    form.blur("name")
    assert form.database_checks == checks + 1
    form.blur("note")  # a field that needs no database
    assert form.database_checks == checks + 1


def test_disabled_button_says_why_when_no_field_message_does():
    form = _opened(name="")
    form.set_field("note", "picked something else first")
    assert form.blocked_by == "Name is required."
    form.set_field("name", "ok")
    assert form.blocked_by == ""


def test_unknown_fields_are_ignored():
    form = _opened()
    form.set_field("is_open", "x")
    assert form.values == {"name": "gizmo", "note": ""}


# The type-to-confirm delete modal shares the same contract: the host says what follows. -------------
from maas_ui.components.confirm_delete import ConfirmDeleteStateMixin  # noqa: E402


class Deleter:
    _show, _hide = ConfirmDeleteStateMixin.__dict__["_show"], ConfirmDeleteStateMixin.__dict__["_hide"]
    confirm = ConfirmDeleteStateMixin.__dict__["confirm"]

    def __init__(self, fail: bool = False):
        self.fail, self.deleted, self.input_key = fail, 0, 0

    @property
    def matches(self):
        return self.typed == self.name

    def _delete(self):
        if self.fail:
            raise RuntimeError("disk I/O error")
        self.deleted += 1
        return self.name

    def _deleted_message(self, name):
        return f"{name} deleted"

    def _on_deleted(self, name):
        return ["reload the list"]


def test_delete_confirms_only_the_exact_name_then_hands_over_to_the_host():
    d = Deleter()
    d._show("Ключ")
    d.typed = "ключ"
    assert d.confirm() is None and d.deleted == 0
    d.typed = "Ключ"
    events = d.confirm()
    assert d.deleted == 1 and events[0] == "reload the list" and not d.is_open


def test_failed_delete_says_so_and_is_logged(caplog):
    d = Deleter(fail=True)
    d._show("prod key")
    d.typed = "prod key"
    with caplog.at_level(logging.ERROR, logger="maas_ui.components.confirm_delete"):
        d.confirm()
    assert "disk I/O error" in str(caplog.records[-1].exc_info[1]) and d.deleted == 0
