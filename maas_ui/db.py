"""Engine, sessions and start-up preparation (migrate, seed once). No Reflex import."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from maas_ui.settings import PROJECT_ROOT, database_url


class DatabaseConfigError(RuntimeError):
    """Start-up cannot go on; the message is one readable line saying what to fix."""


def safe_url(url: str) -> str:
    """The URL without credentials, for messages."""
    return re.sub(r"://[^@/]+@", "://***@", url)


def get_engine(url: str | None = None) -> Engine:
    """The engine of `url` (MAAS_DB_URL as it is now by default), one per URL per process."""
    return _engine(url or database_url())


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    kwargs: dict = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    elif url.startswith("postgresql"):
        # Sessions in UTC: raw SQL comparing timestamptz columns with text reads the same as on SQLite.
        # A short connect timeout lets the page and /readyz report an outage instead of hanging.
        kwargs["connect_args"] = {"options": "-c timezone=UTC", "connect_timeout": 5}
    try:
        # hide_parameters: error messages and logs never carry bound values (secret hashes, ciphertexts).
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True, **kwargs)
    except ModuleNotFoundError as exc:
        raise DatabaseConfigError(
            f"The database URL {safe_url(url)} needs the Python package '{exc.name}': "
            f"install it in the virtualenv (.venv/bin/pip install {exc.name}) or use another MAAS_DB_URL."
        ) from None
    except Exception as exc:  # malformed URL and the like
        raise DatabaseConfigError(f"MAAS_DB_URL is not a usable database URL ({safe_url(url)}): {exc}") from None
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # WAL lets the UI read while a write is under way
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

    return engine


get_engine.cache_clear = _engine.cache_clear  # forget every engine (benchmarks reseeding a file)


@contextmanager
def session(url: str | None = None) -> Iterator[Session]:
    with Session(get_engine(url), expire_on_commit=False) as s:
        yield s


def ping(url: str | None = None) -> None:
    """Run SELECT 1 on the database; raises what the driver raises when it cannot."""
    with get_engine(url).connect() as conn:
        conn.exec_driver_sql("SELECT 1")


def check_connection(url: str | None = None) -> None:
    """Raise DatabaseConfigError with a readable line when the database cannot be reached."""
    url = url or database_url()
    engine = get_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseConfigError(
            f"Cannot reach the database at {safe_url(url)} ({reason}). "
            "Check MAAS_DB_URL, or unset it to use the default SQLite file."
        ) from None


def alembic_config(url: str | None = None):
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    cfg.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return cfg


def migrate(url: str | None = None) -> None:
    """Apply every Alembic migration (creates the schema on an empty database)."""
    from alembic import command

    url = url or database_url()
    engine = get_engine(url)
    cfg = alembic_config(url)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # SQLite alters a table by copying it; with foreign keys on, dropping the old copy of a
            # referenced table fails. The pragma only takes effect outside a transaction.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def is_seeded(url: str | None = None) -> bool:
    engine = get_engine(url)
    if not inspect(engine).has_table("users"):
        return False
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT COUNT(*) FROM users").scalar_one() > 0


def ensure_sqlite_dir(url: str) -> None:
    """Create the folder of a SQLite file so a first start on a new machine just works."""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        folder = Path(url.removeprefix("sqlite:///")).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseConfigError(
                f"Cannot reach the database at {safe_url(url)} (cannot create {folder}: {exc.strerror}). "
                "Check MAAS_DB_URL, or unset it to use the default SQLite file."
            ) from None
