"""gateway: model upstreams, throttled counts and latency histograms, per-request log

The live gateway records every request: usage rows gain a throttled count and a fixed latency
histogram (domain.latency) so p50/p95 of any range can be read from summed counts; a
per-request table keeps each call for drill-down and backtests. Model assets gain an upstream
(an OpenAI-compatible URL, its model name and an encrypted credential; empty: the simulator).

Existing rows: the histogram is filled from each row's mean latency (all of a row's requests
in the bucket of its mean), so old data keeps a plausible median.

Revision ID: 0007_gateway
Revises: 0006_folded_names
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_gateway"
down_revision: Union[str, None] = "0006_folded_names"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Kept in step with maas_ui.domain.latency (a migration does not import app code).
BOUNDS_MS = (25, 50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600)
BUCKETS = [f"latency_b{i:02d}" for i in range(len(BOUNDS_MS) + 1)]
USAGE_TABLES = ("usage_rollups", "usage_daily")


def _bucket_case() -> str:
    mean = "(latency_ms_sum / requests)"
    whens = " ".join(f"WHEN {mean} <= {b} THEN {i}" for i, b in enumerate(BOUNDS_MS))
    return f"CASE {whens} ELSE {len(BOUNDS_MS)} END"


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (SQLite >= 3.35 and PostgreSQL): no table copy, so no foreign key trouble.
    op.add_column("ai_assets", sa.Column("upstream_url", sa.String(length=512), nullable=False, server_default=""))
    op.add_column("ai_assets", sa.Column("upstream_model", sa.String(length=128), nullable=False, server_default=""))
    op.add_column("ai_assets", sa.Column("upstream_credential_encrypted", sa.String(length=1024), nullable=False,
                                         server_default=""))
    for table in USAGE_TABLES:
        op.add_column(table, sa.Column("throttled", sa.Integer(), nullable=False, server_default="0"))
        for col in BUCKETS:
            op.add_column(table, sa.Column(col, sa.Integer(), nullable=False, server_default="0"))
        case = _bucket_case()
        for i, col in enumerate(BUCKETS):
            op.execute(f"UPDATE {table} SET {col} = requests WHERE requests > 0 AND {case} = {i}")
    op.create_table(
        "gateway_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("streamed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["ai_assets.id"]),
        sa.ForeignKeyConstraint(["key_id"], ["api_keys.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_gateway_requests_at", "gateway_requests", ["at"], unique=False)
    op.create_index("ix_gateway_requests_key_at", "gateway_requests", ["key_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_gateway_requests_key_at", table_name="gateway_requests")
    op.drop_index("ix_gateway_requests_at", table_name="gateway_requests")
    op.drop_table("gateway_requests")
    for table in USAGE_TABLES:
        for col in reversed(BUCKETS):
            op.drop_column(table, col)
        op.drop_column(table, "throttled")
    for col in ("upstream_credential_encrypted", "upstream_model", "upstream_url"):
        op.drop_column("ai_assets", col)
