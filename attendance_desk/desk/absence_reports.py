"""Parents' absence reports, taken by phone, email or in person, before or after the register.

A report stops the first-day call at once (the follow-up engine reads it). Sessions it
covers up to now are coded straight away: an empty session is recorded, an `N` is amended
with the report as the reason; a session already marked otherwise is left for the office to
judge. Sessions still to come are kept and proposed in the register grid when they arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.catalogues import codes
from attendance_desk.desk.errors import DeskError
from attendance_desk.models import AbsenceReport, Mark, Pupil, User
from attendance_desk.register.marks import check_session, record_or_amend
from attendance_desk.school.calendar import SESSIONS
from attendance_desk.school.calendar_store import load_calendar

CHANNELS = ("phone", "email", "in person", "text", "app")
#: What a parent's report usually means (the office picks; these are offered first).
REPORT_CODES = ("I", "M", "R", "C", "T", "J1", "G", "O")


@dataclass(frozen=True, slots=True)
class ReportResult:
    report: AbsenceReport
    recorded: int
    amended: int
    left_alone: int  # sessions already marked with something other than N


def log_report(
    session: Session,
    *,
    pupil_id: int,
    start: date,
    end: date,
    code: str,
    reason: str,
    reported_by: str,
    channel: str,
    user: User,
    now: datetime,
    start_session: str = "AM",
    end_session: str = "PM",
) -> ReportResult:
    """Record a report and code the sessions it covers up to now."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise DeskError("choose the pupil the report is about")
    entry = codes.lookup(code)
    if not entry.is_absence:
        raise DeskError(f"{entry.code} ({entry.meaning}) is not an absence reason")
    if channel not in CHANNELS:
        raise DeskError(f"how was it reported? one of {', '.join(CHANNELS)}")
    if not reason.strip() or not reported_by.strip():
        raise DeskError("a report needs the reason given and who gave it")
    first, last = (start, check_session(start_session)), (end, check_session(end_session))
    if last < first:
        raise DeskError(f"the absence ends ({end}) before it starts ({start})")
    report = AbsenceReport(
        pupil_id=pupil.id,
        start_date=start,
        start_session=first[1],
        end_date=end,
        end_session=last[1],
        code=entry.code,
        reason=reason.strip(),
        reported_by=reported_by.strip(),
        channel=channel,
        reported_at=now,
        recorded_by_id=user.id,
        recorded_by_name=user.full_name,
    )
    session.add(report)
    session.flush()
    recorded = amended = left = 0
    calendar = load_calendar(session)
    existing = {
        (m.date, m.session): m
        for m in session.scalars(
            select(Mark).where(
                Mark.pupil_id == pupil.id, Mark.date >= start, Mark.date <= min(end, now.date())
            )
        )
    }
    for day in calendar.school_days(start, min(end, now.date())):
        for name in SESSIONS:
            if not report.covers(day, name) or not pupil.on_roll(day):
                continue
            mark = existing.get((day, name))
            note = f"{channel} report from {report.reported_by}: {report.reason}"
            if mark is None or mark.code == codes.REASON_NOT_PROVIDED:
                written = record_or_amend(
                    session,
                    pupil=pupil,
                    day=day,
                    session_name=name,
                    code=entry.code,
                    existing=mark,
                    amend_reason=note,
                    user=user,
                    now=now,
                    reason=note if entry.needs_reason else None,
                )
                recorded += written.outcome == "recorded"
                amended += written.outcome != "recorded"
            elif mark.code != entry.code:
                left += 1
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="report",
        entity="pupil",
        entity_id=pupil.id,
        code=entry.code,
        start=start,
        end=end,
        channel=channel,
    )
    return ReportResult(report, recorded, amended, left)
