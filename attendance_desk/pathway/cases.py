"""Each pupil's case on the letters pathway: the state machine and its services.

A case is at one step of its pathway at a time (`PathwayCase.state`) and every step it
reached is a `PathwayStep` row, so the case is its own history. Events move it on along the
pathway's transitions only: a letter is sent, a meeting held or missed, a review confirmed
(attendance improved or not, computed from the register and confirmed by a person), a
decision made. Each service validates, writes and audits in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from attendance_desk.access import audit
from attendance_desk.models import PathwayCase, PathwayStep, PenaltyNotice, User
from attendance_desk.pathway.errors import LettersError
from attendance_desk.pathway.review import Meeting, current_row, review_of, review_period
from attendance_desk.pathway.stages import (
    CLOSED,
    PERIOD_KINDS,
    REVIEW_EVENTS,
    Pathway,
    pathway_preset,
)
from attendance_desk.register import stats
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.uk_dates import day_text


class CaseError(LettersError):
    """A change the pathway does not allow; the message says why."""


def load_case(session: Session, case_id: int) -> PathwayCase:
    case = session.get(PathwayCase, case_id, options=[selectinload(PathwayCase.steps)])
    if case is None:
        raise CaseError(f"there is no pathway case {case_id}")
    return case


def open_cases(session: Session, pupil_ids: Collection[int] | None = None) -> list[PathwayCase]:
    """Every case not yet closed (of `pupil_ids`, or all), with its steps and pupil."""
    query = (
        select(PathwayCase)
        .options(selectinload(PathwayCase.steps), selectinload(PathwayCase.pupil))
        .where(PathwayCase.closed_on.is_(None))
        .order_by(PathwayCase.id)
    )
    if pupil_ids is not None:
        query = query.where(PathwayCase.pupil_id.in_(pupil_ids))
    return list(session.scalars(query))


def open_case_of(session: Session, pupil_id: int) -> PathwayCase | None:
    return session.scalar(
        select(PathwayCase)
        .options(selectinload(PathwayCase.steps))
        .where(PathwayCase.pupil_id == pupil_id, PathwayCase.closed_on.is_(None))
    )


def start_case(
    session: Session,
    *,
    pupil_id: int,
    pathway: Pathway,
    day: date,
    reason: str,
    user: User,
    now: datetime,
) -> PathwayCase:
    """Open a case at the pathway's entry step (its first letter)."""
    if open_case_of(session, pupil_id) is not None:
        raise CaseError("this pupil already has an open case on the letters pathway")
    case = PathwayCase(
        pupil_id=pupil_id,
        pathway=pathway.key,
        state=pathway.entry,
        stage=0,
        opened_on=day,
        opened_by=user.full_name,
        steps=[],
    )
    session.add(case)
    _enter(case, pathway, pathway.entry, day, reason, user, now, load_calendar(session))
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="open",
        entity="pathway_case",
        entity_id=case.id,
        pupil_id=pupil_id,
        pathway=pathway.key,
    )
    return case


def _enter(
    case: PathwayCase,
    pathway: Pathway,
    step_id: str,
    day: date,
    reason: str,
    user: User,
    now: datetime,
    calendar: SchoolCalendar,
    meeting: Meeting | None = None,
) -> PathwayStep:
    step = pathway.step(step_id)
    row = PathwayStep(
        step=step_id,
        stage=step.stage,
        kind=step.kind,
        entered_on=day,
        notes=reason,
        user_id=user.id,
        user_name=user.full_name,
        updated_at=now,
    )
    if step.kind in PERIOD_KINDS:
        row.period_start, row.period_end = review_period(calendar, day, step.review_school_days)
    if step.kind == "meeting" and meeting is not None:
        row.meeting_at, row.meeting_place = meeting.at, meeting.place
    case.steps.append(row)
    case.state, case.stage = step_id, step.stage
    return row


def _advance(
    session: Session,
    case: PathwayCase,
    event: str,
    *,
    day: date,
    user: User,
    now: datetime,
    note: str,
    meeting: Meeting | None = None,
    review_pct: float | None = None,
) -> PathwayStep | None:
    """Complete the current step with `event` and enter the step it leads to."""
    pathway = pathway_preset(case.pathway)
    step, row = pathway.step(case.state), current_row(case)
    if event not in step.on:
        raise CaseError(f"'{step.label}' has no outcome '{event}'")
    row.outcome = event
    row.done_on = row.done_on or day
    row.review_pct = review_pct if review_pct is not None else row.review_pct
    row.updated_at, row.user_id, row.user_name = now, user.id, user.full_name
    label = step.event_label(event, pathway)
    if note.strip():
        row.notes = f"{row.notes}\n{note.strip()}".strip()
    target = step.on[event]
    entered = None
    if target == CLOSED:
        case.closed_on, case.outcome = day, note.strip() or label
    else:
        reason = f"{label}: {note.strip()}" if note.strip() else label
        entered = _enter(
            case, pathway, target, day, reason, user, now, load_calendar(session), meeting
        )
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action=event,
        entity="pathway_case",
        entity_id=case.id,
        step=step.id,
        to=target,
        note=note.strip(),
    )
    return entered


def letter_sent(
    session: Session,
    *,
    case: PathwayCase,
    day: date,
    user: User,
    now: datetime,
    meeting: Meeting | None = None,
) -> None:
    """The current letter step's letters went today: start its review, or move on."""
    pathway = pathway_preset(case.pathway)
    step, row = pathway.step(case.state), current_row(case)
    if step.kind != "letter" or row.done_on is not None:
        raise CaseError(f"the case is at '{step.label}', not waiting for a letter")
    row.done_on, row.updated_at = day, now
    if meeting is not None:
        row.meeting_at, row.meeting_place = meeting.at, meeting.place
    if step.reviewed:
        row.period_start, row.period_end = review_period(
            load_calendar(session), day, step.review_school_days
        )
        session.flush()
        return
    _advance(session, case, "sent", day=day, user=user, now=now, note="", meeting=meeting)


def confirm_review(
    session: Session,
    *,
    case_id: int,
    improved: bool,
    day: date,
    user: User,
    now: datetime,
    note: str = "",
) -> PathwayStep | None:
    """A person's answer to "attendance improved?" for the current step's review.

    The register's answer (`review_of`) is stored beside theirs; they may differ when the
    person knows more (a medical reason, a part-time timetable).
    """
    case = load_case(session, case_id)
    pathway = pathway_preset(case.pathway)
    review = review_of(session, case, pathway, day)
    if review is None:
        raise CaseError("there is no review period running for this case")
    pct = stats.rounded(review.figures.attendance_pct)
    summary = review.describe()
    text = f"{summary}. {note.strip()}".strip() if note.strip() else summary
    return _advance(
        session,
        case,
        REVIEW_EVENTS[0] if improved else REVIEW_EVENTS[1],
        day=day,
        user=user,
        now=now,
        note=text,
        review_pct=pct,
    )


def record_event(
    session: Session,
    *,
    case_id: int,
    event: str,
    day: date,
    user: User,
    now: datetime,
    note: str = "",
) -> PathwayStep | None:
    """A meeting held or missed, a decision made, a penalty notice issued or not.

    Letters move on when they are sent (`sending`), reviews when confirmed (`confirm_review`).
    """
    case = load_case(session, case_id)
    if case.closed_on is not None:
        raise CaseError("this case is closed")
    pathway = pathway_preset(case.pathway)
    step, row = pathway.step(case.state), current_row(case)
    if step.kind == "letter" or event in REVIEW_EVENTS:
        raise CaseError(f"'{step.label}' moves on when its letter is sent or its review confirmed")
    if step.kind == "meeting" and event == "missed" and not note.strip():
        note = f"the parents did not come to the meeting {_when(row)}"
    if event == "issued" and not _notices_since(session, case, row.entered_on):
        raise CaseError("record the penalty notices issued before moving on")
    return _advance(session, case, event, day=day, user=user, now=now, note=note)


def _when(row: PathwayStep) -> str:
    return f"on {day_text(row.meeting_at, year=False)}" if row.meeting_at else "arranged"


def _notices_since(session: Session, case: PathwayCase, since: date) -> int:
    return len(
        session.scalars(
            select(PenaltyNotice.id).where(
                PenaltyNotice.case_id == case.id,
                PenaltyNotice.issued_on >= since,
                PenaltyNotice.status != "withdrawn",
            )
        ).all()
    )


def book_meeting(
    session: Session, *, case_id: int, at: datetime, place: str, user: User, now: datetime
) -> None:
    """Set or change the date, time and place of the meeting the case is waiting for."""
    case = load_case(session, case_id)
    row = current_row(case)
    if row.kind != "meeting":
        raise CaseError("the case is not waiting for a meeting")
    if not place.strip():
        raise CaseError("say where the meeting is")
    old = row.meeting_at
    row.meeting_at, row.meeting_place, row.updated_at = at, place.strip(), now
    audit.record(
        session,
        user=user,
        now=now,
        action="book_meeting",
        entity="pathway_case",
        entity_id=case.id,
        old=old,
        new=at,
        place=place.strip(),
    )


def set_period(
    session: Session, *, case_id: int, start: date, end: date, user: User, now: datetime
) -> None:
    """Change the current step's period (the monitoring dates agreed with the LAAO)."""
    if end < start:
        raise CaseError(f"the period ends ({end}) before it starts ({start})")
    case = load_case(session, case_id)
    row = current_row(case)
    if row.period_start is None or row.outcome is not None:
        raise CaseError("the current step has no period to change")
    old = (row.period_start, row.period_end)
    row.period_start, row.period_end, row.updated_at = start, end, now
    audit.record(
        session,
        user=user,
        now=now,
        action="set_period",
        entity="pathway_case",
        entity_id=case.id,
        old=old,
        new=(start, end),
    )


def add_note(session: Session, *, case_id: int, text: str, user: User, now: datetime) -> None:
    """Add a dated note to the current step (what was agreed, who was contacted)."""
    if not text.strip():
        raise CaseError("the note is empty")
    case = load_case(session, case_id)
    row = current_row(case)
    stamp = f"{now:%d/%m/%Y %H:%M} {user.full_name}: {text.strip()}"
    row.notes = f"{row.notes}\n{stamp}".strip()
    row.updated_at = now
    audit.record(
        session, user=user, now=now, action="note", entity="pathway_case", entity_id=case.id
    )


def close_case(
    session: Session, *, case_id: int, reason: str, day: date, user: User, now: datetime
) -> None:
    """Close a case by hand (the pupil left, the LA took it on), with the reason."""
    if not reason.strip():
        raise CaseError("closing a case needs a reason")
    case = load_case(session, case_id)
    if case.closed_on is not None:
        raise CaseError("this case is already closed")
    row = current_row(case)
    row.outcome = row.outcome or "closed"
    row.done_on = row.done_on or day
    row.notes = f"{row.notes}\nClosed: {reason.strip()}".strip()
    case.closed_on, case.outcome = day, reason.strip()
    audit.record(
        session,
        user=user,
        now=now,
        action="close",
        entity="pathway_case",
        entity_id=case.id,
        reason=reason.strip(),
    )
