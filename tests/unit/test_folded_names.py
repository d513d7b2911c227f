"""Names compare and search with Unicode case folding (the stored name_folded column), for API keys and
policies alike; the migration fills it for rows written before it existed."""

from __future__ import annotations

import sqlite3

import pytest
from sqlmodel import select

from maas_ui import db
from maas_ui.domain.key_forms import KeyFormInput
from maas_ui.domain.policies import PolicyForm
from maas_ui.models import ApiKey, Group, Policy
from maas_ui.services import api_keys as keys
from maas_ui.services import policies as pols
from tests.unit.api_key_fixtures import NOW, TESTER, World, insert_key, world  # noqa: F401 (fixture)
from tests.unit.policy_fixtures import policy_template_db, seeded_url  # noqa: F401 (fixtures)


def _key_form(w: World, name: str, owner: int | None = None) -> KeyFormInput:
    return KeyFormInput(name=name, owner_kind="user", owner_id=str(owner or w.users[0]))


def test_key_names_unique_per_owner_across_scripts_and_case(world: World):
    who = dict(actor=TESTER, url=world.url)
    keys.create_key(_key_form(world, "Ключ"), **who, now=NOW)
    with pytest.raises(keys.KeyFormInvalid) as refused:
        keys.create_key(_key_form(world, "ключ"), **who, now=NOW)
    assert "already has an API key named \u201cключ\u201d" in refused.value.errors["name"]
    # Another owner may use it.
    keys.create_key(_key_form(world, "ключ", owner=world.users[1]), **who, now=NOW)
    assert keys.owner_key_names("user", world.users[0], **who) == ["ключ"]


def test_key_search_folds_every_script(world: World):
    insert_key(world, "ключ-прод")
    insert_key(world, "Straße-bot")
    insert_key(world, "plain")
    for search, expected in [("КЛЮЧ", ["ключ-прод"]), ("STRASSE", ["Straße-bot"]), ("Ключ-П", ["ключ-прод"])]:
        rows = keys.list_keys(keys.KeyListQuery(search=search), actor=TESTER, url=world.url, now=NOW).rows
        assert [r.name for r in rows] == expected, search
    with world.session() as s:
        stored = s.exec(select(ApiKey.name_folded).where(ApiKey.name == "Straße-bot")).one()
        assert stored == "strasse-bot"


def test_renaming_a_key_refolds_it(world: World):
    who = dict(actor=TESTER, url=world.url)
    public_id = keys.create_key(_key_form(world, "Old"), **who, now=NOW)
    keys.update_key(public_id, _key_form(world, "НОВЫЙ"), **who, now=NOW)
    assert [r.name for r in keys.list_keys(keys.KeyListQuery(search="новый"), **who, now=NOW).rows] == ["НОВЫЙ"]


def _group(s, name: str) -> int:
    return s.exec(select(Group.id).where(Group.name == name)).one()


def test_policy_with_non_latin_name_gets_the_id_typed_and_folded_search(seeded_url):
    who = dict(actor=TESTER, url=seeded_url)
    with db.session(seeded_url) as s:
        form = PolicyForm(name="Политика лимитов", token_limit="1000", group_ids=[_group(s, "data-science")])
    with pytest.raises(pols.ValidationError) as refused:
        pols.create_policy(form, **who)
    assert "Enter a policy ID" in refused.value.errors["policy_id"]
    form.policy_id = "limits-ru"
    assert pols.create_policy(form, **who) == "limits-ru"
    assert [r.name for r in pols.list_policies(pols.PolicyListQuery(search="ПОЛИТИКА"), **who).rows] == [
        "Политика лимитов"]
    dup = PolicyForm(name="ПОЛИТИКА ЛИМИТОВ", policy_id="other", token_limit="5")
    errors, _warnings = pols.check_form(dup, **who)
    assert errors["name"].startswith('A policy named "ПОЛИТИКА ЛИМИТОВ" already exists')
    # Editing keeps the ID: no ID is asked for.
    errors, _warnings = pols.check_form(pols.policy_form("limits-ru", **who), editing_slug="limits-ru", **who)
    assert errors == {}


def test_migration_fills_folded_names_of_existing_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg_path = tmp_path / "old.db"
    from alembic import command

    command.upgrade(db.alembic_config(url), "0005_usage_daily")
    con = sqlite3.connect(cfg_path)
    con.execute("INSERT INTO policies (slug, name, description, is_active, kuadrant_kind, over_limit_behavior, "
                "all_models, all_mcp_servers, created_at, created_by, updated_at) VALUES "
                "('p', 'ГРАНИЦА', '', 1, 'AuthPolicy', 'HARD', 1, 1, '2026-01-01', 'x', '2026-01-01')")
    con.commit()
    con.close()
    command.upgrade(db.alembic_config(url), "head")
    with db.session(url) as s:
        assert s.exec(select(Policy.name_folded).where(Policy.slug == "p")).one() == "граница"


@pytest.mark.skipif(not __import__("os").environ.get("MAAS_FOLDED_TEST_DB_URL"),
                    reason="set MAAS_FOLDED_TEST_DB_URL to an empty PostgreSQL database to run")
def test_same_folding_on_another_database():
    """On PostgreSQL (or any other database): the backfill, the uniqueness and the search behave as on SQLite.
    MAAS_FOLDED_TEST_DB_URL, e.g. postgresql+psycopg://maas@127.0.0.1:5432/maas_test, is wiped first."""
    import os

    from alembic import command
    from sqlalchemy import text

    url = os.environ["MAAS_FOLDED_TEST_DB_URL"]
    with db.get_engine(url).begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    command.upgrade(db.alembic_config(url), "0005_usage_daily")
    with db.get_engine(url).begin() as conn:
        conn.execute(text(
            "INSERT INTO policies (slug, name, description, is_active, kuadrant_kind, over_limit_behavior, "
            "all_models, all_mcp_servers, created_at, created_by, updated_at) VALUES "
            "('p', 'ГРАНИЦА', '', true, 'AuthPolicy', 'HARD', true, true, now(), 'x', now())"))
    command.upgrade(db.alembic_config(url), "head")
    with db.session(url) as s:
        assert s.exec(select(Policy.name_folded).where(Policy.slug == "p")).one() == "граница"
    who = dict(actor=TESTER, url=url)
    assert [r.name for r in pols.list_policies(pols.PolicyListQuery(search="граНИ"), **who).rows] == ["ГРАНИЦА"]
    errors, _warnings = pols.check_form(PolicyForm(name="граница", policy_id="q", token_limit="5"), **who)
    assert "already exists" in errors["name"]
