"""The morning's call list and the call log.

The list is the worklist's open call actions (a first-day call, or calling every contact),
one row a child, in the worklist's order: the Calls panel, the Today tab and the `calls`
and `actions` commands read the same `actions_for_day`, so they cannot disagree. A call
left from an earlier day (Friday's first-day call on Monday morning, before the registers
are taken) stays on the list, marked overdue since the day it was due. Each row carries
the child's contacts in priority order and what has been tried this absence; the next
contact to try is the first one not yet tried without an answer, so when contact 1 fails
contact 2 comes up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from attendance_desk.access import audit
from attendance_desk.catalogues import codes
from attendance_desk.catalogues.call_outcomes import OUTCOMES
from attendance_desk.catalogues.redaction import open_flags
from attendance_desk.desk.errors import DeskError
from attendance_desk.followup.episodes import CALL_FAILED, CONTACT_MADE
from attendance_desk.followup.rules import Action, ActionKind, actions_for_day, is_vulnerable
from attendance_desk.models import Contact, ContactAttempt, Pupil, User

#: The worklist's kinds that are phone calls to a child's contacts: what the panel lists.
CALL_KINDS = (ActionKind.FIRST_DAY_CALL, ActionKind.CALL_ALL_CONTACTS)


class CallError(DeskError):
    """An attempt that cannot be logged; the message says why."""


@dataclass(frozen=True, slots=True)
class Attempt:
    at: datetime
    outcome: str
    user_name: str
    note: str | None


@dataclass(frozen=True, slots=True)
class CallContact:
    contact_id: int
    priority: int
    name: str
    relationship: str
    parental_responsibility: bool
    phone: str | None
    phone_alt: str | None
    email: str | None
    do_not_contact: bool
    notes: str | None
    attempts: tuple[Attempt, ...]

    @property
    def tried_without_answer(self) -> bool:
        """Called and not reached (a text alone does not count: the call is still due)."""
        outcomes = {a.outcome for a in self.attempts}
        return bool(outcomes & set(CALL_FAILED)) and not outcomes & set(CONTACT_MADE)


@dataclass(frozen=True, slots=True)
class CallRow:
    pupil_id: int
    upn: str
    name: str
    group: str
    flags: str
    at_risk: bool
    day: int
    first_day: date
    social_worker: str | None
    contacts: tuple[CallContact, ...]
    contact_made: bool
    #: `flags` without CP, CLA or CIN (shown as "Vulnerable list"), for everyone but the DSL,
    #: deputy DSL and head (`catalogues.redaction.for_viewer` shows the right one).
    open_flags: str
    kinds: tuple[str, ...] = ()
    overdue_since: date | None = None  # the call was due on an earlier school day

    @property
    def next_contact(self) -> CallContact | None:
        """The first contact in priority order who may be called and has not yet failed."""
        for contact in self.contacts:
            if not contact.do_not_contact and not contact.tried_without_answer:
                return contact
        return None

    def as_json(self) -> dict[str, Any]:
        """The shape promised for `calls --json` (docs/rules.md#cli-contract)."""
        return {
            "upn": self.upn,
            "name": self.name,
            "group": self.group,
            "day": self.day,
            "overdue_since": self.overdue_since.isoformat() if self.overdue_since else None,
            "contact_made": self.contact_made,
            "contacts": [
                {
                    "name": c.name,
                    "priority": c.priority,
                    "phone": c.phone,
                    "tried": c.tried_without_answer,
                }
                for c in self.contacts
            ],
            "kinds": list(self.kinds),
            "first_day": self.first_day.isoformat(),
        }


_FLAG_LABELS = {
    "cp": "CP",
    "cla": "CLA",
    "cin": "CIN",
    "sen": "SEN",
    "vulnerable": "Vulnerable list",
    "young_carer": "Young carer",
}


def _flags(names: list[str]) -> str:
    return " · ".join(_FLAG_LABELS[name] for name in names)


def episode_start(action: Action) -> date:
    """The first day of the absence a call action is about: its key starts with it
    (`2025-09-12` for a first-day call, `2025-09-12:day2` for calling every contact)."""
    return date.fromisoformat(action.key.split(":", 1)[0])


def call_list(
    session: Session, now: datetime, actions: Sequence[Action] | None = None
) -> list[CallRow]:
    """The children to phone now: every open call action on today's worklist (`actions`,
    when the caller has just worked it out for today), one row a child, in the worklist's
    order (at-risk children first, then the longest absences)."""
    today = now.date()
    calls: dict[int, list[Action]] = {}
    for action in actions_for_day(session, today) if actions is None else actions:
        if action.kind in CALL_KINDS:
            calls.setdefault(action.pupil_id, []).append(action)
    if not calls:
        return []
    starts = {pid: min(episode_start(a) for a in found) for pid, found in calls.items()}
    pupils = {
        p.id: p
        for p in session.scalars(
            select(Pupil)
            .options(selectinload(Pupil.contacts), selectinload(Pupil.reg_group))
            .where(Pupil.id.in_(calls))
        )
    }
    attempts: dict[int, list[ContactAttempt]] = defaultdict(list)
    made: set[int] = set()
    for attempt in session.scalars(
        select(ContactAttempt)
        .where(
            ContactAttempt.pupil_id.in_(calls),
            ContactAttempt.at >= datetime.combine(min(starts.values()), time.min),
        )
        .order_by(ContactAttempt.at)
    ):
        if attempt.at < datetime.combine(starts[attempt.pupil_id], time.min):
            continue
        if attempt.outcome in CONTACT_MADE:
            made.add(attempt.pupil_id)
        if attempt.contact_id is not None:
            attempts[attempt.contact_id].append(attempt)
    return [
        _row(pupils[pid], found, starts[pid], attempts, pid in made, today)
        for pid, found in calls.items()
    ]


def _row(
    pupil: Pupil,
    actions: list[Action],
    first_day: date,
    attempts: dict[int, list[ContactAttempt]],
    contact_made: bool,
    today: date,
) -> CallRow:
    contacts = tuple(
        CallContact(
            c.id,
            c.priority,
            c.name,
            c.relationship_to_pupil,
            c.parental_responsibility,
            c.phone,
            c.phone_alt,
            c.email,
            c.do_not_contact,
            c.notes,
            tuple(Attempt(a.at, a.outcome, a.user_name, a.note) for a in attempts.get(c.id, [])),
        )
        for c in pupil.contacts
    )
    due = min(a.due for a in actions)
    return CallRow(
        pupil_id=pupil.id,
        upn=pupil.upn,
        name=pupil.display_name,
        group=pupil.reg_group.name,
        flags=_flags([n for n in _FLAG_LABELS if getattr(pupil, n)]),
        open_flags=_flags(open_flags(pupil, list(_FLAG_LABELS))),
        at_risk=is_vulnerable(pupil),
        day=max(a.day or 1 for a in actions),
        first_day=first_day,
        social_worker=pupil.social_worker,
        contacts=contacts,
        contact_made=contact_made,
        kinds=tuple(a.kind for a in actions),
        overdue_since=due if due < today else None,
    )


def log_attempt(
    session: Session,
    *,
    pupil_id: int,
    contact_id: int | None,
    outcome: str,
    user: User,
    now: datetime,
    note: str | None = None,
    proposed_code: str | None = None,
) -> ContactAttempt:
    """Log one attempt to reach a contact; an answer with a reason may propose a code."""
    if outcome not in OUTCOMES:
        raise CallError(f"'{outcome}' is not a call outcome; use one of {', '.join(OUTCOMES)}")
    if contact_id is not None:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.pupil_id != pupil_id:
            raise CallError("that contact does not belong to this pupil")
        if contact.do_not_contact and outcome != "wrong_number":
            raise CallError(f"{contact.name} must not be contacted: {contact.notes or 'see file'}")
    if proposed_code is not None:
        entry = codes.lookup(proposed_code)
        if not entry.is_absence:
            raise CallError(f"{entry.code} is not an absence reason")
        proposed_code = entry.code
    attempt = ContactAttempt(
        pupil_id=pupil_id,
        contact_id=contact_id,
        at=now,
        outcome=outcome,
        note=(note or "").strip() or None,
        proposed_code=proposed_code,
        user_id=user.id,
        user_name=user.full_name,
    )
    session.add(attempt)
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="contact_attempt",
        entity="pupil",
        entity_id=pupil_id,
        outcome=outcome,
        contact_id=contact_id,
    )
    return attempt


def record_answer(
    session: Session,
    *,
    pupil_id: int,
    contact_id: int,
    code: str,
    reason: str,
    user: User,
    now: datetime,
    since: date | None = None,
) -> ContactAttempt:
    """A contact answered and gave a reason: log the call and take it as the parent's report
    from `since` (the day an overdue call was due; default today) to today, which codes
    the unexplained sessions (see `absence_reports.log_report`)."""
    from attendance_desk.desk.absence_reports import log_report

    contact = session.get(Contact, contact_id)
    if contact is None:
        raise CallError("choose the contact who answered")
    attempt = log_attempt(
        session,
        pupil_id=pupil_id,
        contact_id=contact_id,
        outcome="answered",
        user=user,
        now=now,
        note=reason,
        proposed_code=code,
    )
    log_report(
        session,
        pupil_id=pupil_id,
        start=since or now.date(),
        end=now.date(),
        code=code,
        reason=reason,
        reported_by=f"{contact.name} ({contact.relationship_to_pupil})",
        channel="phone",
        user=user,
        now=now,
    )
    return attempt
