"""Actions a person's recorded act has already answered, though nobody pressed Done.

A few kinds of action exist only to get one thing recorded: a first-day call is answered by
a call that reached a parent, by a parent's own report or by the child arriving; an `N` to
resolve by the amendment that resolved it; a letter due by the letter sent. When the rules
stop calling for such an action because of that act, the act closes it, in the name of the
person who recorded it and at the time they did, with what they recorded as the note.
Every other kind stays open until someone completes or dismisses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.catalogues.action_kinds import ActionKind as K
from attendance_desk.followup.actions import Action
from attendance_desk.models import (
    AbsenceReport,
    ContactAttempt,
    LetterLog,
    Mark,
    MarkAmendment,
)
from attendance_desk.uk_dates import day_text

ANSWERED_BY_CALLS = frozenset({K.FIRST_DAY_CALL, K.CALL_ALL_CONTACTS, K.CONTACT_SIBLING_SCHOOLS})
#: The kinds a recorded act can answer (the rest wait for a person's Done or Dismiss).
ANSWERABLE = ANSWERED_BY_CALLS | {K.RESOLVE_N_CODE, K.LETTER}
UNEXPLAINED = (codes.REASON_NOT_PROVIDED, codes.UNKNOWN_UNAUTHORISED)


@dataclass(frozen=True, slots=True)
class Answer:
    """The recorded act that answered an action: who, when and what they recorded."""

    action: Action
    at: datetime
    user_id: int | None
    user_name: str
    note: str


def _start(key: str) -> date | None:
    """The absence's first day that a call action's key begins with."""
    try:
        return date.fromisoformat(key[:10])
    except ValueError:
        return None


def find_answers(session: Session, actions: Iterable[Action], until: datetime) -> list[Answer]:
    """The answer, recorded before `until`, to each of `actions` that has one."""
    found: list[Answer] = []
    for action in actions:
        if action.kind not in ANSWERABLE:
            continue
        if action.kind in ANSWERED_BY_CALLS:
            answer = _call_answer(session, action, until)
        elif action.kind == K.RESOLVE_N_CODE:
            answer = _n_code_answer(session, action, until)
        else:
            answer = _letter_answer(session, action, until)
        if answer is not None:
            found.append(answer)
    return found


def _call_answer(session: Session, action: Action, until: datetime) -> Answer | None:
    start = _start(action.key)
    if start is None:
        return None
    since = datetime.combine(start, datetime.min.time())
    candidates: list[Answer] = []
    call = session.scalar(
        select(ContactAttempt)
        .where(
            ContactAttempt.pupil_id == action.pupil_id,
            ContactAttempt.outcome == "answered",
            ContactAttempt.at >= since,
            ContactAttempt.at < until,
        )
        .order_by(ContactAttempt.at)
        .limit(1)
    )
    if call is not None:
        who = f" ({call.contact.name})" if call.contact else ""
        note = f": {call.note}" if call.note else ""
        candidates.append(
            Answer(action, call.at, call.user_id, call.user_name, f"Call answered{who}{note}")
        )
    report = session.scalar(
        select(AbsenceReport)
        .where(
            AbsenceReport.pupil_id == action.pupil_id,
            AbsenceReport.end_date >= start,
            AbsenceReport.reported_at < until,
        )
        .order_by(AbsenceReport.reported_at)
        .limit(1)
    )
    if report is not None:
        candidates.append(
            Answer(
                action,
                max(report.reported_at, since),
                report.recorded_by_id,
                report.recorded_by_name,
                f"Parent's report ({report.channel}, {report.reported_by}): {report.reason}",
            )
        )
    arrived = session.execute(
        select(MarkAmendment, Mark.date, Mark.session)
        .join(Mark, MarkAmendment.mark_id == Mark.id)
        .where(
            Mark.pupil_id == action.pupil_id,
            Mark.date >= start,
            MarkAmendment.old_code.in_(UNEXPLAINED),
            MarkAmendment.new_code.not_in(UNEXPLAINED),
            MarkAmendment.amended_at < until,
        )
        .order_by(MarkAmendment.amended_at)
        .limit(1)
    ).first()
    if arrived is not None:
        amendment, day, sess = arrived
        candidates.append(
            Answer(
                action,
                amendment.amended_at,
                amendment.user_id,
                amendment.user_name,
                f"Register amended {day_text(day, year=False)} {sess} {amendment.old_code} → "
                f"{amendment.new_code}: {amendment.reason}",
            )
        )
    return min(candidates, key=lambda a: a.at, default=None)


def _n_code_answer(session: Session, action: Action, until: datetime) -> Answer | None:
    try:
        mark_id = int(action.key.removeprefix("mark:"))
    except ValueError:
        return None
    amendment = session.scalar(
        select(MarkAmendment)
        .where(
            MarkAmendment.mark_id == mark_id,
            MarkAmendment.old_code == codes.REASON_NOT_PROVIDED,
            MarkAmendment.amended_at < until,
        )
        .order_by(MarkAmendment.amended_at)
        .limit(1)
    )
    if amendment is None:
        return None
    return Answer(
        action,
        amendment.amended_at,
        amendment.user_id,
        amendment.user_name,
        f"N resolved to {amendment.new_code}: {amendment.reason}",
    )


def _letter_answer(session: Session, action: Action, until: datetime) -> Answer | None:
    since = datetime.combine(action.raised_on or action.due, datetime.min.time())
    sent = session.scalar(
        select(LetterLog)
        .where(
            LetterLog.pupil_id == action.pupil_id,
            LetterLog.sent_at >= since,
            LetterLog.sent_at < until,
        )
        .order_by(LetterLog.sent_at)
        .limit(1)
    )
    if sent is None:
        return None
    return Answer(
        action,
        sent.sent_at,
        sent.sent_by_id,
        sent.sent_by_name,
        f"Letter sent: {sent.title} to {sent.recipient_name}",
    )
