"""One timeline of everything that happened about a pupil's attendance and welfare.

Absences, calls, parents' reports, amendments, worklist outcomes, leave, safe-and-well
checks, next steps and case notes, newest first. Safeguarding detail is shown only to those
allowed to see it (and their viewing is audited); anyone else learns only that a check
exists (`catalogues.redaction`): what was recorded when the DSL's worklist actions were
closed ("DSL decision: visit today", "Police welfare check requested") reads as restricted,
and restricted notes are left out entirely.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, allowed
from attendance_desk.catalogues import codes
from attendance_desk.catalogues.action_kinds import KIND_LABELS
from attendance_desk.catalogues.call_outcomes import OUTCOMES as CALL_OUTCOMES
from attendance_desk.catalogues.redaction import (
    RESTRICTED,
    SAFEGUARDING_ACTIONS,
    action_label,
    action_note,
    sees_safeguarding,
)
from attendance_desk.models import (
    AbsenceReport,
    ActionOutcome,
    CaseNote,
    ContactAttempt,
    InboxMessage,
    InboxProposal,
    LeaveRequest,
    LetterLog,
    Mark,
    MarkAmendment,
    PathwayCase,
    PathwayStep,
    RaisedAction,
    SafeAndWellCheck,
    User,
)
from attendance_desk.safeguarding.checks import NEXT_STEPS
from attendance_desk.safeguarding.checks import OUTCOMES as VISIT_OUTCOMES
from attendance_desk.uk_dates import day_text, moment_text, span_text

KINDS: dict[str, str] = {
    "absence": "Absences",
    "call": "Calls and texts",
    "report": "Parents' reports",
    "amendment": "Register amendments",
    "action": "Follow-up actions",
    "leave": "Leave requests",
    "check": "Safe-and-well checks",
    "note": "Case notes",
    "letter": "Letters",
    "meeting": "Meetings and plans",
}


@dataclass(frozen=True, slots=True)
class Entry:
    at: datetime
    kind: str
    title: str
    detail: str
    by: str
    restricted: bool = False


def _absences(session: Session, pupil_id: int) -> list[Entry]:
    """One entry a day with an absence mark (late after close included), by the register."""
    days: dict[date, list[str]] = defaultdict(list)
    for day, sess, code in session.execute(
        select(Mark.date, Mark.session, Mark.code)
        .where(
            Mark.pupil_id == pupil_id,
            Mark.code.in_(codes.AUTHORISED_CODES + codes.UNAUTHORISED_CODES),
        )
        .order_by(Mark.date, Mark.session)
    ):
        days[day].append(f"{sess} {code}: {codes.entry(code).meaning}")
    return [
        Entry(datetime.combine(day, time(9, 0)), "absence", "Absence", "; ".join(marks), "register")
        for day, marks in days.items()
    ]


def _checks(session: Session, pupil_id: int, full: bool) -> list[Entry]:
    entries = []
    for check in session.scalars(
        select(SafeAndWellCheck).where(SafeAndWellCheck.pupil_id == pupil_id)
    ):
        state = "finished" if check.finished_at else "in progress"
        if not full:
            entries.append(
                Entry(
                    check.started_at,
                    "check",
                    f"Safe-and-well check {state}",
                    RESTRICTED,
                    "",
                    True,
                )
            )
            continue
        lines = []
        if check.decision:
            verdict = "Visit today" if check.decision == "visit_today" else "Not visiting today"
            lines.append(f"Decision ({check.decided_by}): {verdict}. Rationale: {check.rationale}")
        if check.outcome:
            lines.append(
                f"Visit {check.visited_at:%d %b %H:%M} by {check.staff_one} and {check.staff_two}: "
                f"{VISIT_OUTCOMES[check.outcome]}"
                + (f". Enquiries: {check.enquiries}" if check.enquiries else "")
                + (". Letter left at the property" if check.letter_left else "")
            )
        for step in check.next_steps:
            ref = f" (ref {step.reference})" if step.reference else ""
            lines.append(f"{step.at:%d %b %H:%M} {NEXT_STEPS[step.kind]}{ref}")
        entries.append(
            Entry(
                check.started_at,
                "check",
                f"Safe-and-well check, day {check.episode_day} ({state})",
                "\n".join(lines) or "Started; no decision yet.",
                check.started_by,
                True,
            )
        )
    return entries


def _raised(session: Session, pupil_id: int, viewer: User) -> list[Entry]:
    """Each worklist action when raised, and when the rules stopped calling for it while it
    stayed open, as `viewer` may read them (see `catalogues.redaction`)."""
    full = sees_safeguarding(viewer)
    entries = []
    for row in session.scalars(select(RaisedAction).where(RaisedAction.pupil_id == pupil_id)):
        label = action_label(row.kind, KIND_LABELS.get(row.kind, row.kind), viewer)
        restricted = row.kind in SAFEGUARDING_ACTIONS
        detail = row.detail if full else row.open_detail
        at = datetime.combine(row.raised_on, time(8, 0))
        entries.append(Entry(at, "action", f"Raised: {label}", detail, "rules", restricted))
        if row.superseded_on is not None:
            entries.append(
                Entry(
                    datetime.combine(row.superseded_on, time(8, 0)),
                    "action",
                    f"Still open: {label}",
                    f"The rules stopped calling for it ({row.superseded_by}); it stays on the "
                    "list until someone completes or dismisses it.",
                    "rules",
                    restricted,
                )
            )
    return entries


def _letters_and_meetings(session: Session, pupil_id: int) -> list[Entry]:
    """Letters sent (one entry a copy) and the pathway's meetings, plans and contracts."""
    entries = [
        Entry(sent_at, "letter", f"Letter sent: {title}", f"To {recipient}", by)
        for sent_at, title, recipient, by in session.execute(
            select(
                LetterLog.sent_at, LetterLog.title, LetterLog.recipient_name, LetterLog.sent_by_name
            ).where(LetterLog.pupil_id == pupil_id)
        )
    ]
    for step in session.scalars(
        select(PathwayStep)
        .join(PathwayCase, PathwayCase.id == PathwayStep.case_id)
        .where(PathwayCase.pupil_id == pupil_id, PathwayStep.kind != "letter")
    ):
        when = step.meeting_at or datetime.combine(step.entered_on, time(9, 0))
        detail = step.outcome or step.notes or ""
        if step.meeting_at and step.meeting_place:
            detail = f"{moment_text(step.meeting_at, year=False)} at {step.meeting_place}. {detail}"
        entries.append(
            Entry(
                when,
                "meeting",
                f"Stage {step.stage}: {step.step.replace('_', ' ')}",
                detail.strip(),
                step.user_name,
            )
        )
    return entries


INBOX_KINDS = {"report": "absence report", "leave": "leave request"}


def _inbox_messages(session: Session, pupil_id: int) -> list[Entry]:
    """Parents' emails and texts accepted from the inbox, in their own words."""
    return [
        Entry(
            message.received_at,
            "report",
            f"{'Text' if message.channel == 'text' else 'Email'} from "
            f"{message.sender_name or message.sender}"
            + f" ({INBOX_KINDS[proposal.kind]} accepted)",
            message.text or message.subject or "(no text)",
            proposal.decided_by_name or "",
        )
        for proposal, message in session.execute(
            select(InboxProposal, InboxMessage)
            .join(InboxMessage, InboxMessage.id == InboxProposal.message_id)
            .where(InboxProposal.pupil_id == pupil_id, InboxProposal.status == "accepted")
        )
    ]


def chronology(
    session: Session,
    *,
    pupil_id: int,
    viewer: User,
    now: datetime,
    kinds: set[str] | None = None,
) -> list[Entry]:
    """The pupil's timeline, newest first, filtered to `kinds` (all when None)."""
    full = sees_safeguarding(viewer)
    entries = _absences(session, pupil_id)
    for a in session.scalars(select(ContactAttempt).where(ContactAttempt.pupil_id == pupil_id)):
        who = f"{a.contact.name} ({a.contact.relationship_to_pupil})" if a.contact else "contact"
        detail = f"{who}" + (f": {a.note}" if a.note else "")
        entries.append(Entry(a.at, "call", CALL_OUTCOMES[a.outcome], detail, a.user_name))
    for r in session.scalars(select(AbsenceReport).where(AbsenceReport.pupil_id == pupil_id)):
        entries.append(
            Entry(
                r.reported_at,
                "report",
                f"Reported by {r.channel}: {codes.BY_CODE[r.code].meaning}",
                f"{day_text(r.start_date, year=False)} {r.start_session} "
                f"to {day_text(r.end_date, year=False)} "
                f"{r.end_session}, {r.reason} ({r.reported_by})",
                r.recorded_by_name,
            )
        )
    for day, sess, amendment in session.execute(
        select(Mark.date, Mark.session, MarkAmendment)
        .join(MarkAmendment, MarkAmendment.mark_id == Mark.id)
        .where(Mark.pupil_id == pupil_id)
    ):
        entries.append(
            Entry(
                amendment.amended_at,
                "amendment",
                f"Register amended: {day_text(day, year=False)} {sess} "
                f"{amendment.old_code} → {amendment.new_code}",
                amendment.reason,
                f"{amendment.user_name}, {amendment.user_position}",
            )
        )
    entries += _raised(session, pupil_id, viewer)
    for o in session.scalars(select(ActionOutcome).where(ActionOutcome.pupil_id == pupil_id)):
        label = action_label(o.kind, o.kind.replace("_", " ").capitalize(), viewer)
        entries.append(
            Entry(
                o.at,
                "action",
                f"{label}: {o.status}",
                action_note(o.kind, o.note, viewer),
                o.user_name,
                o.kind in SAFEGUARDING_ACTIONS,
            )
        )
    for leave in session.scalars(select(LeaveRequest).where(LeaveRequest.pupil_id == pupil_id)):
        entries.append(
            Entry(
                leave.requested_at,
                "leave",
                f"Leave requested: {span_text(leave.start_date, leave.end_date)} ({leave.status})",
                f"{leave.reason} — asked by {leave.requested_by}",
                leave.decided_by_name or "",
            )
        )
    if allowed(viewer, Permission.LOG_CALLS):  # parents' words: for those who take reports
        entries += _inbox_messages(session, pupil_id)
    entries += _checks(session, pupil_id, full)
    entries += _letters_and_meetings(session, pupil_id)
    for note in session.scalars(select(CaseNote).where(CaseNote.pupil_id == pupil_id)):
        if note.restricted and not full:
            continue
        entries.append(
            Entry(
                note.at,
                "note",
                "Safeguarding note" if note.restricted else f"Note: {note.category}",
                note.text,
                note.user_name,
                note.restricted,
            )
        )
    if full and any(e.restricted for e in entries):
        audit.record(
            session, user=viewer, now=now, action="view", entity="chronology", entity_id=pupil_id
        )
    if kinds is not None:
        entries = [e for e in entries if e.kind in kinds]
    return sorted(entries, key=lambda e: e.at, reverse=True)
