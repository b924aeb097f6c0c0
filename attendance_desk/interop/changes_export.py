"""After an outage: the marks recorded or amended in a time range, for the MIS.

While the MIS is down the office keeps the register here; when it is back, the marks
changed since the outage began go out in the marks CSV layout (`upn,date,session,code,
reason`, the same as `export marks`) for the MIS to import or the office to re-key. Each
export is remembered as a batch covering [since, until), so the next one starts where the
last ended and the status bar can say how many changes have not gone out yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.csv_files import write_table
from attendance_desk.interop.csv_marks import OPTIONAL, REQUIRED
from attendance_desk.interop.errors import InteropError
from attendance_desk.models import ChangeExport, Mark, Pupil, User
from attendance_desk.uk_dates import moment_text

COLUMNS = (*REQUIRED, *OPTIONAL)


class ExportRangeError(InteropError):
    """A range that cannot be exported; the message says why."""


@dataclass(frozen=True, slots=True)
class ChangesExported:
    since: datetime
    until: datetime
    rows: int
    path: Path

    def __str__(self) -> str:
        return (
            f"{self.rows} changed mark{'s' * (self.rows != 1)} from {moment_text(self.since)} "
            f"to {moment_text(self.until)}, in {self.path.name}"
        )


def parse_moment(text: str) -> datetime:
    """`2026-11-20` (midnight) or `2026-11-20T09:30` / `2026-11-20 09:30`; anything else
    is refused with a message that shows the forms accepted."""
    value = text.strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time())
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ExportRangeError(
            f"'{text}' is not a date or time; write 2026-11-20 or 2026-11-20T09:30"
        ) from None
    if moment.tzinfo is not None:  # stored times are the office's local clock
        raise ExportRangeError(f"'{text}': give the office's local time, without a time zone")
    return moment


def last_batch_end(session: Session) -> datetime | None:
    """Where the newest export stopped: the default start of the next one."""
    return session.scalar(select(func.max(ChangeExport.until)))


def _changed(since: datetime, until: datetime) -> tuple[ColumnElement[bool], ...]:
    return (Mark.recorded_at >= since, Mark.recorded_at < until)


def count_changes(session: Session, since: datetime, until: datetime) -> int:
    """How many marks were recorded or amended in [since, until)."""
    return (
        session.scalar(select(func.count()).select_from(Mark).where(*_changed(since, until))) or 0
    )


def count_unexported(session: Session) -> int | None:
    """Changes since the newest batch ended; None before the first batch, when every mark
    ever entered would count and the number would mean nothing to the office."""
    start = last_batch_end(session)
    if start is None:
        return None
    return (
        session.scalar(select(func.count()).select_from(Mark).where(Mark.recorded_at >= start)) or 0
    )


def export_changes(
    session: Session,
    path: Path,
    *,
    since: datetime,
    until: datetime,
    user: User,
    now: datetime,
) -> ChangesExported:
    """Write the marks changed in [since, until) and record the batch, or raise and write
    nothing when the range is wrong."""
    require(user, Permission.TAKE_REGISTER)
    if until <= since:
        raise ExportRangeError(
            f"the range ends ({moment_text(until)}) before it starts ({moment_text(since)})"
        )
    if until > now:
        raise ExportRangeError(
            f"the range cannot end in the future ({moment_text(until)}); marks entered "
            "later would be left out of the next export"
        )
    query = (
        select(Pupil.upn, Mark.date, Mark.session, Mark.code, Mark.reason)
        .join(Pupil, Mark.pupil_id == Pupil.id)
        .where(*_changed(since, until))
        .order_by(Mark.date, Pupil.upn, Mark.session)
    )
    rows = [
        (upn, day.isoformat(), sess, code, reason)
        for upn, day, sess, code, reason in session.execute(query)
    ]
    batch = ChangeExport(
        since=since,
        until=until,
        rows=len(rows),
        file_name=Path(path).name,
        exported_at=now,
        exported_by_id=user.id,
        exported_by_name=user.full_name,
    )
    session.add(batch)
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="export",
        entity="change_export",
        entity_id=batch.id,
        since=since,
        until=until,
        rows=len(rows),
        file=batch.file_name,
    )
    write_table(Path(path), COLUMNS, rows)
    return ChangesExported(since, until, len(rows), Path(path))
