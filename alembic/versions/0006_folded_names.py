"""name_folded on api_keys and policies: Unicode case folding for unique names and search

SQLite's LIKE and lower() fold ASCII letters only ("Ключ" and "ключ" were two names; searching
"КЛЮЧ" found nothing). The folded name is stored next to the name (kept by the ORM on every
write) and compared and searched instead, identically on SQLite and PostgreSQL. The upgrade
fills it for existing rows.

Revision ID: 0006_folded_names
Revises: 0005_usage_daily
"""
import unicodedata
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006_folded_names"
down_revision: Union[str, None] = "0005_usage_daily"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("api_keys", "policies")


def fold(text: str) -> str:
    # Kept in step with maas_ui.domain.inputs.fold (a migration does not import app code).
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy of the table): on SQLite a copy would trip the foreign keys
    # that usage rows hold on api_keys.
    for table in TABLES:
        op.add_column(table, sa.Column("name_folded", sa.String(length=256), nullable=False, server_default=""))
        op.create_index(f"ix_{table}_name_folded", table, ["name_folded"], unique=False)
    bind = op.get_bind()
    for table in TABLES:
        t = sa.table(table, sa.column("id", sa.Integer), sa.column("name", sa.String),
                     sa.column("name_folded", sa.String))
        rows = bind.execute(sa.select(t.c.id, t.c.name)).all()
        if rows:
            bind.execute(t.update().where(t.c.id == sa.bindparam("row_id"))
                         .values(name_folded=sa.bindparam("folded")),
                         [{"row_id": r.id, "folded": fold(r.name or "")} for r in rows])


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_name_folded", table_name=table)
        op.drop_column(table, "name_folded")  # SQLite 3.35+ drops a column in place
