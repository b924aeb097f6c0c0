"""What the DSL needs on one page before deciding: the child, the flags, this absence's
calls, recent attendance, siblings and their schools."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.catalogues.call_outcomes import OUTCOMES
from attendance_desk.models import (
    ContactAttempt,
    Mark,
    Pupil,
    SafeAndWellCheck,
    SiblingLink,
    SiblingSchool,
)
from attendance_desk.register import stats
from attendance_desk.safeguarding.absence_runs import absence_runs
from attendance_desk.uk_dates import full_day, moment_text, plain_date


@dataclass(frozen=True)
class CheckContext:
    name: str
    group: str
    date_of_birth: str
    address: str
    flags: list[str]
    social_worker: str | None
    episode: str
    calls: list[str]
    attendance: str
    recent_absences: list[str]
    siblings: list[str]
    sibling_schools: list[str]
    contacts: list[str]


def _flags(pupil: Pupil) -> list[str]:
    named = {
        "cp": "Child protection plan",
        "cin": "Child in need",
        "cla": "Looked after",
        "sen": "SEN / EHCP",
        "fsm": "Free school meals",
        "young_carer": "Young carer",
        "vulnerable": "On the vulnerable list",
    }
    return [label for attr, label in named.items() if getattr(pupil, attr)]


def check_context(session: Session, check: SafeAndWellCheck, now: datetime) -> CheckContext:
    """Everything for the wizard's first page, about the check's pupil and episode."""
    pupil = session.get(Pupil, check.pupil_id)
    assert pupil is not None
    since = datetime.combine(check.episode_first_day, datetime.min.time())
    calls = [
        f"{moment_text(a.at, year=False)} {OUTCOMES[a.outcome]}"
        + (f" — {a.contact.name}" if a.contact else "")
        + f" ({a.user_name})"
        for a in session.scalars(
            select(ContactAttempt)
            .where(ContactAttempt.pupil_id == pupil.id, ContactAttempt.at >= since)
            .order_by(ContactAttempt.at)
        )
    ]
    year_ago = now.date() - timedelta(days=365)
    figures = stats.pupil_figures(session, year_ago, now.date(), [pupil.id]).get(pupil.id)
    pct = stats.rounded(figures.attendance_pct) if figures else None
    runs = absence_runs(
        (day, sess, code)
        for day, sess, code in session.execute(
            select(Mark.date, Mark.session, Mark.code)
            .where(Mark.pupil_id == pupil.id, Mark.date >= now.date() - timedelta(days=42))
            .order_by(Mark.date, Mark.session)
        )
    )
    used = sorted({code for run in runs for code in run.codes})
    recent = [run.describe() for run in runs]
    if used:
        recent.append(", ".join(f"{c}: {codes.entry(c).meaning}" for c in used))
    links = session.scalars(
        select(SiblingLink).where(
            or_(SiblingLink.pupil_id == pupil.id, SiblingLink.sibling_id == pupil.id)
        )
    )
    sibling_ids = [k.sibling_id if k.pupil_id == pupil.id else k.pupil_id for k in links]
    siblings = [
        f"{s.display_name} ({s.reg_group.name})"
        for s in session.scalars(select(Pupil).where(Pupil.id.in_(sibling_ids)))
    ]
    schools = [
        f"{s.sibling_name} at {s.school_name}" + (f", {s.phone}" if s.phone else "")
        for s in session.scalars(select(SiblingSchool).where(SiblingSchool.pupil_id == pupil.id))
    ]
    contacts = [
        f"{c.priority}. {c.name} ({c.relationship_to_pupil}"
        + (", PR" if c.parental_responsibility else "")
        + f") {c.phone or 'no phone'}"
        + (" — DO NOT CONTACT" if c.do_not_contact else "")
        for c in pupil.contacts
    ]
    return CheckContext(
        name=pupil.display_name,
        group=pupil.reg_group.name,
        date_of_birth=plain_date(pupil.date_of_birth),
        address=pupil.address or "not recorded",
        flags=_flags(pupil),
        social_worker=pupil.social_worker,
        episode=f"Absent since {full_day(check.episode_first_day, year=False)}: "
        f"school day {check.episode_day}",
        calls=calls or ["No calls logged for this absence."],
        attendance=f"{pct}% over the last year" if pct is not None else "no figures yet",
        recent_absences=recent or ["None in the last six weeks."],
        siblings=siblings,
        sibling_schools=schools,
        contacts=contacts,
    )
