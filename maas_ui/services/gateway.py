"""What the gateway reads from and writes to the database. No Reflex import.

Reads (keys by secret hash, models, policies, this month's cost) happen only when the gateway's
caches are cold or stale; writes come in batches from its recorder (usage rollups, the
per-request log, Last used, the daily sums).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session
from sqlmodel import select as orm_select

from maas_ui.domain import latency
from maas_ui.domain import policies as dom
from maas_ui.domain.assets import provider_def
from maas_ui.domain.gateway_urls import model_base_path
from maas_ui.domain.keys import SecretBox
from maas_ui.models import AiAsset, ApiKey, AssetKind, AuditLog, GatewayRequest, KeyStatus, OwnerKind, UsageRollup
from maas_ui.services import policies as policy_service
from maas_ui.services.usage import refresh_daily

U = UsageRollup.__table__
K = ApiKey.__table__
R = GatewayRequest.__table__


@dataclass(frozen=True)
class GatewayModel:
    id: int
    identifier: str
    name: str
    base_path: str  # e.g. /gpt-oss-20b/v1
    price_input_per_1m: float
    price_output_per_1m: float
    upstream_url: str  # "" = the built-in simulator
    upstream_model: str
    upstream_credential_encrypted: str = ""
    upstream_auth_header: str = "bearer"  # domain.assets.PROVIDERS: how the provider takes its credential

    def __repr__(self) -> str:  # never print the credential
        return f"GatewayModel({self.identifier!r}, upstream={self.upstream_url or 'simulator'!r})"

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * self.price_input_per_1m + output_tokens * self.price_output_per_1m) / 1_000_000


@dataclass(frozen=True)
class GatewayKey:
    id: int
    public_id: str
    name: str
    status: str  # active | disabled
    expires_at: datetime | None
    deleted: bool
    secret_hash: str
    owner_kind: str
    owner_id: int
    facts: dom.KeyFacts

    def __repr__(self) -> str:
        return f"GatewayKey({self.public_id!r}, status={self.status!r}, deleted={self.deleted})"


def _value(v) -> str:
    return v.value if hasattr(v, "value") else str(v)


def load_key(s: Session, secret_hash: str | None = None, *, public_id: str | None = None) -> GatewayKey | None:
    """The key with this secret hash, or public id (deleted ones too: they must be told apart from unknown)."""
    cond = ApiKey.secret_hash == secret_hash if public_id is None else ApiKey.public_id == public_id
    key = s.exec(orm_select(ApiKey).where(cond)).first()
    if key is None:
        return None
    facts = policy_service._key_facts(s, [key])[key.id]
    return GatewayKey(
        id=key.id, public_id=key.public_id, name=key.name, status=_value(key.status),
        expires_at=key.expires_at, deleted=key.deleted_at is not None, secret_hash=key.secret_hash,
        owner_kind=_value(key.owner_kind), owner_id=key.owner_id, facts=facts,
    )


def load_models(s: Session) -> list[GatewayModel]:
    rows = s.exec(orm_select(AiAsset).where(AiAsset.kind == AssetKind.MODEL, AiAsset.deleted_at.is_(None))
                  .order_by(AiAsset.id)).all()
    return [GatewayModel(
        id=a.id, identifier=a.identifier, name=a.name, base_path=model_base_path(a.endpoint_url, a.name),
        price_input_per_1m=a.price_input_per_1m or 0.0, price_output_per_1m=a.price_output_per_1m or 0.0,
        upstream_url=a.upstream_url or "", upstream_model=a.upstream_model or "",
        upstream_credential_encrypted=a.upstream_credential_encrypted or "",
        upstream_auth_header=provider_def(a.provider).auth_header,
    ) for a in rows]


def load_policy_facts(s: Session) -> list[dom.PolicyFacts]:
    """Every active policy, as the domain sees it."""
    return policy_service._all_policy_facts(s)


def month_start(now: datetime) -> datetime:
    return now.astimezone(timezone.utc).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def month_cost(conn: Connection, since: datetime, *, key_id: int | None = None,
               owner: tuple[str, int] | None = None, asset_id: int | None = None,
               until: datetime | None = None) -> float:
    """Recorded cost from `since` (a budget period's start) to `until` (its end) of one key, or of every
    key of one owner; optionally on one model only."""
    cond = [U.c.hour_start >= since]
    if until is not None:
        cond.append(U.c.hour_start < until)
    stmt = select(func.coalesce(func.sum(U.c.cost_usd), 0.0))
    if key_id is not None:
        cond.append(U.c.key_id == key_id)
        stmt = stmt.select_from(U)
    else:
        kind, owner_id = owner
        stmt = stmt.select_from(U.join(K, K.c.id == U.c.key_id))
        cond += [K.c.owner_kind == OwnerKind(kind), K.c.owner_id == owner_id]
    if asset_id is not None:
        cond.append(U.c.asset_id == asset_id)
    return float(conn.execute(stmt.where(and_(*cond))).scalar_one() or 0.0)


# Recording ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RequestRecord:
    """One request the gateway answered (or refused) for a known key."""

    at: datetime
    key_id: int
    asset_id: int | None  # None: the model named was not one of the key's
    status: int
    outcome: str  # ok | throttled | the error code
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    throttled: bool = False
    streamed: bool = False

    @property
    def is_error(self) -> bool:
        return self.status >= 400


def _hour(t: datetime) -> datetime:
    return t.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)


def _upsert_rollups(conn: Connection, rows: list[dict]) -> None:
    dialect = conn.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
        greatest = func.max
    else:
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
        greatest = func.greatest
    stmt = dialect_insert(U)
    summed = ["requests", "errors", "throttled", "input_tokens", "output_tokens", "cost_usd", "latency_ms_sum",
              *latency.BUCKET_COLUMNS]
    set_ = {c: U.c[c] + stmt.excluded[c] for c in summed}
    set_["latency_ms_max"] = greatest(U.c.latency_ms_max, stmt.excluded.latency_ms_max)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key_id", "asset_id", "hour_start"], set_=set_), rows)


def record_batch(conn: Connection, records: Iterable[RequestRecord]) -> int:
    """Write a batch in one transaction: per-request rows, hourly rollups (summed per key, model
    and hour), Last used, and the daily sums of the days touched. Returns the number written."""
    records = list(records)
    if not records:
        return 0
    conn.execute(insert(R), [{
        "at": r.at, "key_id": r.key_id, "asset_id": r.asset_id, "status": r.status, "outcome": r.outcome,
        "input_tokens": r.input_tokens, "output_tokens": r.output_tokens, "cost_usd": r.cost_usd,
        "latency_ms": r.latency_ms, "streamed": r.streamed,
    } for r in records])
    rollups: dict[tuple[int, int, datetime], dict] = {}
    last_used: dict[int, datetime] = {}
    for r in records:
        if r.at > last_used.get(r.key_id, r.at - timedelta(seconds=1)):
            last_used[r.key_id] = r.at
        if r.asset_id is None:
            continue
        k = (r.key_id, r.asset_id, _hour(r.at))
        row = rollups.get(k)
        if row is None:
            row = rollups[k] = {"key_id": k[0], "asset_id": k[1], "hour_start": k[2], "requests": 0, "errors": 0,
                                "throttled": 0, "input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0,
                                "latency_ms_sum": 0.0, "latency_ms_max": 0.0,
                                **{c: 0 for c in latency.BUCKET_COLUMNS}}
        row["requests"] += 1
        row["errors"] += int(r.is_error)
        row["throttled"] += int(r.throttled)
        row["input_tokens"] += r.input_tokens
        row["output_tokens"] += r.output_tokens
        row["cost_usd"] += r.cost_usd
        row["latency_ms_sum"] += r.latency_ms
        row["latency_ms_max"] = max(row["latency_ms_max"], r.latency_ms)
        row[latency.BUCKET_COLUMNS[latency.bucket_of(r.latency_ms)]] += 1
    if rollups:
        _upsert_rollups(conn, list(rollups.values()))
    for key_id, at in last_used.items():
        conn.execute(update(K).where(K.c.id == key_id, (K.c.last_used_at.is_(None)) | (K.c.last_used_at < at))
                     .values(last_used_at=at))
    if rollups:
        hours = [k[2] for k in rollups]
        refresh_daily(conn, min(hours), max(hours) + timedelta(hours=1))
    return len(records)


# Upstream configuration (admin) ---------------------------------------------------------------
def set_model_upstream(s: Session, identifier: str, *, url: str, model: str = "", credential: str | None = None,
                       actor: str, box: SecretBox | None = None, now: datetime | None = None) -> None:
    """Point a model at an OpenAI-compatible URL ("" = the simulator). The credential is stored
    encrypted; None keeps the stored one, "" removes it. Audited without the credential."""
    from maas_ui.services.api_keys import default_box

    asset = s.exec(orm_select(AiAsset).where(AiAsset.identifier == identifier, AiAsset.kind == AssetKind.MODEL)).first()
    if asset is None:
        raise LookupError(identifier)
    asset.upstream_url = url.strip()
    asset.upstream_model = model.strip()
    if credential is not None:
        asset.upstream_credential_encrypted = (box or default_box()).encrypt(credential) if credential else ""
    s.add(asset)
    s.add(AuditLog(at=now or datetime.now(timezone.utc), actor=actor, action="model.upstream", entity_kind="model",
                   entity_id=identifier, summary=f"Set the upstream of {asset.name} to {url or 'the simulator'}"))
    s.commit()


def credential_of(model: GatewayModel, box: SecretBox) -> str | None:
    return box.decrypt(model.upstream_credential_encrypted) if model.upstream_credential_encrypted else None


__all__ = [
    "GatewayKey", "GatewayModel", "RequestRecord", "load_key", "load_models", "load_policy_facts", "month_cost",
    "month_start", "record_batch", "set_model_upstream", "credential_of", "KeyStatus",
]
