"""The safe-and-well check: the DSL's six questions, the decision with its rationale, the
visit and what happens next (docs/rules.md#safe-and-well).

Each page of the wizard is saved as it is answered, so nothing is lost if the window is
closed or the PC crashes; reopening resumes the same check. A finished check is read-only:
corrections are added as case notes. Every step is restricted to the DSL, deputy DSL and
head, and each also closes the worklist action it answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.followup.episodes import absences
from attendance_desk.followup.kinds import ActionKind
from attendance_desk.models import ActionOutcome, NextStep, Pupil, SafeAndWellCheck, User
from attendance_desk.safeguarding.errors import SafeguardingError
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.followup_policy import current_policy
from attendance_desk.uk_dates import moment_text

#: The six questions (docs/rules.md#safe-and-well), in the order the DSL answers them.
QUESTIONS: dict[str, str] = {
    "unusual": "Is this absence unusual for this pupil?",
    "recent_concerns": "Have concerns been raised recently?",
    "social_worker_visit": "Can the social worker visit?",
    "protective_factors": "What protective factors are there at home?",
    "vulnerability": "What is the nature of the pupil's vulnerability?",
    "spanned_holiday": "Has the absence spanned a holiday period?",
}
OUTCOMES = {
    "seen_safe": "Child seen and safe",
    "seen_concerns": "Child seen, with concerns",
    "not_seen": "Child not seen (no answer or not at home)",
}
NEXT_STEPS = {
    "none": "No further action",
    "social_worker": "Social worker informed",
    "police": "Police welfare check requested",
    "icart_mash": "ICART / MASH referral",
    "cme": "Children Missing Education notification to the LA",
}
#: A "not today" on a no-contact case past the visit day needs at least this much reasoning.
STRONGER_RATIONALE = 60


class CheckError(SafeguardingError):
    """A page that cannot be saved as it stands; the message says what is missing."""


def _check(
    session: Session, check_id: int, user: User, *, editable: bool = True
) -> SafeAndWellCheck:
    require(user, Permission.RECORD_SAFEGUARDING if editable else Permission.VIEW_SAFEGUARDING)
    check = session.get(SafeAndWellCheck, check_id)
    if check is None:
        raise CheckError("that check does not exist")
    if editable and check.finished_at is not None:
        raise CheckError("this check is finished and read-only: add a case note to correct it")
    return check


def _close(
    session: Session,
    check: SafeAndWellCheck,
    kind: str,
    note: str,
    user: User,
    now: datetime,
    *,
    key: str | None = None,
    latest_only: bool = False,
) -> None:
    """Mark done the worklist actions of `kind` this step answers: every open one for the
    pupil (only the latest with `latest_only`), and the one named `key` even if it was not
    raised yet, so it is never raised after the step that answered it."""
    # Imported here: the worklist's rules read the checks this module writes.
    from attendance_desk.followup.outcomes import record_outcome
    from attendance_desk.followup.worklist import open_keys

    keys = {k for _, k in open_keys(session, check.pupil_id, now.date(), {kind})}
    if latest_only and keys:
        keys = {max(keys)}
    if key is not None:
        keys.add(key)
    for each in sorted(keys):
        exists = session.scalar(
            select(ActionOutcome.id).where(
                ActionOutcome.pupil_id == check.pupil_id,
                ActionOutcome.kind == kind,
                ActionOutcome.key == each,
            )
        )
        if exists is None:
            record_outcome(
                session,
                pupil_id=check.pupil_id,
                kind=kind,
                key=each,
                done=True,
                note=note,
                user=user,
                now=now,
            )


def open_check(session: Session, *, pupil_id: int, user: User, now: datetime) -> SafeAndWellCheck:
    """The pupil's unfinished check, or a new one for their current absence episode."""
    require(user, Permission.RECORD_SAFEGUARDING)
    existing = session.scalar(
        select(SafeAndWellCheck).where(
            SafeAndWellCheck.pupil_id == pupil_id, SafeAndWellCheck.finished_at.is_(None)
        )
    )
    if existing is not None:
        return existing
    if session.get(Pupil, pupil_id) is None:
        raise CheckError("choose the pupil the check is about")
    absence = absences(session, load_calendar(session), now.date()).get(pupil_id)
    episode = absence.episode if absence else None
    check = SafeAndWellCheck(
        pupil_id=pupil_id,
        episode_first_day=episode.first_day if episode else now.date(),
        episode_day=episode.day if episode else 1,
        step="context",
        started_at=now,
        started_by=user.full_name,
    )
    session.add(check)
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="open",
        entity="safe_and_well_check",
        entity_id=check.id,
        pupil_id=pupil_id,
    )
    return check


def save_answers(
    session: Session, *, check_id: int, answers: dict[str, str], user: User, now: datetime
) -> SafeAndWellCheck:
    """The six questions; every one needs an answer (even "no")."""
    check = _check(session, check_id, user)
    missing = [QUESTIONS[k] for k in QUESTIONS if not (answers.get(k) or "").strip()]
    if missing:
        raise CheckError("answer every question; still blank: " + "; ".join(missing))
    for key in QUESTIONS:
        setattr(check, key, answers[key].strip())
    check.step = "questions"
    audit.record(
        session,
        user=user,
        now=now,
        action="answer",
        entity="safe_and_well_check",
        entity_id=check.id,
    )
    return check


def default_decision(session: Session, check: SafeAndWellCheck) -> str:
    """ "visit_today" from the policy's visit day on (day 3 by default), else "not_today"."""
    visit_day = current_policy(session).safe_and_well_visit_day
    return "visit_today" if visit_day and check.episode_day >= visit_day else "not_today"


def save_decision(
    session: Session, *, check_id: int, decision: str, rationale: str, user: User, now: datetime
) -> SafeAndWellCheck:
    """Visit today or not, with the required rationale (a fuller one against the default)."""
    check = _check(session, check_id, user)
    if check.step == "context":
        raise CheckError("answer the six questions before deciding")
    if decision not in ("visit_today", "not_today"):
        raise CheckError("decide: visit today, or not today")
    rationale = rationale.strip()
    if not rationale:
        raise CheckError("write the rationale for the decision: it is required")
    if (
        decision == "not_today"
        and default_decision(session, check) == "visit_today"
        and len(rationale) < STRONGER_RATIONALE
    ):
        raise CheckError(
            f"day {check.episode_day} with no contact: a visit is due. Not visiting needs a "
            f"fuller rationale (at least {STRONGER_RATIONALE} characters): what makes you "
            "confident the child is safe?"
        )
    check.decision, check.rationale = decision, rationale
    check.decided_at, check.decided_by = now, user.full_name
    check.step = "decision"
    # The decision answers today's alert and any earlier day's still waiting.
    _close(
        session,
        check,
        ActionKind.DSL_ALERT,
        f"DSL decision: {'visit today' if decision == 'visit_today' else 'not today'}",
        user,
        now,
        key=f"{check.episode_first_day.isoformat()}:day{check.episode_day}",
    )
    audit.record(
        session,
        user=user,
        now=now,
        action="decide",
        entity="safe_and_well_check",
        entity_id=check.id,
        decision=decision,
    )
    return check


@dataclass(frozen=True, slots=True)
class Visit:
    staff_one: str
    staff_two: str
    risk_assessment_done: bool
    visited_at: datetime
    answered_by: str
    outcome: str
    enquiries: str
    letter_left: bool


def save_visit(
    session: Session, *, check_id: int, visit: Visit, user: User, now: datetime
) -> SafeAndWellCheck:
    """The visit record: two named staff and a risk assessment, always
    (docs/rules.md#safe-and-well)."""
    check = _check(session, check_id, user)
    if check.decision != "visit_today":
        raise CheckError("the decision was not to visit today: there is no visit to record")
    one, two = visit.staff_one.strip(), visit.staff_two.strip()
    if not one or not two or one.lower() == two.lower():
        raise CheckError("a visit needs two named members of staff")
    if not visit.risk_assessment_done:
        raise CheckError("complete the risk assessment before the visit")
    if visit.outcome not in OUTCOMES:
        raise CheckError("record whether the child was seen")
    if visit.outcome == "not_seen" and not visit.enquiries.strip():
        raise CheckError("no answer at the property: record the reasonable enquiries made")
    check.staff_one, check.staff_two = one, two
    check.risk_assessment_done = True
    check.visited_at = visit.visited_at
    check.answered_by = visit.answered_by.strip() or None
    check.outcome = visit.outcome
    check.enquiries = visit.enquiries.strip() or None
    check.letter_left = visit.letter_left
    check.step = "visit"
    what = f"Visit {moment_text(visit.visited_at, year=False)}: {OUTCOMES[visit.outcome]}"
    _close(
        session,
        check,
        ActionKind.SAFE_AND_WELL_VISIT,
        what,
        user,
        now,
        key=check.episode_first_day.isoformat(),
    )
    # The visit is also the home visit this absence called for (docs/rules.md#home-visit).
    _close(session, check, ActionKind.HOME_VISIT, what, user, now, latest_only=True)
    audit.record(
        session,
        user=user,
        now=now,
        action="visit",
        entity="safe_and_well_check",
        entity_id=check.id,
        outcome=visit.outcome,
    )
    return check


def add_next_step(
    session: Session,
    *,
    check_id: int,
    kind: str,
    user: User,
    now: datetime,
    reference: str | None = None,
    note: str | None = None,
) -> NextStep:
    """Record a next step; a police request needs its reference number."""
    check = _check(session, check_id, user)
    if check.step not in ("decision", "visit", "next_steps"):
        raise CheckError("record the decision before the next steps")
    if kind not in NEXT_STEPS:
        raise CheckError(f"'{kind}' is not a next step")
    if kind == "police" and not (reference or "").strip():
        raise CheckError("a police welfare check request needs the police reference number")
    step = NextStep(
        check=check,
        kind=kind,
        reference=(reference or "").strip() or None,
        note=(note or "").strip() or None,
        at=now,
        by=user.full_name,
    )
    session.add(step)
    check.step = "next_steps"
    start = check.episode_first_day.isoformat()
    if kind == "police":
        _close(
            session,
            check,
            ActionKind.POLICE_WELFARE_CONSULT,
            NEXT_STEPS[kind],
            user,
            now,
            key=start,
        )
    elif kind == "social_worker":
        _close(session, check, ActionKind.NOTIFY_SOCIAL_WORKER, NEXT_STEPS[kind], user, now)
    elif kind == "cme":
        _close(session, check, ActionKind.CME_REFERRAL, NEXT_STEPS[kind], user, now)
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="next_step",
        entity="safe_and_well_check",
        entity_id=check.id,
        kind=kind,
        reference=step.reference,
    )
    return step


def finish(session: Session, *, check_id: int, user: User, now: datetime) -> SafeAndWellCheck:
    """Close the check; from now on it is read-only."""
    check = _check(session, check_id, user)
    if check.decision is None:
        raise CheckError("a check cannot be finished without a decision")
    if check.decision == "visit_today" and check.outcome is None:
        raise CheckError("record the visit (or change the decision) before finishing")
    if not check.next_steps:
        raise CheckError("record the next step, even if it is 'no further action'")
    check.finished_at = now
    check.step = "finished"
    audit.record(
        session,
        user=user,
        now=now,
        action="finish",
        entity="safe_and_well_check",
        entity_id=check.id,
    )
    return check


def view_check(session: Session, *, check_id: int, user: User, now: datetime) -> SafeAndWellCheck:
    """A check opened for reading; the view itself is audited (a safeguarding record)."""
    check = _check(session, check_id, user, editable=False)
    audit.record(
        session, user=user, now=now, action="view", entity="safe_and_well_check", entity_id=check.id
    )
    return check


def checks_needing_police_consult(session: Session, pupil_ids: set[int]) -> dict[int, date]:
    """Pupils whose visit found nobody and who have no police step yet: first day of the
    episode, keyed by pupil (the worklist raises the police welfare consult for them)."""
    out: dict[int, date] = {}
    for check in session.scalars(
        select(SafeAndWellCheck).where(
            SafeAndWellCheck.pupil_id.in_(pupil_ids), SafeAndWellCheck.outcome == "not_seen"
        )
    ):
        if not any(s.kind == "police" for s in check.next_steps):
            out[check.pupil_id] = check.episode_first_day
    return out
