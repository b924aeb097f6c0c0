"""The morning's call list and the call log.

Absentees with no reason, the most at risk first (CP, CLA, CIN and the vulnerable list),
then the longest episodes, then by name; each with their contacts in priority order and
what has been tried. The next contact to try is the first one not yet tried without an
answer, so when contact 1 fails contact 2 comes up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from attendance_desk import audit, codes
from attendance_desk.calendar_store import load_calendar
from attendance_desk.followup.episodes import CALL_FAILED, CONTACT_MADE, absences
from attendance_desk.followup.rules import is_vulnerable
from attendance_desk.models import Contact, ContactAttempt, Pupil, User
from attendance_desk.safeguarding_redaction import open_flags

OUTCOMES: dict[str, str] = {
    "answered": "Answered: reason given",
    "answered_concern": "Answered: reason does not reassure",
    "no_answer": "No answer",
    "voicemail": "Voicemail left",
    "wrong_number": "Wrong number",
    "text_sent": "Text sent",
    "email_sent": "Email sent",
}


class CallError(ValueError):
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
    #: deputy DSL and head (`safeguarding_redaction.for_viewer` shows the right one).
    open_flags: str

    @property
    def next_contact(self) -> CallContact | None:
        """The first contact in priority order who may be called and has not yet failed."""
        for contact in self.contacts:
            if not contact.do_not_contact and not contact.tried_without_answer:
                return contact
        return None


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


def call_list(session: Session, now: datetime) -> list[CallRow]:
    """Everyone absent today with no reason, in the order to phone them; those whose
    parent has already answered come last (their marks only need updating)."""
    today = now.date()
    calendar = load_calendar(session)
    episodes = {
        pid: a.episode
        for pid, a in absences(session, calendar, today).items()
        if a.episode is not None and a.episode.last_day == today
    }
    if not episodes:
        return []
    pupils = session.scalars(
        select(Pupil)
        .options(selectinload(Pupil.contacts), selectinload(Pupil.reg_group))
        .where(Pupil.id.in_(episodes))
        .where(or_(Pupil.on_roll_to.is_(None), Pupil.on_roll_to >= today))
    )
    since = {pid: datetime.combine(e.first_day, time.min) for pid, e in episodes.items()}
    attempts: dict[int, list[ContactAttempt]] = {}
    for attempt in session.scalars(
        select(ContactAttempt)
        .where(ContactAttempt.pupil_id.in_(episodes))
        .order_by(ContactAttempt.at)
    ):
        if attempt.at >= since[attempt.pupil_id] and attempt.contact_id is not None:
            attempts.setdefault(attempt.contact_id, []).append(attempt)
    rows = []
    for pupil in pupils:
        episode = episodes[pupil.id]
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
                tuple(
                    Attempt(a.at, a.outcome, a.user_name, a.note) for a in attempts.get(c.id, [])
                ),
            )
            for c in pupil.contacts
        )
        rows.append(
            CallRow(
                pupil_id=pupil.id,
                upn=pupil.upn,
                name=pupil.display_name,
                group=pupil.reg_group.name,
                flags=_flags([n for n in _FLAG_LABELS if getattr(pupil, n)]),
                open_flags=_flags(open_flags(pupil, list(_FLAG_LABELS))),
                at_risk=is_vulnerable(pupil),
                day=episode.day,
                first_day=episode.first_day,
                social_worker=pupil.social_worker,
                contacts=contacts,
                contact_made=episode.contact_made,
            )
        )
    rows.sort(key=lambda r: (r.contact_made, not r.at_risk, -r.day, r.name))
    return rows


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
) -> ContactAttempt:
    """A contact answered and gave a reason: log the call and take it as the parent's report
    for today, which codes today's unexplained sessions (see `absence_reports.log_report`)."""
    from attendance_desk.absence_reports import log_report

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
        start=now.date(),
        end=now.date(),
        code=code,
        reason=reason,
        reported_by=f"{contact.name} ({contact.relationship_to_pupil})",
        channel="phone",
        user=user,
        now=now,
    )
    return attempt
