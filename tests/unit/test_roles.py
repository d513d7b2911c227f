"""Who may do what: the services called as a platform admin and as an AI engineer for each action,
where the identity comes from (demo Switch user, proxy headers), and the audit log they write."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

import pytest
from sqlmodel import select

from maas_ui import db, identity
from maas_ui.domain import audit as audit_dom
from maas_ui.domain.key_forms import KeyFormInput
from maas_ui.domain.roles import AI_ENGINEER, PLATFORM_ADMIN, ROLES, Permission, PermissionDenied, role_for_groups
from maas_ui.models import ApiKey, AuditLog, Group, GroupMembership, OwnerKind, User
from maas_ui.services import access, audit
from maas_ui.services import api_keys as keys
from maas_ui.services import policies
from maas_ui.services import usage


def test_one_table_of_roles():
    assert set(ROLES) == {PLATFORM_ADMIN, AI_ENGINEER}
    assert ROLES[PLATFORM_ADMIN].permissions == frozenset(Permission)
    assert not ROLES[AI_ENGINEER].may(Permission.POLICIES_MANAGE)
    assert role_for_groups(["ml-ops", "platform-admins"], "platform-admins") == PLATFORM_ADMIN
    assert role_for_groups(["ml-ops"], "platform-admins") == AI_ENGINEER
    assert role_for_groups(["ops"], "ops") == PLATFORM_ADMIN  # the admin group is configurable


def _people(url):
    with db.session(url) as s:
        admin_ids = set(s.exec(select(GroupMembership.user_id).join(Group, Group.id == GroupMembership.group_id)
                               .where(Group.name == "platform-admins")).all())
        users = s.exec(select(User).order_by(User.id)).all()
        owned = {u.id: s.exec(select(ApiKey.public_id).where(ApiKey.owner_kind == OwnerKind.USER,
                                                              ApiKey.owner_id == u.id,
                                                              ApiKey.deleted_at.is_(None))).all() for u in users}
    admins = [u for u in users if u.id in admin_ids]
    engineers = [u for u in users if u.id not in admin_ids]
    return admins, engineers, owned


def test_the_seed_has_a_few_admins(seeded_db_url):
    admins, engineers, _ = _people(seeded_db_url)
    assert 1 <= len(admins) <= 4 < len(engineers)


@pytest.fixture()
def world(fresh_seeded_db_url):
    url = fresh_seeded_db_url
    admins, engineers, owned = _people(url)
    engineer = next(u for u in engineers if owned[u.id])
    other = next(u for u in users_with_keys(engineers, owned) if u.id != engineer.id)
    return SimpleNamespace(url=url, admin=access.actor_for(admins[0].username, url),
                           engineer=access.actor_for(engineer.username, url), engineer_row=engineer,
                           own_key=owned[engineer.id][0], others_key=owned[other.id][0], other=other)


def users_with_keys(users, owned):
    return [u for u in users if owned[u.id]]


def test_actor_for_gives_groups_and_role(world):
    assert world.admin.role == PLATFORM_ADMIN and "platform-admins" in world.admin.groups
    assert world.engineer.role == AI_ENGINEER and world.engineer.groups


def test_engineer_sees_only_keys_within_reach(world):
    mine = keys.list_keys(keys.KeyListQuery(per_page=100), actor=world.engineer, url=world.url)
    everyone = keys.list_keys(keys.KeyListQuery(per_page=100), actor=world.admin, url=world.url)
    ids = {r.public_id for r in mine.rows}
    assert world.own_key in ids and world.others_key not in ids
    assert 0 < mine.total < everyone.total
    assert keys.get_key(world.own_key, actor=world.engineer, url=world.url) is not None
    with pytest.raises(PermissionDenied):
        keys.get_key(world.others_key, actor=world.engineer, url=world.url)
    assert keys.get_key(world.others_key, actor=world.admin, url=world.url) is not None


def _audit_count(url):
    with db.session(url) as s:
        return len(s.exec(select(AuditLog.id)).all())


@pytest.mark.parametrize("action", ["update", "disable", "delete", "reveal", "edit_form", "name", "key_policies"])
def test_engineer_cannot_touch_another_users_key_and_nothing_changes(world, action):
    before = keys.get_key(world.others_key, actor=world.admin, url=world.url)
    audits = _audit_count(world.url)
    who = dict(actor=world.engineer, url=world.url)
    calls = {
        "update": lambda: keys.update_key(world.others_key, KeyFormInput(name="stolen"), **who),
        "disable": lambda: keys.set_enabled(world.others_key, False, **who),
        "delete": lambda: keys.delete_key(world.others_key, **who),
        "reveal": lambda: keys.reveal_secret(world.others_key, **who),
        "edit_form": lambda: keys.edit_form(world.others_key, **who),
        "name": lambda: keys.key_name(world.others_key, **who),
        "key_policies": lambda: policies.key_policies(world.others_key, **who),
    }
    with pytest.raises(PermissionDenied):
        calls[action]()
    assert keys.get_key(world.others_key, actor=world.admin, url=world.url) == before
    assert _audit_count(world.url) == audits


def test_engineer_manages_own_key_and_admin_any(world):
    assert keys.set_enabled(world.own_key, False, actor=world.engineer, url=world.url)
    assert keys.get_key(world.own_key, actor=world.engineer, url=world.url).is_disabled
    assert keys.set_enabled(world.others_key, False, actor=world.admin, url=world.url)
    assert keys.get_key(world.others_key, actor=world.admin, url=world.url).is_disabled


def test_engineer_creates_keys_only_for_owners_within_reach(world):
    options = keys.form_options(actor=world.engineer, url=world.url)
    assert [o.value for o in options.owners["user"]] == [str(world.engineer_row.id)]
    reach = {o.value for o in options.owners["group"]}
    with db.session(world.url) as s:
        mine = set(str(g) for g in s.exec(select(Group.id).where(Group.name.in_(world.engineer.groups))).all())
    assert reach == mine
    for o in options.owners["service_account"]:  # those in a namespace named like one of their groups
        assert o.description in world.engineer.groups
    form = KeyFormInput(name="Not mine", owner_kind="user", owner_id=str(world.other.id))
    with pytest.raises(PermissionDenied):
        keys.create_key(form, actor=world.engineer, url=world.url)
    created = keys.create_key(KeyFormInput(name="Mine", owner_kind="user", owner_id=str(world.engineer_row.id)),
                              actor=world.engineer, url=world.url)
    assert keys.get_key(created, actor=world.engineer, url=world.url).created_by == world.engineer.username
    assert keys.create_key(form, actor=world.admin, url=world.url)


def test_engineer_sees_applicable_policies_read_only(world):
    mine = policies.list_policies(actor=world.engineer, url=world.url)
    everyone = policies.list_policies(actor=world.admin, url=world.url)
    assert len(mine.rows) < len(everyone.rows)
    hidden = next(r.slug for r in everyone.rows if r.slug not in {m.slug for m in mine.rows})
    with pytest.raises(PermissionDenied):
        policies.policy_page(hidden, actor=world.engineer, url=world.url)
    if mine.rows:
        assert policies.policy_page(mine.rows[0].slug, actor=world.engineer, url=world.url) is not None
    for call in (lambda: policies.set_policy_active(hidden, False, actor=world.engineer, url=world.url),
                 lambda: policies.delete_policy(hidden, actor=world.engineer, url=world.url),
                 lambda: policies.form_options(actor=world.engineer, url=world.url),
                 lambda: policies.edit_form(hidden, actor=world.engineer, url=world.url)):
        with pytest.raises(PermissionDenied):
            call()
    assert policies.get_policy(hidden, actor=world.admin, url=world.url).facts.is_active == \
        next(r for r in everyone.rows if r.slug == hidden).is_active


def test_engineer_usage_scope_is_their_own_keys(world):
    from datetime import datetime, timezone
    from maas_ui.domain.usage import RangeSelection

    scope = access.usage_key_scope(world.engineer, world.url)
    assert access.usage_key_scope(world.admin, world.url) is None
    with db.session(world.url) as s:
        owners = {k.owner_id for k in s.exec(select(ApiKey).where(ApiKey.id.in_(scope))).all()}
    assert owners == {world.engineer_row.id}
    window = RangeSelection.from_query({"range": "30d"}).window(datetime(2026, 6, 15, 12, tzinfo=timezone.utc))
    mine = usage.usage_overview(window, world.url, key_ids=scope)
    everyone = usage.usage_overview(window, world.url)
    assert set(mine.by_key["key_id"]) <= set(scope)
    assert mine.totals.requests < everyone.totals.requests


def test_audit_entries_carry_a_field_diff_and_scope(world):
    form = keys.key_form_values(world.own_key, actor=world.engineer, url=world.url)
    keys.update_key(world.own_key, KeyFormInput(**{**form.__dict__, "name": "Renamed by test"}),
                    actor=world.engineer, url=world.url)
    page = audit.list_entries(audit.AuditQuery(action="api_key.update"), actor=world.engineer, url=world.url)
    entry = page.rows[0]
    assert entry.entity_id == world.own_key and entry.entity_exists and entry.actor == world.engineer.username
    name_change = next(c for c in entry.changes if c.field == "name")
    assert name_change.new == "Renamed by test" and name_change.old != "Renamed by test"
    # The engineer sees nothing about other people's keys; the admin sees everything.
    was_disabled = keys.get_key(world.others_key, actor=world.admin, url=world.url).is_disabled
    keys.set_enabled(world.others_key, was_disabled, actor=world.admin, url=world.url)  # flip it
    assert not any(r.entity_id == world.others_key
                   for r in audit.list_entries(audit.AuditQuery(per_page=100), actor=world.engineer, url=world.url).rows)
    action = "api_key.enable" if was_disabled else "api_key.disable"
    admin_rows = audit.list_entries(audit.AuditQuery(action=action), actor=world.admin, url=world.url).rows
    assert admin_rows[0].entity_id == world.others_key
    old, new = ("disabled", "active") if was_disabled else ("active", "disabled")
    assert (admin_rows[0].changes[0].old, admin_rows[0].changes[0].new) == (old, new)
    text = audit.entries_csv(audit.AuditQuery(action="api_key.update"), actor=world.engineer, url=world.url)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == audit.CSV_COLUMNS and rows[1][2] == "API key edited"
    assert json.loads(rows[1][6])["name"][1] == "Renamed by test"


def test_diff_lists_changed_fields_only():
    assert audit_dom.diff({"a": 1, "b": [2]}, {"a": 1, "b": (3,), "c": None}) == {"b": [[2], [3]]}
    assert audit_dom.diff(None, {"a": "x"}) == {"a": [None, "x"]}
    assert [(c.field, c.old, c.new) for c in audit_dom.field_changes('{"budget_usd": [null, 5]}')] == \
        [("budget usd", "\u2014", "5")]


def _state(headers: dict, token: str = "tab-1"):
    return SimpleNamespace(router=SimpleNamespace(headers=SimpleNamespace(raw_headers=headers),
                                                  session=SimpleNamespace(client_token=token)))


@pytest.fixture()
def configured(world, monkeypatch):
    monkeypatch.setenv("MAAS_DB_URL", world.url)
    monkeypatch.delenv("MAAS_DEMO_USER", raising=False)
    db.get_engine.cache_clear()
    yield world
    db.get_engine.cache_clear()


def test_demo_mode_default_switch_cookie_and_audit(configured, monkeypatch):
    w = configured
    monkeypatch.setenv("MAAS_AUTH_MODE", "demo")
    first = identity.acting_user(_state({}))
    assert first.role == PLATFORM_ADMIN
    # Proxy headers mean nothing in demo mode.
    assert identity.acting_user(_state({"x-forwarded-user": w.engineer.username})).username == first.username
    switched = identity.switch_user(_state({}, "tab-9"), w.engineer.username)
    assert switched.username == w.engineer.username
    assert identity.acting_user(_state({}, "tab-9")).username == w.engineer.username
    # Another browser with the cookie (after a reload) is the engineer too.
    cookie = f"theme=dark; {identity.DEMO_COOKIE}={w.engineer.username}"
    assert identity.acting_user(_state({"cookie": cookie}, "tab-2")).role == AI_ENGINEER
    entry = audit.list_entries(audit.AuditQuery(action="user.switch"), actor=w.admin, url=w.url).rows[0]
    assert entry.actor == first.username and entry.entity_id == w.engineer.username


def test_proxy_mode_trusts_forwarded_headers_only_then(configured, monkeypatch):
    monkeypatch.setenv("MAAS_AUTH_MODE", "proxy")
    headers = {"X-Forwarded-User": "kube:admin", "X-Forwarded-Email": "ka@example.com",
               "X-Forwarded-Groups": "ml-ops, platform-admins"}
    actor = identity.acting_user(_state(headers, "p-1"))
    assert (actor.username, actor.email, actor.role) == ("kube:admin", "ka@example.com", PLATFORM_ADMIN)
    assert identity.acting_user(_state({**headers, "X-Forwarded-Groups": "ml-ops"}, "p-2")).role == AI_ENGINEER
    assert identity.acting_user(_state({}, "p-3")) == identity.NOBODY
    assert identity.switch_user(_state(headers, "p-1"), configured.engineer.username) is None
    signed_in = audit.list_entries(audit.AuditQuery(action="user.sign_in"), actor=configured.admin,
                                   url=configured.url).rows
    identity.acting_user(_state(headers, "p-1"))  # the same connection again: no second entry
    signed_in = audit.list_entries(audit.AuditQuery(action="user.sign_in"), actor=configured.admin,
                                   url=configured.url).rows
    assert [r.actor for r in signed_in].count("kube:admin") == 2  # connections p-1 and p-2


def test_csv_cells_never_start_a_formula():
    assert audit._cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and audit._cell("plain") == "plain"
