"""Databases for tests: SQLite files by default; with MAAS_TEST_DB_URL (a PostgreSQL server URL,
e.g. postgresql+psycopg://maas:maas@127.0.0.1:55432/postgres) each one is a fresh database created
in that server and dropped afterwards. Fixtures and the journey harness get theirs from here."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

SERVER_ENV = "MAAS_TEST_DB_URL"
_PREFIX = "maas_test_"
_counter = itertools.count()


def server_url() -> str | None:
    """The PostgreSQL server the tests run on, or None for SQLite files."""
    return os.environ.get(SERVER_ENV) or None


def dialect() -> str:
    return "postgresql" if server_url() else "sqlite"


def _admin():
    return create_engine(server_url(), isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _database_name(url: str) -> str:
    return make_url(url).database


def new_database(folder: Path, name: str, *, template: str | None = None) -> str:
    """URL of a new empty database (or a copy of `template`, a URL this module made).

    SQLite: the file `folder/name.db`. PostgreSQL: a database of its own in the server; the
    template must have no open connections (dispose its engine first).
    """
    if not server_url():
        path = folder / f"{name}.db"
        if template:
            _dispose(template)  # checkpoints the WAL into the file before the copy
            shutil.copyfile(make_url(template).database, path)
        return f"sqlite:///{path}"
    db_name = f"{_PREFIX}{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    sql = f'CREATE DATABASE "{db_name}"'
    if template:
        _dispose(template)
        sql += f' TEMPLATE "{_database_name(template)}"'
    engine = _admin()
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()
    return make_url(server_url()).set(database=db_name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Forget a database made by new_database (SQLite files go with their temporary folder)."""
    _dispose(url)
    if not url.startswith("postgresql"):
        return
    engine = _admin()
    try:
        for attempt in range(20):
            try:
                with engine.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{_database_name(url)}" WITH (FORCE)'))
                return
            except DBAPIError:
                # Without pg_signal_backend FORCE cannot end an autovacuum worker still in there: wait.
                if attempt == 19:
                    raise
                time.sleep(0.5)
    finally:
        engine.dispose()


def drop_leftovers() -> None:
    """Drop test databases of runs that died before cleaning up (their process is gone)."""
    if not server_url():
        return
    engine = _admin()
    try:
        with engine.connect() as conn:
            names = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                 {"p": f"{_PREFIX}%"}).scalars().all()
            for db_name in names:
                match = re.fullmatch(rf"{_PREFIX}(\d+)_.*", db_name)
                if match and not _alive(int(match.group(1))):
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dispose(url: str) -> None:
    """Close the console's pooled connections to a database (maas_ui.db caches one engine per URL)."""
    from maas_ui import db

    db.get_engine(url).dispose()


def dump_text(url: str) -> str:
    """Every row of every table as text (to assert a value is stored nowhere in plain)."""
    from sqlalchemy import MetaData

    from maas_ui import db

    engine = db.get_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    lines: list[str] = []
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            lines += [f"{table.name}: {tuple(row)}" for row in conn.execute(table.select())]
    return "\n".join(lines)


# SQL snippets for tests' own raw queries on stored UTC datetimes (SQLite stores text, PostgreSQL
# timestamptz; the console's sessions run in UTC either way).


def sql_day(column: str) -> str:
    """'YYYY-MM-DD' (UTC) of a datetime column."""
    if dialect() == "sqlite":
        return f"substr({column}, 1, 10)"
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


def sql_hour(column: str) -> str:
    """Hour of the day (UTC, 0-23) of a datetime column, as an integer."""
    if dialect() == "sqlite":
        return f"CAST(strftime('%H', {column}) AS INT)"
    return f"CAST(EXTRACT(HOUR FROM {column} AT TIME ZONE 'UTC') AS INT)"


def sql_weekday(column: str) -> str:
    """Day of the week (UTC, 0 = Sunday) of a datetime column, as an integer."""
    if dialect() == "sqlite":
        return f"CAST(strftime('%w', {column}) AS INT)"
    return f"CAST(EXTRACT(DOW FROM {column} AT TIME ZONE 'UTC') AS INT)"


def sql_not_midnight(column: str) -> str:
    """True when a datetime column is not 00:00 UTC (on SQLite: not stored in SQLAlchemy's exact format)."""
    if dialect() == "sqlite":
        return f"{column} NOT LIKE '% 00:00:00.000000'"
    return f"{column} <> date_trunc('day', {column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"


def as_utc(value) -> datetime:
    """A datetime read by raw SQL (text on SQLite, aware on PostgreSQL) as an aware UTC datetime."""
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=timezone.utc) if parsed.utcoffset() is None else parsed.astimezone(timezone.utc)


def db_time(value: datetime):
    """A UTC datetime as a bound parameter of raw SQL comparing it with a stored datetime column."""
    if dialect() == "sqlite":  # stored as text: compare with the same text layout
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    return value
