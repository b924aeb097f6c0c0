"""The marks CSV export: the same columns the marks import reads, so a file written here
imports back unchanged (by date, UPN and session)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.csv_files import write_table
from attendance_desk.interop.csv_marks import OPTIONAL, REQUIRED
from attendance_desk.models import Mark, Pupil


def export_marks(session: Session, path: Path, *, start: date, end: date) -> int:
    """Write the marks from `start` to `end` (both included) by date, UPN and session."""
    if end < start:
        raise ValueError(f"the export ends {end} before it starts {start}")
    query = (
        select(Pupil.upn, Mark.date, Mark.session, Mark.code, Mark.reason)
        .join(Pupil, Mark.pupil_id == Pupil.id)
        .where(Mark.date.between(start, end))
        .order_by(Mark.date, Pupil.upn, Mark.session)
    )
    rows = (
        (upn, day.isoformat(), sess, code, reason)
        for upn, day, sess, code, reason in session.execute(query)
    )
    return write_table(path, (*REQUIRED, *OPTIONAL), rows)
