"""Fixtures of the policy tests: the default seed in a temporary SQLite file, copied per test that writes."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone

import pytest
from cryptography.fernet import Fernet

from maas_ui import db
from maas_ui.domain.identity import Actor

SEED_NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
ACTOR = "policy-tester@example.com"
TESTER = Actor(username=ACTOR, display_name="Policy Tester")  # who the tests act as
_SECRET = Fernet.generate_key().decode()


@pytest.fixture(scope="session")
def policy_template_db(tmp_path_factory) -> str:
    """Path of a migrated database seeded with the default demo data (never written by tests)."""
    from seed import seed_database

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAAS_SECRET_KEY", _SECRET)
        path = tmp_path_factory.mktemp("policy-seed") / "seeded.db"
        url = f"sqlite:///{path}"
        db.migrate(url)
        seed_database(url, now=SEED_NOW)
        db.get_engine(url).dispose()  # checkpoints the WAL into the file
    return str(path)


@pytest.fixture
def seeded_url(policy_template_db, tmp_path, monkeypatch) -> str:
    """A seeded database of this test's own."""
    monkeypatch.setenv("MAAS_SECRET_KEY", _SECRET)
    path = tmp_path / "policies.db"
    shutil.copyfile(policy_template_db, path)
    return f"sqlite:///{path}"
