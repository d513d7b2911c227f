"""usage_daily: per key, asset and UTC day sums of the hourly rollups, for long ranges

"Last year" on the Usage page summed ~4 million hourly rows twice (~1 s). Whole days are now
read from this table (~460,000 rows a year on the large seed) and only the partial-day edges
from usage_rollups. The upgrade fills it from the existing hourly rollups.

Revision ID: 0005_usage_daily
Revises: 0004_asset_size_bigint
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005_usage_daily"
down_revision: Union[str, None] = "0004_asset_size_bigint"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MEASURES = ["requests", "errors", "input_tokens", "output_tokens", "cost_usd", "latency_ms_sum", "latency_ms_max"]


def _day_sql(dialect: str) -> str:
    # Kept in step with services.usage.day_start_expr (a migration does not import app code).
    if dialect == "sqlite":  # SQLAlchemy's storage format for UTC datetimes
        return "strftime('%Y-%m-%d 00:00:00.000000', hour_start)"
    return "(date_trunc('day', hour_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')"  # PostgreSQL


def upgrade() -> None:
    op.create_table(
        "usage_daily",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("day_start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("latency_ms_sum", sa.Float(), nullable=False),
        sa.Column("latency_ms_max", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["ai_assets.id"]),
        sa.ForeignKeyConstraint(["key_id"], ["api_keys.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_id", "asset_id", "day_start", name="uq_usage_daily_key_asset_day"),
    )
    bind = op.get_bind()
    day = _day_sql(bind.dialect.name)
    cols = ", ".join(MEASURES)
    sums = ", ".join(f"SUM({m})" for m in MEASURES[:-1]) + ", MAX(latency_ms_max)"
    op.execute(
        f"INSERT INTO usage_daily (key_id, asset_id, day_start, {cols}) "
        f"SELECT key_id, asset_id, {day}, {sums} FROM usage_rollups GROUP BY key_id, asset_id, {day}"
    )
    op.create_index("ix_usage_daily_key_asset_day_cover", "usage_daily",
                    ["key_id", "asset_id", "day_start", *MEASURES], unique=False)
    op.create_index("ix_usage_daily_day_cover", "usage_daily",
                    ["day_start", "requests", "errors", "input_tokens", "output_tokens", "cost_usd"], unique=False)
    op.create_index("ix_usage_daily_key_day_cover", "usage_daily",
                    ["key_id", "day_start", "requests", "errors", "input_tokens", "output_tokens", "cost_usd"],
                    unique=False)
    if bind.dialect.name == "sqlite":
        op.execute("ANALYZE usage_daily")


def downgrade() -> None:
    op.drop_index("ix_usage_daily_key_day_cover", table_name="usage_daily")
    op.drop_index("ix_usage_daily_day_cover", table_name="usage_daily")
    op.drop_index("ix_usage_daily_key_asset_day_cover", table_name="usage_daily")
    op.drop_table("usage_daily")
