"""Keys, models and policies held in memory, so a request costs no database query.

Entries remember the change counter (maas_ui.services.changes) they were loaded at: any commit
to keys, assets, policies or memberships in this process moves it, and the next request reloads
what it needs (a disabled or deleted key is refused at once). With a shared Redis (`redis`) the
counter other processes bump there is read per request too, so their writes are seen at once;
without it, writes from other processes are picked up after `ttl_s`. Secrets are looked up by their SHA-256 and compared with
hmac.compare_digest; the plaintext is never stored or logged.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from maas_ui import db
from maas_ui.domain import limits as lim
from maas_ui.domain.tiers import key_tier
from maas_ui.services.tiers import all_tier_facts
from maas_ui.domain.policies import AssetRef
from maas_ui.services import changes
from maas_ui.services import gateway as gw
from maas_gateway.limiter import unavailable_on_error

MAX_NEGATIVE = 10_000  # unknown secrets remembered (bounded: a flood of guesses cannot grow memory)


@dataclass
class KeyEntry:
    key: gw.GatewayKey
    models: dict[str, gw.GatewayModel]  # granted models by identifier and by name
    limits: dict[int, lim.ModelLimits]  # per granted model id
    identity: str

    def model(self, name: str) -> gw.GatewayModel | None:
        return self.models.get(name)

    def granted(self) -> list[gw.GatewayModel]:
        seen, out = set(), []
        for m in self.models.values():
            if m.id not in seen:
                seen.add(m.id)
                out.append(m)
        return sorted(out, key=lambda m: m.identifier)


Version = tuple[int, int]  # (this process's change counter, the shared one in Redis or 0)


@dataclass
class _Catalog:
    version: Version
    loaded_at: float
    models: list[gw.GatewayModel]
    by_id: dict[int, gw.GatewayModel]
    by_name: dict[str, gw.GatewayModel]
    by_path: dict[str, gw.GatewayModel]
    policies: list = field(default_factory=list)
    tiers: list = field(default_factory=list)  # domain.tiers.TierFacts, highest level first


class Directory:
    def __init__(self, ttl_s: float = 5.0, db_url: str | None = None, redis=None):
        self.ttl_s = ttl_s
        self.db_url = db_url
        self.redis = redis  # the shared change counter's Redis (a sync client), or None
        self._catalog: _Catalog | None = None
        self._keys: dict[str, tuple[KeyEntry | None, Version, float]] = {}
        self._lock = asyncio.Lock()
        self.loads = 0  # how many times the database was asked (tests and benchmarks watch it)

    def version(self) -> Version:
        if self.redis is None:
            return (changes.version(), 0)
        with unavailable_on_error():
            return (changes.version(), int(self.redis.get(changes.SHARED_KEY) or 0))

    def _fresh(self, version: Version, loaded_at: float, now_version: Version) -> bool:
        return version == now_version and time.monotonic() - loaded_at < self.ttl_s

    # Catalog ------------------------------------------------------------------------------
    def _load_catalog(self, version: Version) -> _Catalog:
        now = time.monotonic()
        with db.session(self.db_url) as s:
            models = gw.load_models(s)
            policies = gw.load_policy_facts(s)
            tiers = all_tier_facts(s)
        self.loads += 1
        by_name: dict[str, gw.GatewayModel] = {}
        for m in models:
            by_name.setdefault(m.name, m)
            by_name[m.identifier] = m
        return _Catalog(version, now, models, {m.id: m for m in models}, by_name,
                        {m.base_path: m for m in models}, policies, tiers)

    async def catalog(self, version: Version | None = None) -> _Catalog:
        version = version or self.version()
        c = self._catalog
        if c is not None and self._fresh(c.version, c.loaded_at, version):
            return c
        async with self._lock:
            c = self._catalog
            if c is None or not self._fresh(c.version, c.loaded_at, version):
                c = self._catalog = await asyncio.to_thread(self._load_catalog, version)
                self._keys.clear()  # key entries embed policies and models
        return c

    # Keys ---------------------------------------------------------------------------------
    def _load_key(self, digest: str | None, catalog: _Catalog, public_id: str | None = None) -> KeyEntry | None:
        with db.session(self.db_url) as s:
            key = gw.load_key(s, digest, public_id=public_id)
        self.loads += 1
        if key is None:
            return None
        models: dict[str, gw.GatewayModel] = {}
        limits: dict[int, lim.ModelLimits] = {}
        tier = key_tier(catalog.tiers, key.facts)  # the owner's tier adds its per-user, per-model limits
        for ref in key.facts.assets:
            m = catalog.by_id.get(ref.id)
            if m is None:
                continue
            models.setdefault(m.name, m)
            models[m.identifier] = m
            limits[m.id] = lim.limits_for_model(catalog.policies, key.facts,
                                                AssetRef(ref.id, ref.kind, ref.name, ref.identifier), tier)
        return KeyEntry(key, models, limits, lim.key_identity(key.facts))

    async def lookup(self, secret: str) -> KeyEntry | None:
        """The key whose secret this is (deleted and disabled ones included), or None."""
        digest = hashlib.sha256(secret.encode()).hexdigest()
        version = self.version()
        catalog = await self.catalog(version)
        cached = self._keys.get(digest)
        if cached is not None and self._fresh(cached[1], cached[2], version):
            entry = cached[0]
        else:
            now = time.monotonic()
            entry = await asyncio.to_thread(self._load_key, digest, catalog)
            if entry is None and len(self._keys) >= MAX_NEGATIVE:
                self._keys.clear()
            self._keys[digest] = (entry, version, now)
        if entry is None or not hmac.compare_digest(digest.encode(), entry.key.secret_hash.encode()):
            return None
        return entry

    async def by_public_id(self, public_id: str) -> KeyEntry | None:
        """The key's entry for the console's own pages (not cached: a page view, not a request)."""
        catalog = await self.catalog()
        return await asyncio.to_thread(self._load_key, None, catalog, public_id)

    def model_by_path(self, base_path: str) -> gw.GatewayModel | None:
        c = self._catalog
        return c.by_path.get(base_path) if c else None


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
