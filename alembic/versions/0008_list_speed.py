"""API key list: a stored owner name and indexes, so every list variant reads about one page

With 10,000 keys, sorting by owner joined three tables and sorted every key; a name sort deep in
the pages sorted every key by a case-insensitive expression no index served; "Expired + Group"
and a name search counted by reading every key row. Now:

* `owner_name`: the owner's display name (user's full name, group or service account name),
  kept by the code that writes keys or renames owners (services.api_keys.refresh_owner_names);
* case-insensitive order indexes for the owner and name sorts, walked in order with LIMIT;
* (owner_kind, status, expires_at) for the status and owner-type filters;
* (deleted_at, name_folded): a name search counts from this narrow index, not from the key rows.

Revision ID: 0008_list_speed
Revises: 0007_gateway
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0008_list_speed"
down_revision: Union[str, None] = "0007_gateway"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Kept in step with services.api_keys.refresh_owner_names (a migration does not import app code).
OWNER_NAME_SQL = """
UPDATE api_keys SET owner_name = COALESCE(CASE owner_kind
    WHEN 'USER' THEN (SELECT full_name FROM users WHERE users.id = api_keys.owner_id)
    WHEN 'GROUP' THEN (SELECT name FROM groups WHERE groups.id = api_keys.owner_id)
    ELSE (SELECT name FROM service_accounts WHERE service_accounts.id = api_keys.owner_id)
END, '')
"""


def _ci(dialect: str, column: str) -> str:
    """The case-insensitive order services.api_keys uses: NOCASE on SQLite, lower() elsewhere."""
    return f"{column} COLLATE NOCASE" if dialect == "sqlite" else f"lower({column})"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("api_keys") as batch_op:
        batch_op.add_column(sa.Column("owner_name", sa.String(length=128), nullable=False, server_default=""))
    op.execute(OWNER_NAME_SQL)
    op.execute(f"CREATE INDEX ix_api_keys_owner_name_order ON api_keys "
               f"({_ci(dialect, 'owner_name')}, {_ci(dialect, 'name')}, id)")
    op.execute(f"CREATE INDEX ix_api_keys_name_order ON api_keys ({_ci(dialect, 'name')}, name, id)")
    op.create_index("ix_api_keys_kind_status_expiry", "api_keys", ["owner_kind", "status", "expires_at"])
    op.create_index("ix_api_keys_live_name", "api_keys", ["deleted_at", "name_folded"])


def downgrade() -> None:
    op.drop_index("ix_api_keys_live_name", table_name="api_keys")
    op.drop_index("ix_api_keys_kind_status_expiry", table_name="api_keys")
    op.drop_index("ix_api_keys_name_order", table_name="api_keys")
    op.drop_index("ix_api_keys_owner_name_order", table_name="api_keys")
    # A plain DROP COLUMN (SQLite >= 3.35): a batch copy of api_keys would trip the foreign keys
    # of the tables that reference it.
    op.execute("ALTER TABLE api_keys DROP COLUMN owner_name")
