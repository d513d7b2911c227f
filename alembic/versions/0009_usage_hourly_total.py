"""usage_hourly_total: every key's usage summed per hour, for the Usage page's chart over time

The all-keys chart summed the hourly rollups of every key per bucket: ~360,000 rows for 30 days
with daily buckets (each day is cut by a bucket boundary, so no daily sums apply) and ~560,000 for
a year, 300-400 ms on the large seed. This table holds one row per hour (8,760 a year). The
upgrade fills it from the existing rollups; services.usage.refresh_daily keeps it.

Revision ID: 0009_usage_hourly_total
Revises: 0008_list_speed
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009_usage_hourly_total"
down_revision: Union[str, None] = "0008_list_speed"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

FIELDS = ["requests", "errors", "input_tokens", "output_tokens", "cost_usd", "throttled"]


def upgrade() -> None:
    op.create_table(
        "usage_hourly_total",
        sa.Column("hour_start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("throttled", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("hour_start"),
    )
    cols = ", ".join(FIELDS)
    sums = ", ".join(f"SUM({f})" for f in FIELDS)
    op.execute(f"INSERT INTO usage_hourly_total (hour_start, {cols}) "
               f"SELECT hour_start, {sums} FROM usage_rollups GROUP BY hour_start")


def downgrade() -> None:
    op.drop_table("usage_hourly_total")
