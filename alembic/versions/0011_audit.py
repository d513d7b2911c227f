"""audit_log.changes: the field-by-field change of each entry (JSON text), and indexes for the
Audit log page's filters (actor, action, entity)

Revision ID: 0011_audit
Revises: 0007_gateway
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0011_audit"
down_revision: Union[str, None] = "0009_usage_hourly_total"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("changes", sa.Text(), nullable=False, server_default="{}"))
    op.create_index("ix_audit_log_actor", "audit_log", ["actor"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.create_index("ix_audit_log_entity", "audit_log", ["entity_kind", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_entity", table_name="audit_log")
    op.drop_index("ix_audit_log_action", table_name="audit_log")
    op.drop_index("ix_audit_log_actor", table_name="audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("changes")
