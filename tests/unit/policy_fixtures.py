"""Fixtures of the policy tests: the default seed in a template database, copied per test that writes."""

from __future__ import annotations

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
def policy_template_db(make_session_db_url) -> str:
    """URL of a migrated database seeded with the default demo data (never opened by tests)."""
    from seed import seed_database

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAAS_SECRET_KEY", _SECRET)
        url = make_session_db_url("policy-seed")
        db.migrate(url)
        seed_database(url, now=SEED_NOW)
    return url


@pytest.fixture
def seeded_url(policy_template_db, make_db_url, monkeypatch) -> str:
    """A seeded database of this test's own."""
    monkeypatch.setenv("MAAS_SECRET_KEY", _SECRET)
    return make_db_url("policies", template=policy_template_db)
