"""Vector database sizes as BIGINT (collections exceed 2**31 bytes; PostgreSQL's INTEGER overflows).

Revision ID: 0004_asset_size_bigint
Revises: 0003_usage
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004_asset_size_bigint"
down_revision: Union[str, None] = "0003_usage"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("ai_assets") as batch_op:
        batch_op.alter_column("size_bytes", existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("ai_assets") as batch_op:
        batch_op.alter_column("size_bytes", existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=True)
