"""The daily attendance email to staff and SLT: the day's figures and who is out
(docs/rules.md#weekly-reports)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.models import Mark, OutboxMessage, Pupil, RegGroup, School
from attendance_desk.outbox import messages as messaging
from attendance_desk.register import stats
from attendance_desk.school import settings


def summary_text(session: Session, day: date) -> tuple[str, str]:
    """(subject, body) for `day`: whole-school figures, then absentees and lates by group."""
    school = session.scalar(select(School.name)) or "School"
    figures = stats.school_figures(session, day, day).totals
    pct = stats.rounded(figures.attendance_pct)
    rows = session.execute(
        select(RegGroup.name, Pupil, Mark.session, Mark.code, Mark.minutes_late)
        .join(Pupil, Pupil.id == Mark.pupil_id)
        .join(RegGroup, RegGroup.id == Pupil.reg_group_id)
        .where(Mark.date == day)
        .order_by(RegGroup.name, Pupil.legal_surname, Pupil.legal_forename, Mark.session)
    )
    absent: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    late: list[str] = []
    for group, pupil, session_name, code, minutes in rows:
        entry = codes.BY_CODE[code]
        if entry.is_absence and code != codes.LATE_AFTER_CLOSE:
            absent[group][pupil.display_name].append(f"{session_name} {code}")
        elif code in (codes.LATE, codes.LATE_AFTER_CLOSE):
            late.append(f"{pupil.display_name} ({group}) {code} {minutes or 0} min")
    lines = [
        f"Attendance on {day:%A %d %B %Y}: {pct if pct is not None else '—'}%",
        f"{figures.possible} possible sessions, {figures.authorised} authorised and "
        f"{figures.unauthorised} unauthorised absences, {figures.late} late.",
        "",
        "Absent:" if absent else "Nobody absent.",
    ]
    for group, pupils in absent.items():
        lines.append(f"  {group}")
        lines.extend(f"    {name}: {', '.join(marks)}" for name, marks in pupils.items())
    if late:
        lines += ["", "Late:"] + [f"  {item}" for item in late]
    return f"{school}: attendance {day:%a %d %b}", "\n".join(lines)


def queue_summary(session: Session, day: date, now: datetime) -> list[OutboxMessage]:
    """Queue the summary to every address in Settings; none set up means no messages."""
    recipients = [
        r.strip()
        for r in settings.get(session, settings.SUMMARY_RECIPIENTS).split(",")
        if r.strip()
    ]
    subject, body = summary_text(session, day)
    return [
        messaging.queue(session, channel="email", recipient=r, subject=subject, body=body, now=now)
        for r in recipients
    ]
