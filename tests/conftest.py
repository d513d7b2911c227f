"""Shared fixtures: migrated, seeded temporary databases (SQLite files, or fresh PostgreSQL databases
in the server named by MAAS_TEST_DB_URL: see tests/databases.py)."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests import databases

# Never touch the developer's database or key file from tests.
_TMP_KEY = Path(os.environ.get("TMPDIR", "/tmp")) / f"maas-test-{os.getpid()}.key"
os.environ.setdefault("MAAS_SECRET_KEY_FILE", str(_TMP_KEY))

SEED_NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)


def pytest_sessionstart(session):
    databases.drop_leftovers()


def pytest_report_header(config):
    server = databases.server_url()
    if server:
        from maas_ui.db import safe_url

        return f"test databases: PostgreSQL server {safe_url(server)}"
    return "test databases: SQLite files"


class DatabaseFactory:
    """Makes databases in a temporary folder (or the test server) and drops them at teardown."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.urls: list[str] = []

    def __call__(self, name: str = "test", *, template: str | None = None) -> str:
        url = databases.new_database(self.folder, f"{name}-{len(self.urls)}", template=template)
        self.urls.append(url)
        return url

    def drop_all(self) -> None:
        for url in reversed(self.urls):
            databases.drop_database(url)


@pytest.fixture()
def make_db_url(tmp_path):
    """make_db_url(name, template=None) -> URL of a new database of this test's own."""
    factory = DatabaseFactory(tmp_path)
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def make_session_db_url(tmp_path_factory):
    """Like make_db_url, for session- and module-scoped fixtures (dropped at the session's end)."""
    factory = DatabaseFactory(tmp_path_factory.mktemp("dbs"))
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def seeded_template_url(make_session_db_url) -> str:
    """A seeded database never opened by tests: fresh seeded databases are copies of it."""
    from maas_ui.db import migrate
    from seed import seed_database

    url = make_session_db_url("seeded-template")
    migrate(url)
    seed_database(url, now=SEED_NOW)
    return url


@pytest.fixture(scope="session")
def seeded_db_url(make_session_db_url, seeded_template_url) -> str:
    """A database migrated with Alembic and seeded with the default demo data (read-only use)."""
    return make_session_db_url("seeded", template=seeded_template_url)


@pytest.fixture()
def empty_db_url(make_db_url) -> str:
    """A fresh migrated database with no rows, for tests that write."""
    from maas_ui.db import migrate

    url = make_db_url("empty")
    migrate(url)
    return url


@pytest.fixture()
def fresh_seeded_db_url(make_db_url, seeded_template_url) -> str:
    """A seeded database of this test's own, for tests that write."""
    return make_db_url("seeded", template=seeded_template_url)
