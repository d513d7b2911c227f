"""Tiers (and their groups), budget renewal rules on policies, and alert notifications

Revision ID: 0013_tiers
Revises: 0012_assets (relinked after merging main)
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0013_tiers"
down_revision: Union[str, None] = "0012_assets"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "tiers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("name_folded", sa.String(length=256), nullable=False, server_default=""),
        sa.Column("description", sa.String(length=1024), nullable=False, server_default=""),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("token_limit", sa.Integer(), nullable=True),
        sa.Column("token_window_value", sa.Integer(), nullable=True),
        sa.Column("token_window_unit", sa.String(length=8), nullable=True),
        sa.Column("request_limit", sa.Integer(), nullable=True),
        sa.Column("request_window_value", sa.Integer(), nullable=True),
        sa.Column("request_window_unit", sa.String(length=8), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("name"),
    )
    op.create_index("ix_tiers_slug", "tiers", ["slug"], unique=True)
    op.create_index("ix_tiers_level", "tiers", ["level"], unique=True)
    op.create_index("ix_tiers_name_folded", "tiers", ["name_folded"], unique=False)
    op.create_table(
        "tier_groups",
        sa.Column("tier_id", sa.Integer(), sa.ForeignKey("tiers.id"), primary_key=True),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("groups.id"), primary_key=True),
    )
    op.create_index("ix_tier_groups_group_id", "tier_groups", ["group_id"], unique=False)
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("recipient", sa.String(length=128), nullable=False),
        sa.Column("key_public_id", sa.String(length=32), nullable=False),
        sa.Column("limit_source", sa.String(length=80), nullable=False),
        sa.Column("limit_kind", sa.String(length=16), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("period_key", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("body", sa.String(length=1024), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("recipient", "key_public_id", "limit_source", "limit_kind", "threshold", "period_key",
                            name="uq_notification_once_per_period"),
    )
    op.create_index("ix_notifications_created_at", "notifications", ["created_at"], unique=False)
    op.create_index("ix_notifications_recipient_read", "notifications", ["recipient", "read_at"], unique=False)
    # Plain ADD COLUMN (no batch copy): existing policies renew monthly on the 1st, UTC, as before.
    op.add_column("policies", sa.Column("renewal_kind", sa.String(length=8), nullable=False, server_default="monthly"))
    op.add_column("policies", sa.Column("renewal_day", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("policies", sa.Column("renewal_weekday", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("policies", sa.Column("renewal_start", sa.Date(), nullable=True))
    op.add_column("policies", sa.Column("renewal_end", sa.Date(), nullable=True))
    op.add_column("policies", sa.Column("renewal_timezone", sa.String(length=64), nullable=False,
                                        server_default="UTC"))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would trip the foreign keys on it.
    for column in ("renewal_timezone", "renewal_end", "renewal_start", "renewal_weekday", "renewal_day",
                   "renewal_kind"):
        op.drop_column("policies", column)
    op.drop_index("ix_notifications_recipient_read", table_name="notifications")
    op.drop_index("ix_notifications_created_at", table_name="notifications")
    op.drop_table("notifications")
    op.drop_index("ix_tier_groups_group_id", table_name="tier_groups")
    op.drop_table("tier_groups")
    op.drop_index("ix_tiers_name_folded", table_name="tiers")
    op.drop_index("ix_tiers_level", table_name="tiers")
    op.drop_index("ix_tiers_slug", table_name="tiers")
    op.drop_table("tiers")
