"""Shared fixtures of the API key unit tests: a migrated temporary database with a small world."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.fernet import Fernet

from maas_ui import db
from maas_ui.domain.identity import Actor
from maas_ui.domain.keys import SecretBox, mint_secret, new_public_id
from maas_ui.services.api_keys import refresh_owner_names
from maas_ui.models import (
    AiAsset, ApiKey, ApiKeyAsset, AssetKind, Group, KeyStatus, McpTool, OwnerKind, ServiceAccount, User,
)

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
ACTOR = "tester@example.com"
TESTER = Actor(username=ACTOR, display_name="Test User")  # who the tests act as


@dataclass
class World:
    url: str
    box: SecretBox
    users: list[int]
    groups: list[int]
    service_accounts: list[int]
    models: list[int]
    mcp: int
    vector_db: int
    agent: int

    def session(self):
        return db.session(self.url)


_counter = itertools.count()


@pytest.fixture
def world(make_db_url, monkeypatch) -> World:
    url = make_db_url("keys")
    key = Fernet.generate_key()
    monkeypatch.setenv("MAAS_SECRET_KEY", key.decode())
    db.migrate(url)
    with db.session(url) as s:
        users = [User(username=u, full_name=n, email=f"{u}@example.com", created_at=NOW)
                 for u, n in [("adoe", "Alice Doe"), ("bsmith", "Bob Smith"), ("czhang", "Chen Zhang")]]
        groups = [Group(name=g, created_at=NOW) for g in ["ai-engineers", "data-science"]]
        sas = [ServiceAccount(name="rag-pipeline-sa", namespace="kb", created_at=NOW)]
        models = [AiAsset(kind=AssetKind.MODEL, name=n, identifier=i, endpoint_url=f"https://maas.example.com/{n}/v1",
                          created_at=NOW)
                  for n, i in [("gpt-oss-20b", "openai/gpt-oss-20b"), ("granite-3.1b", "ibm/granite-3.1b"),
                               ("llama-3.3-70b", "meta/llama-3.3-70b")]]
        mcp = AiAsset(kind=AssetKind.MCP_SERVER, name="OpenShift", identifier="mcp-openshift",
                      endpoint_url="https://mcp.example.com/openshift/sse", created_at=NOW)
        vdb = AiAsset(kind=AssetKind.VECTOR_DB, name="docs-milvus", identifier="milvus-docs",
                      size_bytes=18_400_000_000, created_at=NOW)
        agent = AiAsset(kind=AssetKind.AGENT, name="Triage agent", identifier="agent-triage",
                        endpoint_url="https://agents.example.com/triage/v1", created_at=NOW)
        s.add_all([*users, *groups, *sas, *models, mcp, vdb, agent])
        s.flush()
        s.add_all([McpTool(asset_id=mcp.id, name="pods_list"), McpTool(asset_id=mcp.id, name="pods_log")])
        s.commit()
        return World(url=url, box=SecretBox(key), users=[u.id for u in users], groups=[g.id for g in groups],
                     service_accounts=[a.id for a in sas], models=[m.id for m in models], mcp=mcp.id,
                     vector_db=vdb.id, agent=agent.id)


def insert_key(
    world: World,
    name: str,
    *,
    owner: tuple[OwnerKind, int] | None = None,
    status: KeyStatus = KeyStatus.ACTIVE,
    expires_at: datetime | None = None,
    created_at: datetime | None = None,
    last_used_at: datetime | None = None,
    deleted: bool = False,
    assets: list[int] = (),
) -> str:
    """A key written straight to the database (for list tests that need exact dates)."""
    n = next(_counter)
    secret = mint_secret()
    kind, owner_id = owner or (OwnerKind.USER, world.users[0])
    with world.session() as s:
        key = ApiKey(
            public_id=new_public_id(), name=name, owner_kind=kind, owner_id=owner_id, status=status,
            expires_at=expires_at, created_at=created_at or NOW - timedelta(days=30, minutes=n),
            created_by=ACTOR, last_used_at=last_used_at, secret_hash=secret.sha256,
            secret_encrypted=world.box.encrypt(secret.plaintext), secret_prefix=secret.prefix,
            secret_suffix=secret.suffix, deleted_at=NOW - timedelta(days=1) if deleted else None,
        )
        s.add(key)
        s.flush()
        refresh_owner_names(s, [key.id])  # as any code writing keys directly must
        for a in assets:
            s.add(ApiKeyAsset(key_id=key.id, asset_id=a))
        s.commit()
        return key.public_id
