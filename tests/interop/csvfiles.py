"""Writing test CSV files and taking snapshots of the whole database for before/after checks."""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.models import Base, User

#: The clock for imports: after the builders' autumn 2025 term, so every term day is past.
IMPORT_NOW = datetime(2026, 1, 10, 12, 0)
#: Whoever exports the whole pupils layout, safeguarding columns included (only the role
#: matters to an export, so this user need not be stored).
DSL = User(username="dsl", full_name="Dana Singh", position="DSL", role="dsl", active=True)


def write_csv(folder: Path, name: str, text: str, *, encoding: str = "utf-8") -> Path:
    """A CSV file holding `text` (dedented, first newline dropped) in `encoding`."""
    path = folder / name
    path.write_bytes(textwrap.dedent(text).lstrip("\n").encode(encoding))
    return path


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, so two snapshots compare equal when nothing changed."""
    return {
        table.name: sorted(tuple(row) for row in session.execute(select(table)))
        for table in Base.metadata.sorted_tables
    }


def nothing_pending(session: Session) -> bool:
    """True when the session holds no unflushed change."""
    return not (session.new or session.dirty or session.deleted)
