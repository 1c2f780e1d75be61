"""outbox rows by statement

PostgreSQL: the outbox rows of a statement's events are written by one trigger call per
statement (a transition table of the inserted rows), not one PL/pgSQL call per event. A
binding step writes its events with one INSERT (kit/write_behind), so approve's three
events cost the server one trigger call instead of three. SQLite keeps its row trigger: it
has no transition tables, and its triggers run in-process for a few microseconds.

Revision ID: 7c41e2b9d0f3
Revises: 5d8028e06943
Create Date: 2026-12-01 19:10:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '7c41e2b9d0f3'
down_revision: str | None = '5d8028e06943'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER events_to_outbox ON events")
    op.execute("DROP FUNCTION shoplink_event_to_outbox()")
    op.execute(
        """
        CREATE FUNCTION shoplink_events_to_outbox() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO outbox_messages (event_id) SELECT id FROM inserted_events ORDER BY id;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER events_to_outbox AFTER INSERT ON events"
        " REFERENCING NEW TABLE AS inserted_events"
        " FOR EACH STATEMENT EXECUTE FUNCTION shoplink_events_to_outbox()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER events_to_outbox ON events")
    op.execute("DROP FUNCTION shoplink_events_to_outbox()")
    op.execute(
        """
        CREATE FUNCTION shoplink_event_to_outbox() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO outbox_messages (event_id) VALUES (NEW.id);
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER events_to_outbox AFTER INSERT ON events "
        "FOR EACH ROW EXECUTE FUNCTION shoplink_event_to_outbox()"
    )
