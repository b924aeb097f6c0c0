"""Adding rows that another PC may be adding at the same moment.

Two office PCs refreshing the worklist together both try to save the same newly raised
actions; the second must quietly find them there, not fail. SQLite and PostgreSQL both
say this as `INSERT … ON CONFLICT DO NOTHING`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from attendance_desk.models import Base


def insert_ignoring_duplicates(
    session: Session, table: type[Base], rows: Sequence[dict[str, Any]]
) -> None:
    """Insert `rows` into `table`, skipping any that would break a unique constraint."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(table).on_conflict_do_nothing(), list(rows))
