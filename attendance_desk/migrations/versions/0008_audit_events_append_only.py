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
    # The ORM guard (audit_log.py) stops the app; these stop anything else writing the file.
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{event}")
