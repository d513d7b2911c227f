"""Create, update, disable/enable, delete and reveal, with their audit rows; secrets never stored in plain."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from tests.databases import dump_text
from tests.unit.api_key_fixtures import ACTOR, NOW, TESTER, World, insert_key, world  # noqa: F401 (fixture)
from maas_ui.domain.key_forms import KeyFormInput
from maas_ui.domain.keys import hash_secret, verify_secret
from maas_ui.models import ApiKey, ApiKeyAsset, AuditLog, UsageRollup
from maas_ui.services import api_keys as svc


def _form(w: World, **kw) -> KeyFormInput:
    base = dict(name="chatbot-prod", description="Support bot", owner_kind="user", owner_id=str(w.users[0]),
                tokens_per_minute="10000", requests_per_minute="60", budget_usd="250", expires_on="2026-12-31",
                asset_ids=(str(w.models[0]), str(w.mcp)))
    base.update(kw)
    return KeyFormInput(**base)


def _audit(w: World, public_id: str) -> list[AuditLog]:
    with w.session() as s:
        return list(s.exec(select(AuditLog).where(AuditLog.entity_id == public_id).order_by(AuditLog.id)).all())


def _create(w: World, **kw) -> str:
    return svc.create_key(_form(w, **kw), actor=TESTER, url=w.url, now=NOW)


def test_create_stores_everything_and_audits(world: World):
    public_id = _create(world)
    assert re.fullmatch(r"key-[0-9a-f]{10}", public_id)
    d = svc.get_key(public_id, actor=TESTER, url=world.url, now=NOW)
    assert d.name == "chatbot-prod" and d.description == "Support bot"
    assert d.status == "Active" and not d.is_disabled
    assert (d.owner_kind, d.owner_name, d.owner_kind_label) == ("user", "Alice Doe", "User")
    assert (d.tokens_per_minute, d.requests_per_minute, d.budget_usd) == (10000, 60, 250.0)
    assert (d.token_limit, d.request_limit, d.budget_limit) == (
        "10,000 tokens per minute", "60 requests per minute", "$250")
    assert d.expires_at == datetime(2026, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    assert d.expiration == "31 Dec 2026"
    assert d.created_at == NOW and d.last_used == "Never"
    sections = {sec.kind: [a.name for a in sec.assets] for sec in d.asset_sections}
    assert sections == {"model": ["gpt-oss-20b"], "mcp_server": ["OpenShift"], "vector_db": [], "agent": []}
    assert d.asset_sections[1].assets[0].tools == ["pods_list", "pods_log"]
    [row] = _audit(world, public_id)
    assert (row.action, row.actor, row.entity_kind) == ("api_key.create", ACTOR, "api_key")
    assert "chatbot-prod" in row.summary and "sk-" not in row.summary


def test_create_invalid_raises_with_field_messages_and_writes_nothing(world: World):
    _create(world)
    with pytest.raises(svc.KeyFormInvalid) as exc:
        svc.create_key(_form(world, name=" CHATBOT-prod ", budget_usd="-1"), actor=TESTER, url=world.url, now=NOW)
    assert set(exc.value.errors) == {"name", "budget_usd"}
    with world.session() as s:
        assert len(s.exec(select(ApiKey)).all()) == 1
        assert len(s.exec(select(AuditLog)).all()) == 1


def test_minted_secret_is_stored_hashed_and_encrypted_never_plain(world: World, tmp_path):
    public_id = _create(world)
    secret = svc.reveal_secret(public_id, actor=TESTER, url=world.url, now=NOW)
    d = svc.get_key(public_id, actor=TESTER, url=world.url, now=NOW)
    with world.session() as s:
        key = s.exec(select(ApiKey).where(ApiKey.public_id == public_id)).one()
    assert secret.startswith("sk-") and len(secret) >= 43
    assert re.fullmatch(r"sk-[A-Za-z0-9_-]{40,}", secret)
    assert key.secret_hash == hash_secret(secret) and verify_secret(secret, key.secret_hash)
    assert key.secret_encrypted and secret not in key.secret_encrypted
    assert world.box.decrypt(key.secret_encrypted) == secret
    assert d.masked_key == f"{secret[:7]}...{secret[-4:]}" and "..." in d.masked_key
    # The plaintext appears nowhere in the database's contents.
    dump = dump_text(world.url)
    assert secret not in dump and secret[3:] not in dump


def test_two_keys_get_different_secrets(world: World):
    a, b = _create(world, name="a"), _create(world, name="b")
    assert svc.reveal_secret(a, actor=TESTER, url=world.url) != svc.reveal_secret(b, actor=TESTER, url=world.url)


def test_reveal_is_audited_and_impossible_after_delete(world: World):
    public_id = _create(world)
    assert svc.reveal_secret(public_id, actor=TESTER, url=world.url, now=NOW)
    assert [r.action for r in _audit(world, public_id)] == ["api_key.create", "api_key.copy_secret"]
    svc.delete_key(public_id, actor=TESTER, url=world.url, now=NOW)
    assert svc.reveal_secret(public_id, actor=TESTER, url=world.url) is None
    assert svc.reveal_secret("key-nope", actor=TESTER, url=world.url) is None


def test_reveal_with_another_encryption_key_fails_quietly(world: World):
    from cryptography.fernet import Fernet

    from maas_ui.domain.keys import SecretBox

    public_id = _create(world)
    assert svc.reveal_secret(public_id, box=SecretBox(Fernet.generate_key()), actor=TESTER, url=world.url) is None


def test_update_changes_fields_assets_and_audits_what_changed(world: World):
    public_id = _create(world)
    form = svc.key_form_values(public_id, actor=TESTER, url=world.url)
    assert form.name == "chatbot-prod" and form.expires_on == "2026-12-31" and form.budget_usd == "250"
    d = svc.update_key(public_id, KeyFormInput(**{
        **form.__dict__, "name": "chatbot-staging", "tokens_per_minute": "", "budget_usd": "99.5",
        "asset_ids": (str(world.models[1]), str(world.vector_db)), "owner_id": str(world.users[1]),
    }), actor=TESTER, url=world.url, now=NOW)
    assert d.name == "chatbot-staging" and d.tokens_per_minute is None and d.budget_usd == 99.5
    assert d.owner_name == "Alice Doe"  # the owner does not change on edit
    assert {sec.kind: [a.name for a in sec.assets] for sec in d.asset_sections} == {
        "model": ["granite-3.1b"], "mcp_server": [], "vector_db": ["docs-milvus"], "agent": []}
    assert d.asset_sections[2].assets[0].size == "18.4 GB"
    last = _audit(world, public_id)[-1]
    assert last.action == "api_key.update" and last.actor == ACTOR
    assert "name" in last.summary and "token rate limit" in last.summary and "asset access" in last.summary
    assert "expiration" not in last.summary


def _save_unchanged(w: World, public_id: str) -> None:
    svc.update_key(public_id, svc.key_form_values(public_id, actor=TESTER, url=w.url), actor=TESTER, url=w.url, now=NOW)


def test_update_without_changes_writes_no_audit_row(world: World):
    public_id = _create(world)
    _save_unchanged(world, public_id)
    assert len(_audit(world, public_id)) == 1


def test_update_keeps_past_expiry_of_expired_key_and_its_exact_instant(world: World):
    expires = NOW - timedelta(days=3, hours=5)
    public_id = insert_key(world, "old", expires_at=expires)
    form = svc.key_form_values(public_id, actor=TESTER, url=world.url)
    d = svc.update_key(public_id, KeyFormInput(**{**form.__dict__, "description": "x"}),
                       actor=TESTER, url=world.url, now=NOW)
    assert d.expires_at == expires and d.status == "Expired"


def test_update_validation(world: World):
    public_id = _create(world)
    _create(world, name="other")
    form = svc.key_form_values(public_id, actor=TESTER, url=world.url)
    with pytest.raises(svc.KeyFormInvalid) as exc:
        svc.update_key(public_id, KeyFormInput(**{**form.__dict__, "name": "Other", "expires_on": "2026-06-01"}),
                       actor=TESTER, url=world.url, now=NOW)
    assert set(exc.value.errors) == {"name", "expires_on"}
    # Keeping its own name is not a duplicate.
    _save_unchanged(world, public_id)


def test_disable_enable_are_audited_and_idempotent(world: World):
    public_id = _create(world)
    who = dict(actor=TESTER, url=world.url)
    assert svc.set_enabled(public_id, False, **who, now=NOW) == "chatbot-prod"
    assert svc.get_key(public_id, **who, now=NOW).status == "Disabled"
    svc.set_enabled(public_id, False, **who, now=NOW)
    svc.set_enabled(public_id, True, **who, now=NOW)
    assert svc.get_key(public_id, **who, now=NOW).status == "Active"
    assert [r.action for r in _audit(world, public_id)] == ["api_key.create", "api_key.disable", "api_key.enable"]


def test_soft_delete_hides_key_keeps_usage_and_frees_name(world: World):
    public_id = _create(world)
    who = dict(actor=TESTER, url=world.url)
    with world.session() as s:
        key = s.exec(select(ApiKey).where(ApiKey.public_id == public_id)).one()
        s.add(UsageRollup(key_id=key.id, asset_id=world.models[0], hour_start=NOW, requests=5))
        s.commit()
    assert svc.delete_key(public_id, **who, now=NOW) == "chatbot-prod"
    assert svc.get_key(public_id, **who) is None
    assert svc.list_keys(**who, now=NOW).total == 0
    with world.session() as s:
        key = s.exec(select(ApiKey).where(ApiKey.public_id == public_id)).one()
        assert key.deleted_at == NOW and key.secret_encrypted == "" and key.secret_hash
        assert len(s.exec(select(UsageRollup).where(UsageRollup.key_id == key.id)).all()) == 1
        assert len(s.exec(select(ApiKeyAsset).where(ApiKeyAsset.key_id == key.id)).all()) == 2
    with pytest.raises(svc.KeyNotFound):
        svc.delete_key(public_id, **who)
    with pytest.raises(svc.KeyNotFound):
        svc.set_enabled(public_id, True, **who)
    with pytest.raises(svc.KeyNotFound):
        svc.key_form_values(public_id, **who)
    with pytest.raises(svc.KeyNotFound):
        svc.edit_form(public_id, **who)
    last = _audit(world, public_id)[-1]
    assert last.action == "api_key.delete" and "chatbot-prod" in last.summary
    _create(world)  # the name is free again


def test_unknown_key(world: World):
    assert svc.get_key("key-0000000000", actor=TESTER, url=world.url) is None
    assert svc.get_key("", actor=TESTER, url=world.url) is None
    assert svc.key_name("nope", actor=TESTER, url=world.url) is None


def test_form_options(world: World):
    opts = svc.form_options(actor=TESTER, url=world.url)
    assert [o.label for o in opts.owners["user"]] == ["Alice Doe", "Bob Smith", "Chen Zhang"]
    assert opts.owners["user"][0].description == "adoe"
    assert [o.label for o in opts.owners["group"]] == ["ai-engineers", "data-science"]
    assert [o.label for o in opts.owners["service_account"]] == ["rag-pipeline-sa"]
    assert [o.label for o in opts.assets["model"]] == ["gpt-oss-20b", "granite-3.1b", "llama-3.3-70b"]
    assert [o.label for o in opts.assets["mcp_server"]] == ["OpenShift"]
    assert [o.value for o in opts.assets["vector_db"]] == [str(world.vector_db)]
    assert [o.label for o in opts.assets["agent"]] == ["Triage agent"]
