"""Leave-of-absence requests: recorded, decided by the head, never granted retrospectively.

A granted request fills in its sessions with the leave code so the register shows it in
advance; an existing mark for those sessions is amended, not overwritten. A refused request
leaves the register alone: if the family goes anyway the sessions are coded `G`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.catalogues import codes
from attendance_desk.desk.errors import DeskError
from attendance_desk.models import LeaveRequest, Mark, Pupil, User
from attendance_desk.register.marks import check_session, record_or_amend
from attendance_desk.school.calendar import SESSIONS
from attendance_desk.school.calendar_store import load_calendar

#: Codes a granted leave of absence may be recorded with (the 2024 "leave" codes and T).
LEAVE_CODES = ("C", "C1", "C2", "M", "J1", "S", "T")


@dataclass(frozen=True, slots=True)
class LeaveDecision:
    status: str
    sessions_filled: int
    sessions_amended: int


def request_leave(
    session: Session,
    *,
    pupil_id: int,
    start: date,
    end: date,
    reason: str,
    requested_by: str,
    user: User,
    now: datetime,
    start_session: str = "AM",
    end_session: str = "PM",
) -> LeaveRequest:
    """Record a parent's request; it waits for the head's decision."""
    if session.get(Pupil, pupil_id) is None:
        raise DeskError("choose the pupil the request is for")
    if end < start or (end == start and (start_session, end_session) == ("PM", "AM")):
        raise DeskError(f"the leave ends ({end}) before it starts ({start})")
    if not reason.strip() or not requested_by.strip():
        raise DeskError("a leave request needs the reason and who asked")
    request = LeaveRequest(
        pupil_id=pupil_id,
        start_date=start,
        start_session=check_session(start_session),
        end_date=end,
        end_session=check_session(end_session),
        reason=reason.strip(),
        requested_by=requested_by.strip(),
        requested_at=now,
        recorded_by_id=user.id,
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="request",
        entity="leave",
        entity_id=request.id,
        start=start,
        end=end,
    )
    return request


def _sessions(request: LeaveRequest, session: Session) -> list[tuple[date, str]]:
    calendar = load_calendar(session)
    out = []
    for day in calendar.school_days(request.start_date, request.end_date):
        for name in SESSIONS:
            if (day, name) < (request.start_date, request.start_session):
                continue
            if (day, name) > (request.end_date, request.end_session):
                continue
            out.append((day, name))
    return out


def decide(
    session: Session,
    *,
    request_id: int,
    grant: bool,
    user: User,
    now: datetime,
    code: str | None = None,
    note: str | None = None,
) -> LeaveDecision:
    """Grant (with a leave code, filling the sessions) or refuse a pending request."""
    request = session.get(LeaveRequest, request_id)
    if request is None or request.status != "pending":
        raise DeskError("that request has already been decided")
    filled = amended = 0
    if grant:
        if request.start_date < now.date():
            raise DeskError(
                f"leave cannot be granted retrospectively: it began on {request.start_date}"
            )
        entry = codes.lookup(code or "")
        if entry.code not in LEAVE_CODES:
            raise DeskError(f"grant leave as one of {', '.join(LEAVE_CODES)}, not {entry.code}")
        pupil = request.pupil
        for day, name in _sessions(request, session):
            mark = session.scalar(
                select(Mark).where(
                    Mark.pupil_id == pupil.id, Mark.date == day, Mark.session == name
                )
            )
            written = record_or_amend(
                session,
                pupil=pupil,
                day=day,
                session_name=name,
                code=entry.code,
                existing=mark,
                amend_reason="leave of absence granted",
                user=user,
                now=now,
                reason=request.reason,
            )
            filled += written.outcome == "recorded"
            amended += written.outcome == "amended"
        request.code = entry.code
    request.status = "granted" if grant else "refused"
    request.decision_note = note
    request.decided_by_id = user.id
    request.decided_by_name = user.full_name
    request.decided_at = now
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action=request.status,
        entity="leave",
        entity_id=request.id,
        code=request.code,
        note=note,
    )
    return LeaveDecision(request.status, filled, amended)


def pending_requests(session: Session) -> list[LeaveRequest]:
    return list(
        session.scalars(
            select(LeaveRequest)
            .where(LeaveRequest.status == "pending")
            .order_by(LeaveRequest.start_date)
        )
    )
