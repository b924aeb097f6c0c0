"""The printed documents of a safe-and-well check, built from the record (no Qt).

Each returns PDF bytes from a renderer in `printing.safeguarding_forms`; the wizard prints or
saves them, and a test can read them back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access.permissions import Permission, require
from attendance_desk.catalogues.call_outcomes import OUTCOMES as CALL_OUTCOMES
from attendance_desk.models import ContactAttempt, Pupil, SafeAndWellCheck, School, User
from attendance_desk.printing.safeguarding_forms import (
    CmeNotice,
    CmeNoticeData,
    Person,
    PoliceRequestData,
    PoliceRequestSummary,
    SchoolLine,
    VisitLetter,
    VisitLetterData,
)
from attendance_desk.safeguarding.check_context import check_context
from attendance_desk.safeguarding.checks import OUTCOMES
from attendance_desk.safeguarding.errors import SafeguardingError
from attendance_desk.school import settings
from attendance_desk.uk_dates import full_day, moment_text


class DocumentIncomplete(SafeguardingError):
    """A document that would print with a gap; the message names the setting to fill in."""


def _school(session: Session) -> str:
    return session.scalar(select(School.name)) or "School"


def _school_line(session: Session) -> SchoolLine:
    """The school's name, URN and telephone, so whoever reads the form can call back."""
    school = session.scalar(select(School).limit(1))
    return SchoolLine(
        name=school.name if school else "School",
        urn=(school.urn or "") if school else "",
        phone=settings.get(session, settings.SCHOOL_PHONE).strip(),
    )


def both_names(pupil: Pupil) -> str:
    """`Jakub (Kuba) Wójcik`: the legal name, with the name the child goes by beside it."""
    preferred = (pupil.preferred_forename or "").strip()
    if preferred and preferred != pupil.legal_forename:
        return f"{pupil.legal_forename} ({preferred}) {pupil.legal_surname}"
    return f"{pupil.legal_forename} {pupil.legal_surname}"


def _phone(session: Session) -> str:
    phone = settings.get(session, settings.SCHOOL_PHONE).strip()
    if not phone:
        raise DocumentIncomplete(
            f"The letter asks the family to telephone the school: fill in Settings → "
            f"{settings.SCHOOL_PHONE.label} first."
        )
    return phone


def visit_letter(session: Session, check: SafeAndWellCheck, now: datetime) -> bytes:
    """The "we called today" letter for the check's visit; refused without the school's
    telephone number (the letter's whole point is that the family rings the school)."""
    pupil = session.get(Pupil, check.pupil_id)
    assert pupil is not None
    data = VisitLetterData(
        school_name=_school(session),
        school_phone=_phone(session),
        pupil_name=pupil.display_name,
        visited_at=check.visited_at or now,
        staff=(check.staff_one or "", check.staff_two or ""),
    )
    return VisitLetter(printed_at=now).render(data)


def cme_notice(session: Session, check: SafeAndWellCheck, user: User, now: datetime) -> bytes:
    """The Children Missing Education notification for the check's pupil."""
    require(user, Permission.RECORD_SAFEGUARDING)
    pupil = session.get(Pupil, check.pupil_id)
    assert pupil is not None
    data = CmeNoticeData(
        school_name=_school(session),
        pupil_name=both_names(pupil),
        date_of_birth=pupil.date_of_birth,
        upn=pupil.upn,
        address=pupil.address or "",
        parents=_parents(pupil),
        emergency_numbers=[c.phone for c in pupil.contacts if c.phone],
        ground=f"Absent without permission since {full_day(check.episode_first_day)}; "
        "whereabouts unknown after reasonable enquiries",
        absent_since=check.episode_first_day,
        enquiries=check.enquiries or "",
        notified_by=user.full_name,
        notified_on=now.date(),
        school=_school_line(session),
    )
    return CmeNotice(printed_at=now).render(data)


def _parents(pupil: Pupil) -> list[Person]:
    """The parents with parental responsibility, each at their own address when it differs
    from the child's."""
    return [
        Person(
            c.name,
            c.relationship_to_pupil,
            c.address or "",
            ", ".join(p for p in (c.phone, c.phone_alt) if p),
        )
        for c in pupil.contacts
        if c.parental_responsibility
    ]


def police_summary(session: Session, check: SafeAndWellCheck, user: User, now: datetime) -> bytes:
    """The summary to hand the police with a welfare check request."""
    require(user, Permission.RECORD_SAFEGUARDING)
    pupil = session.get(Pupil, check.pupil_id)
    assert pupil is not None
    context = check_context(session, check, now)
    reference = next((s.reference for s in check.next_steps if s.kind == "police"), "") or "—"
    visit = (
        f"{moment_text(check.visited_at, year=False)}, {check.staff_one} and {check.staff_two}: "
        f"{OUTCOMES[check.outcome]}"
        if check.outcome and check.visited_at
        else "No visit yet."
    )
    calls = [
        f"{moment_text(a.at, year=False)} {CALL_OUTCOMES[a.outcome]}"
        + (f" — {a.contact.name}" if a.contact else "")
        for a in session.scalars(
            select(ContactAttempt)
            .where(ContactAttempt.pupil_id == pupil.id)
            .order_by(ContactAttempt.at)
        )
    ]
    data = PoliceRequestData(
        school_name=_school(session),
        pupil_name=both_names(pupil),
        date_of_birth=pupil.date_of_birth,
        address=pupil.address or "",
        absent_since=check.episode_first_day,
        flags=context.flags,
        social_worker=pupil.social_worker,
        calls=calls,
        visit=visit,
        enquiries=check.enquiries or "",
        reference=reference,
        requested_by=user.full_name,
        requested_at=now,
        contacts=context.contacts,
        parents=_parents(pupil),
        school=_school_line(session),
    )
    return PoliceRequestSummary(printed_at=now).render(data)
