"""Database tables (SQLModel, table=True). Schema changes go through Alembic (alembic/versions)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

from sqlalchemy import BigInteger, Index, Text, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from maas_ui.domain.inputs import fold

# Casefolded names can be longer than the names (ß -> ss, ligatures): room to spare.
FOLDED_NAME_MAX = 256


class OwnerKind(str, Enum):
    USER = "user"
    GROUP = "group"
    SERVICE_ACCOUNT = "service_account"


class AssetKind(str, Enum):
    MODEL = "model"
    MCP_SERVER = "mcp_server"
    VECTOR_DB = "vector_db"
    AGENT = "agent"


class KeyStatus(str, Enum):
    """Stored status. "Expired" is never stored: it is derived from expires_at."""

    ACTIVE = "active"
    DISABLED = "disabled"


class OverLimitBehavior(str, Enum):
    HARD = "hard"  # reject over-limit requests (HTTP 429)
    SOFT = "soft"  # allow and flag


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=64)
    full_name: str = Field(max_length=128)
    email: str = Field(max_length=256)
    created_at: datetime


class Group(SQLModel, table=True):
    __tablename__ = "groups"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=64)
    description: str = Field(default="", max_length=512)
    created_at: datetime


class GroupMembership(SQLModel, table=True):
    __tablename__ = "group_memberships"

    group_id: int = Field(foreign_key="groups.id", primary_key=True)
    user_id: int = Field(foreign_key="users.id", primary_key=True, index=True)


class ServiceAccount(SQLModel, table=True):
    __tablename__ = "service_accounts"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=64)
    namespace: str = Field(max_length=64)
    description: str = Field(default="", max_length=512)
    created_at: datetime


class AiAsset(SQLModel, table=True):
    """Anything published behind the gateway: a model endpoint, MCP server, vector database or agent."""

    __tablename__ = "ai_assets"

    id: int | None = Field(default=None, primary_key=True)
    kind: AssetKind = Field(index=True)
    name: str = Field(max_length=128)
    identifier: str = Field(index=True, unique=True, max_length=128)
    endpoint_url: str = Field(default="", max_length=512)
    description: str = Field(default="", max_length=512)
    # Models only: USD per one million tokens.
    price_input_per_1m: float | None = None
    price_output_per_1m: float | None = None
    # Vector databases only.
    size_bytes: int | None = Field(default=None, sa_type=BigInteger)  # collections exceed 2**31 bytes
    created_at: datetime
    # Models only: where the gateway sends requests. Empty URL: the built-in simulator.
    upstream_url: str = Field(default="", max_length=512)
    upstream_model: str = Field(default="", max_length=128)  # the upstream's model name (default: identifier)
    upstream_credential_encrypted: str = Field(default="", max_length=1024)  # Fernet, never shown to key holders
    # Migration 0012_assets: where it comes from (domain.assets.PROVIDERS), what the catalog shows,
    # and soft delete (usage history stays attributable to a deleted asset).
    provider: str = Field(default="internal", max_length=32)
    context_length: int | None = None
    owner: str = Field(default="", max_length=128)
    created_by: str = Field(default="", max_length=128)
    name_folded: str = Field(default="", index=True, max_length=FOLDED_NAME_MAX)
    deleted_at: datetime | None = Field(default=None, index=True)


class McpTool(SQLModel, table=True):
    __tablename__ = "mcp_tools"

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="ai_assets.id", index=True)
    name: str = Field(max_length=128)
    description: str = Field(default="", max_length=512)


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_keys"
    # The list's sort orders also have case-insensitive expression indexes (migration 0008_list_speed).
    __table_args__ = (
        Index("ix_api_keys_owner", "owner_kind", "owner_id"),
        Index("ix_api_keys_kind_status_expiry", "owner_kind", "status", "expires_at"),
        Index("ix_api_keys_live_name", "deleted_at", "name_folded"),
    )

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(index=True, unique=True, max_length=32)  # used in URLs
    name: str = Field(index=True, max_length=64)
    # fold(name), kept by the ORM hooks below: Unicode-caseless uniqueness and search on every
    # database (SQLite's LIKE and lower() only fold ASCII) (migration 0006_folded_names).
    name_folded: str = Field(default="", index=True, max_length=FOLDED_NAME_MAX)
    description: str = Field(default="", max_length=1024)
    owner_kind: OwnerKind
    owner_id: int
    # The owner's display name, stored for the list's owner sort (an index instead of a three-table
    # join per key). Whatever writes keys or renames owners calls services.api_keys.refresh_owner_names.
    owner_name: str = Field(default="", max_length=128)
    status: KeyStatus = Field(default=KeyStatus.ACTIVE, index=True)
    tokens_per_minute: int | None = None
    requests_per_minute: int | None = None
    budget_usd: float | None = None
    expires_at: datetime | None = Field(default=None, index=True)
    created_at: datetime = Field(index=True)
    created_by: str = Field(max_length=128)
    last_used_at: datetime | None = Field(default=None, index=True)
    # The secret itself is never stored: a SHA-256 hex digest for lookup, an encrypted copy
    # for the copy button, and the display fragments of the masked form.
    secret_hash: str = Field(index=True, unique=True, max_length=64)
    secret_encrypted: str = Field(default="", max_length=512)
    secret_prefix: str = Field(max_length=16)
    secret_suffix: str = Field(max_length=8)
    # Soft delete keeps usage history attributable (totals and chargeback do not change).
    deleted_at: datetime | None = Field(default=None, index=True)


class ApiKeyAsset(SQLModel, table=True):
    __tablename__ = "api_key_assets"

    key_id: int = Field(foreign_key="api_keys.id", primary_key=True)
    asset_id: int = Field(foreign_key="ai_assets.id", primary_key=True, index=True)


class Policy(SQLModel, table=True):
    __tablename__ = "policies"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=80)  # the policy ID, e.g. devs-rate-limit-standard
    name: str = Field(index=True, unique=True, max_length=80)
    name_folded: str = Field(default="", index=True, max_length=FOLDED_NAME_MAX)  # fold(name), as on api_keys
    description: str = Field(default="", max_length=1024)
    is_active: bool = Field(default=True, index=True)
    kuadrant_kind: str = Field(default="RateLimitPolicy", max_length=32)
    token_limit: int | None = None
    token_window_value: int | None = None
    token_window_unit: str | None = Field(default=None, max_length=8)  # minute | hour | day
    request_limit: int | None = None
    request_window_value: int | None = None
    request_window_unit: str | None = Field(default=None, max_length=8)
    budget_usd: float | None = None  # per calendar month; enforced by the console, not Kuadrant
    time_window_start: str | None = Field(default=None, max_length=5)  # "HH:MM"
    time_window_end: str | None = Field(default=None, max_length=5)
    over_limit_behavior: OverLimitBehavior = Field(default=OverLimitBehavior.HARD)
    # When the budget starts over (domain.renewals): monthly on a day, weekly on a weekday, or a
    # fixed date range, in a time zone (migration 0013_tiers).
    renewal_kind: str = Field(default="monthly", max_length=8)
    renewal_day: int = 1
    renewal_weekday: int = 0
    renewal_start: date | None = None
    renewal_end: date | None = None
    renewal_timezone: str = Field(default="UTC", max_length=64)
    # "All" (True) means no restriction on that asset kind; False restricts to policy_assets.
    all_models: bool = True
    all_mcp_servers: bool = True
    created_at: datetime
    created_by: str = Field(max_length=128)
    updated_at: datetime


class PolicyAsset(SQLModel, table=True):
    __tablename__ = "policy_assets"

    policy_id: int = Field(foreign_key="policies.id", primary_key=True)
    asset_id: int = Field(foreign_key="ai_assets.id", primary_key=True)


class PolicyTarget(SQLModel, table=True):
    __tablename__ = "policy_targets"
    __table_args__ = (Index("ix_policy_targets_target", "target_kind", "target_id"),)

    policy_id: int = Field(foreign_key="policies.id", primary_key=True)
    target_kind: OwnerKind = Field(primary_key=True)
    target_id: int = Field(primary_key=True)


class UsageRollup(SQLModel, table=True):
    """Traffic of one key to one asset during one hour."""

    __tablename__ = "usage_rollups"
    __table_args__ = (
        UniqueConstraint("key_id", "asset_id", "hour_start", name="uq_usage_key_asset_hour"),
        Index("ix_usage_key_hour", "key_id", "hour_start"),
        Index("ix_usage_hour", "hour_start"),
        # Covering index for window aggregation per key and asset (migration 0003_usage).
        Index(
            "ix_usage_key_asset_hour_cover", "key_id", "asset_id", "hour_start", "requests", "errors",
            "input_tokens", "output_tokens", "cost_usd", "latency_ms_sum", "latency_ms_max",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key_id: int = Field(foreign_key="api_keys.id")
    asset_id: int = Field(foreign_key="ai_assets.id")
    hour_start: datetime
    requests: int = 0
    errors: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms_sum: float = 0.0
    latency_ms_max: float = 0.0
    throttled: int = 0  # requests let through over a soft limit
    # Requests per latency bucket (domain.latency.BUCKET_BOUNDS_MS): p50/p95 of any range.
    latency_b00: int = 0
    latency_b01: int = 0
    latency_b02: int = 0
    latency_b03: int = 0
    latency_b04: int = 0
    latency_b05: int = 0
    latency_b06: int = 0
    latency_b07: int = 0
    latency_b08: int = 0
    latency_b09: int = 0
    latency_b10: int = 0
    latency_b11: int = 0


class UsageDaily(SQLModel, table=True):
    """Traffic of one key to one asset during one UTC day: the sums of that day's hourly rollups
    (and the largest hourly maximum latency). Long ranges read whole days here and only their
    partial-day edges from `usage_rollups` (services.usage). Whoever writes hourly rollups refreshes
    the days it touched with `services.usage.refresh_daily` (migration 0005_usage_daily)."""

    __tablename__ = "usage_daily"
    __table_args__ = (
        UniqueConstraint("key_id", "asset_id", "day_start", name="uq_usage_daily_key_asset_day"),
        # Per key/asset sums over whole days read only this index, already grouped.
        Index(
            "ix_usage_daily_key_asset_day_cover", "key_id", "asset_id", "day_start", "requests", "errors",
            "input_tokens", "output_tokens", "cost_usd", "latency_ms_sum", "latency_ms_max",
        ),
        # The all-keys time series sums per day in day order from this index alone.
        Index("ix_usage_daily_day_cover", "day_start", "requests", "errors", "input_tokens", "output_tokens",
              "cost_usd"),
        # One key's time series (Metrics tab): without it SQLite reads every key's days.
        Index("ix_usage_daily_key_day_cover", "key_id", "day_start", "requests", "errors", "input_tokens",
              "output_tokens", "cost_usd"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key_id: int = Field(foreign_key="api_keys.id")
    asset_id: int = Field(foreign_key="ai_assets.id")
    day_start: datetime  # 00:00 UTC of the day
    requests: int = 0
    errors: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms_sum: float = 0.0
    latency_ms_max: float = 0.0
    throttled: int = 0  # requests let through over a soft limit
    # Requests per latency bucket (domain.latency.BUCKET_BOUNDS_MS): p50/p95 of any range.
    latency_b00: int = 0
    latency_b01: int = 0
    latency_b02: int = 0
    latency_b03: int = 0
    latency_b04: int = 0
    latency_b05: int = 0
    latency_b06: int = 0
    latency_b07: int = 0
    latency_b08: int = 0
    latency_b09: int = 0
    latency_b10: int = 0
    latency_b11: int = 0


class GatewayRequest(SQLModel, table=True):
    """One request through the gateway (migration 0007_gateway): for drill-down and backtests."""

    __tablename__ = "gateway_requests"
    __table_args__ = (Index("ix_gateway_requests_key_at", "key_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    key_id: int = Field(foreign_key="api_keys.id")
    asset_id: int | None = Field(default=None, foreign_key="ai_assets.id")
    status: int
    outcome: str = Field(max_length=32)  # ok | throttled | error code such as rate_limited
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    streamed: bool = False


class UsageHourlyTotal(SQLModel, table=True):
    """Traffic of every key together during one hour: the Usage page's chart over time reads a
    year as 8,760 rows here instead of millions of rollups. Kept by `services.usage.refresh_daily`
    with usage_daily (migration 0009_usage_hourly_total)."""

    __tablename__ = "usage_hourly_total"

    hour_start: datetime = Field(primary_key=True)
    requests: int = 0
    errors: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    throttled: int = 0  # the gateway's throttled requests (the requests chart shows them)


class Tier(SQLModel, table=True):
    """A level of service: default token and request limits per model for the members of some groups."""

    __tablename__ = "tiers"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=63)  # the tier ID, e.g. premium
    name: str = Field(unique=True, max_length=64)
    name_folded: str = Field(default="", index=True, max_length=FOLDED_NAME_MAX)
    description: str = Field(default="", max_length=1024)
    level: int = Field(index=True, unique=True)  # the highest level among a user's groups wins
    token_limit: int | None = None
    token_window_value: int | None = None
    token_window_unit: str | None = Field(default=None, max_length=8)
    request_limit: int | None = None
    request_window_value: int | None = None
    request_window_unit: str | None = Field(default=None, max_length=8)
    created_at: datetime
    created_by: str = Field(max_length=128)
    updated_at: datetime


class TierGroup(SQLModel, table=True):
    __tablename__ = "tier_groups"

    tier_id: int = Field(foreign_key="tiers.id", primary_key=True)
    group_id: int = Field(foreign_key="groups.id", primary_key=True, index=True)


class Notification(SQLModel, table=True):
    """A budget or quota alert for one person: created once per threshold, limit and period."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("recipient", "key_public_id", "limit_source", "limit_kind", "threshold", "period_key",
                         name="uq_notification_once_per_period"),
        Index("ix_notifications_recipient_read", "recipient", "read_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(max_length=128)  # the username it is for
    key_public_id: str = Field(max_length=32)
    limit_source: str = Field(max_length=80)  # "key limit", a policy ID, "tier:<id>"
    limit_kind: str = Field(max_length=16)
    threshold: int  # 80 | 90 | 100
    period_key: str = Field(max_length=16)  # the period's start (domain.renewals.Period.key)
    title: str = Field(max_length=256)
    body: str = Field(default="", max_length=1024)
    created_at: datetime = Field(index=True)
    read_at: datetime | None = None


class AuditLog(SQLModel, table=True):
    """Append-only: nothing in the console edits or deletes a row (services/audit.py writes them)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_actor", "actor"),
        Index("ix_audit_log_action", "action"),
        Index("ix_audit_log_entity", "entity_kind", "entity_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor: str = Field(max_length=128)
    action: str = Field(max_length=64)  # e.g. api_key.create (domain/audit.ACTIONS)
    entity_kind: str = Field(max_length=32)
    entity_id: str = Field(max_length=80)
    summary: str = Field(default="", max_length=1024)
    # {"field": [old, new], ...} as JSON text (migration 0011_audit).
    changes: str = Field(default="{}", sa_type=Text, sa_column_kwargs={"server_default": "{}"})


def _fold_name(_mapper, _connection, row) -> None:
    row.name_folded = fold(row.name or "")


for _table in (ApiKey, Policy, AiAsset, Tier):
    event.listen(_table, "before_insert", _fold_name)
    event.listen(_table, "before_update", _fold_name)
