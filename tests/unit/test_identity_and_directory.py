"""Who acts (Actor, acting_user) and the directory service as the User management page calls it."""

from __future__ import annotations

import dataclasses

import pytest

from maas_ui.domain.identity import Actor
from maas_ui.identity import acting_user
from maas_ui.services import directory

ADMIN = Actor(username="admin@example.com", display_name="Admin")


def test_actor_is_frozen_and_named():
    assert Actor("ops@example.com").display_name == "ops@example.com"
    assert Actor("ops@example.com", "Ops").display_name == "Ops"
    with pytest.raises(dataclasses.FrozenInstanceError):
        ADMIN.username = "someone-else"  # type: ignore[misc]
    with pytest.raises(ValueError):
        Actor("  ")


def test_acting_user_is_the_configured_demo_user(monkeypatch):
    monkeypatch.delenv("MAAS_DEMO_USER", raising=False)
    assert acting_user() == Actor("admin@example.com")
    monkeypatch.setenv("MAAS_DEMO_USER", "lead@example.com")
    assert acting_user().username == "lead@example.com"


def test_directory_reads_the_three_tabs_in_one_call(seeded_db_url):
    who = dict(actor=ADMIN, url=seeded_db_url)
    found = directory.directory(**who)
    assert found.users == directory.list_users(**who) and found.users
    assert found.groups == directory.list_groups(**who) and found.groups
    assert found.service_accounts == directory.list_service_accounts(**who) and found.service_accounts
    user = found.users[0]
    narrowed = directory.directory(user.username.upper(), **who)
    assert user in narrowed.users and len(narrowed.users) < len(found.users)
    assert directory.directory("%", **who) == directory.Directory([], [], [])  # a literal %, not a wildcard
