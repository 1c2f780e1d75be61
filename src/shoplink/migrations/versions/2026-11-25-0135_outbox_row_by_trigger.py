"""outbox row by trigger

Every event gets its outbox row from the database, in the same statement's transaction:
the webhook fan-out cannot miss an event whoever writes it, and a binding step sends one
INSERT per event instead of two.

Revision ID: 5d8028e06943
Revises: 49ad2996918b
Create Date: 2026-11-25 01:35:58.056814
"""

from collections.abc import Sequence

from alembic import op


revision: str = '5d8028e06943'
down_revision: str | None = '49ad2996918b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
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
    else:
        op.execute(
            "CREATE TRIGGER events_to_outbox AFTER INSERT ON events "
            "BEGIN INSERT INTO outbox_messages (event_id) VALUES (NEW.id); END"
        )


def downgrade() -> None:
    op.execute("DROP TRIGGER events_to_outbox" + (
        " ON events" if op.get_bind().dialect.name == "postgresql" else ""
    ))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION shoplink_event_to_outbox()")
