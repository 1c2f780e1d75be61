"""storefront change notify

PostgreSQL only: every statement that changes what a public profile or Shop Page shows sends
NOTIFY shoplink_storefront, delivered at commit, so each server process can drop its cached
public reads (kit/changes.py). SQLite needs nothing: PRAGMA data_version sees every commit.

Revision ID: 49ad2996918b
Revises: 1d76fd959db1
Create Date: 2026-11-25 01:27:10.081057
"""

from collections.abc import Sequence

from alembic import op


revision: str = '49ad2996918b'
down_revision: str | None = '1d76fd959db1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


TABLES = ("accounts", "shops", "links", "products", "deposits")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # One NOTIFY per statement, not per row: an import of a million rows sends a thousand,
    # and PostgreSQL folds identical ones within a transaction into one.
    op.execute(
        """
        CREATE FUNCTION shoplink_storefront_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('shoplink_storefront', '');
            RETURN NULL;
        END
        $$
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_storefront_changed "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION shoplink_storefront_changed()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_storefront_changed ON {table}")
    op.execute("DROP FUNCTION shoplink_storefront_changed()")
