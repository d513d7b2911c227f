"""assets: where an asset comes from (provider), its context length, owner, creator and soft delete

Assets are added and edited in the console ("Add asset"), so they gain what the catalog and the
details page show: the provider kind (an endpoint inside the platform, OpenAI, Anthropic, Azure
OpenAI, any OpenAI-compatible URL), the context length, the owning team, who added it, a
Unicode-caseless name for uniqueness and search, and `deleted_at`: a deleted asset keeps its row
so usage history stays attributable.

Revision ID: 0012_assets
Revises: 0011_audit
"""
import unicodedata
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012_assets"
down_revision: Union[str, None] = "0011_audit"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def fold(text: str) -> str:
    # Kept in step with maas_ui.domain.inputs.fold (a migration does not import app code).
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy: usage rows hold foreign keys on ai_assets).
    op.add_column("ai_assets", sa.Column("provider", sa.String(length=32), nullable=False, server_default="internal"))
    op.add_column("ai_assets", sa.Column("context_length", sa.Integer(), nullable=True))
    op.add_column("ai_assets", sa.Column("owner", sa.String(length=128), nullable=False, server_default=""))
    op.add_column("ai_assets", sa.Column("created_by", sa.String(length=128), nullable=False, server_default=""))
    op.add_column("ai_assets", sa.Column("name_folded", sa.String(length=256), nullable=False, server_default=""))
    op.add_column("ai_assets", sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.create_index("ix_ai_assets_name_folded", "ai_assets", ["name_folded"], unique=False)
    op.create_index("ix_ai_assets_deleted_at", "ai_assets", ["deleted_at"], unique=False)
    bind = op.get_bind()
    t = sa.table("ai_assets", sa.column("id", sa.Integer), sa.column("name", sa.String),
                 sa.column("name_folded", sa.String))
    for row_id, name in bind.execute(sa.select(t.c.id, t.c.name)).all():
        bind.execute(t.update().where(t.c.id == row_id).values(name_folded=fold(name or "")))


def downgrade() -> None:
    op.drop_index("ix_ai_assets_deleted_at", table_name="ai_assets")
    op.drop_index("ix_ai_assets_name_folded", table_name="ai_assets")
    for col in ("deleted_at", "name_folded", "created_by", "owner", "context_length", "provider"):
        op.drop_column("ai_assets", col)
