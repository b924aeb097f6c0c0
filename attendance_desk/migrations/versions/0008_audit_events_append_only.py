"""audit events are append-only in the database itself

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "the audit trail is append-only"


def upgrade() -> None:
    # The ORM guard (audit_log.py) stops the app; these stop anything else writing the table.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        for event in ("UPDATE", "DELETE", "TRUNCATE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()"
            )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for event in ("update", "delete", "truncate") if postgresql else ("update", "delete"):
        on_table = " ON audit_events" if postgresql else ""
        op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{event}{on_table}")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS audit_events_refuse_change()")
