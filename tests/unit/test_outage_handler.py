"""Which backend errors become the page's database outage alert."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import exc as sa_exc

from maas_ui.components.outage import OutageState, handle_backend_exception
from maas_ui.db import DatabaseConfigError
from maas_ui.services import system


def _operational(message: str) -> sa_exc.OperationalError:
    return sa_exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError(message))


@pytest.mark.parametrize("error", [
    _operational("connection to server at \"127.0.0.1\", port 5432 failed: Connection refused"),
    sa_exc.InterfaceError("SELECT 1", {}, Exception("connection already closed")),
    DatabaseConfigError("Cannot reach the database at postgresql://***@db/maas"),
])
def test_database_errors_raise_the_outage_alert(error):
    assert system.is_database_outage(error)
    event = handle_backend_exception(error)
    assert event.handler.fn.__qualname__ == OutageState.report_database_down.fn.__qualname__
    (name, value), = event.args
    assert str(name) == "reason" and value._var_value == system.reason(error) != ""


@pytest.mark.parametrize("error", [ValueError("bad input"), sa_exc.IntegrityError("INSERT", {}, Exception("dup"))])
def test_other_errors_keep_reflex_default_handling(error):
    assert not system.is_database_outage(error)
    event = handle_backend_exception(error)
    assert "report_database_down" not in str(event)


def test_reason_hides_credentials():
    error = _operational("could not connect to postgresql://maas:hunter2@db:5432/maas")
    assert system.reason(error) == "could not connect to postgresql://***@db:5432/maas"
