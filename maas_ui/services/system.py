"""Whether the console's own dependencies answer (no Reflex import): for /readyz and the page's
database outage alert."""

from __future__ import annotations

from maas_ui import db


def reason(exc: BaseException) -> str:
    """One line saying why a dependency failed, without credentials."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return db.safe_url(text[0]) if text and text[0] else type(exc).__name__


def database_error() -> str | None:
    """None when the database answers SELECT 1, else the reason in one line."""
    try:
        db.ping()
    except Exception as exc:  # whatever the driver raises: the database is not usable
        return reason(exc)
    return None


def is_database_outage(exc: BaseException) -> bool:
    """The database cannot be reached or used right now (as opposed to a bug in a query)."""
    from sqlalchemy import exc as sa_exc

    return isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError,
                            sa_exc.TimeoutError, db.DatabaseConfigError))
