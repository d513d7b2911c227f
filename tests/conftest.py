"""Shared fixtures: a migrated, seeded temporary database per test session (unit tests)."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

# Never touch the developer's database or key file from tests.
_TMP_KEY = Path(os.environ.get("TMPDIR", "/tmp")) / f"maas-test-{os.getpid()}.key"
os.environ.setdefault("MAAS_SECRET_KEY_FILE", str(_TMP_KEY))

SEED_NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def seeded_db_url(tmp_path_factory) -> str:
    """A database migrated with Alembic and seeded with the default demo data (read-only use)."""
    from maas_ui.db import migrate
    from seed import seed_database

    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'seeded.db'}"
    migrate(url)
    seed_database(url, now=SEED_NOW)
    return url


@pytest.fixture()
def empty_db_url(tmp_path) -> str:
    """A fresh migrated database with no rows, for tests that write."""
    from maas_ui.db import migrate

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    migrate(url)
    return url


@pytest.fixture()
def fresh_seeded_db_url(tmp_path) -> str:
    """A seeded database of this test's own, for tests that write."""
    from maas_ui.db import migrate
    from seed import seed_database

    url = f"sqlite:///{tmp_path / 'seeded.db'}"
    migrate(url)
    seed_database(url, now=SEED_NOW)
    return url
