"""Recording and amending marks. A mark is never overwritten: a change to a saved mark is
an amendment that keeps the original code, the new one, the reason, who and when."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from attendance_desk import audit, codes
from attendance_desk.models import Mark, MarkAmendment, Pupil, User

SESSIONS = ("AM", "PM")


def check_session(session_name: str) -> str:
    name = session_name.strip().upper()
    if name not in SESSIONS:
        raise ValueError(f"session must be AM or PM, not '{session_name}'")
    return name


def record_mark(
    session: Session,
    *,
    pupil: Pupil,
    day: date,
    session_name: str,
    code: str,
    user: User,
    now: datetime,
    minutes_late: int | None = None,
    reason: str | None = None,
) -> Mark:
    """Record the first mark for a pupil's session (validated against the code table)."""
    entry = codes.lookup(code)
    if entry.needs_reason and not (reason or "").strip():
        raise ValueError(f"code {entry.code} ({entry.meaning}) needs a reason")
    mark = Mark(
        pupil_id=pupil.id,
        date=day,
        session=check_session(session_name),
        code=entry.code,
        minutes_late=minutes_late,
        reason=reason,
        recorded_by_id=user.id,
        recorded_at=now,
    )
    session.add(mark)
    return mark


def amend_mark(
    session: Session,
    *,
    mark: Mark,
    code: str,
    reason: str,
    user: User,
    now: datetime,
    minutes_late: int | None = None,
) -> MarkAmendment | None:
    """Change a saved mark, keeping its history; returns None when nothing changes."""
    entry = codes.lookup(code)
    if not reason.strip():
        raise ValueError("an amendment to the register needs a reason")
    if entry.code == mark.code and minutes_late == mark.minutes_late:
        return None
    amendment = MarkAmendment(
        mark=mark,
        old_code=mark.code,
        new_code=entry.code,
        old_minutes_late=mark.minutes_late,
        new_minutes_late=minutes_late,
        reason=reason.strip(),
        user_id=user.id,
        user_name=user.full_name,
        user_position=user.position,
        amended_at=now,
    )
    session.add(amendment)
    mark.code = entry.code
    mark.minutes_late = minutes_late
    mark.recorded_by_id = user.id
    mark.recorded_at = now
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="amend",
        entity="mark",
        entity_id=mark.id,
        old=amendment.old_code,
        new=amendment.new_code,
        reason=amendment.reason,
    )
    return amendment
