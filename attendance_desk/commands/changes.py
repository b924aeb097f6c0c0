"""`attendance-desk export changes --since T [--until T] --out FILE.csv`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.commands.login import Login, acting_user
from attendance_desk.interop.changes_export import ExportRangeError, export_changes, parse_moment
from attendance_desk.store.db import transaction


def export_changes_command(
    factory: sessionmaker[Session],
    *,
    since: str | None,
    until: str | None,
    out: Path | None,
    login: Login | None,
) -> int:
    """Export the marks changed in the range and record the batch; errors raise `ValueError`."""
    if not since:
        raise ExportRangeError("export changes needs --since (a date or date-time)")
    if out is None:
        raise ExportRangeError("export changes needs --out FILE.csv")
    now = datetime.now().replace(microsecond=0)
    start = _moment("--since", since)
    end = _moment("--until", until) if until else now
    with transaction(factory) as session:
        done = export_changes(
            session, out, since=start, until=end, user=acting_user(session, login), now=now
        )
    print(f"Wrote {done}")
    return 0


def _moment(option: str, text: str) -> datetime:
    try:
        return parse_moment(text)
    except ExportRangeError as exc:
        raise ExportRangeError(f"{option}: {exc}") from None
