"""Importing a Common Transfer File: pupils, their contacts and marks, all or nothing.

A pupil not yet known (by UPN) is added in a "New arrivals" group of their year, on roll
from their first session the file records here or else from the day of the import; a
known pupil changes only where the file differs, each change audited with its old and
new value. Contacts are replaced only when they differ, matched by name as the contacts
CSV import does, so notes and "do not contact" are kept.

Attendance recorded at this school (the YearData's LA and establishment numbers are this
school's) becomes marks, as the marks CSV import records them: new marks added, a
different code an amendment with the reason "imported". Attendance at other schools is
never written into this register: each year's totals become an attendance note on the
pupil's file (once) and are listed in the summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.catalogues import codes
from attendance_desk.interop import pupil_audit
from attendance_desk.interop.csv_contacts import PARKED, same_name
from attendance_desk.interop.ctf_elements import relationship_code
from attendance_desk.interop.ctf_marks import SessionMark, decode_marks
from attendance_desk.interop.ctf_read import read_ctf
from attendance_desk.interop.ctf_records import CtfContact, CtfPupil, CtfYear
from attendance_desk.interop.errors import Problems
from attendance_desk.models import CaseNote, Contact, Mark, Pupil, User
from attendance_desk.register import marks as register
from attendance_desk.register.stats import rounded
from attendance_desk.roll import changes as roll
from attendance_desk.roll.lock import ensure_record_open
from attendance_desk.safeguarding import notes
from attendance_desk.school import age as school_age
from attendance_desk.school import setup as school_setup
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.term_dates import academic_year_name

REASON = "imported"
NEW_GROUP = "New arrivals {year}"
#: Priorities are parked above this while contacts are re-ordered (unique per pupil).


@dataclass(slots=True)
class CtfSummary:
    """What a CTF import did, and what it read but did not write."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    contacts_replaced: int = 0
    marks_added: int = 0
    marks_amended: int = 0
    marks_unchanged: int = 0
    legacy: Counter[str] = field(default_factory=Counter)
    previous_schools: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"{self.added} pupils added, {self.updated} updated, {self.unchanged} unchanged; "
            f"contacts changed for {self.contacts_replaced}; {self.marks_added} marks added, "
            f'{self.marks_amended} amended (reason "{REASON}"), {self.marks_unchanged} unchanged'
        ]
        if self.legacy:
            mapped = ", ".join(f"{old} ({n})" for old, n in sorted(self.legacy.items()))
            lines.append(f"pre-2024 codes mapped: {mapped}")
        lines += [f"kept as a note: {text}" for text in self.previous_schools]
        lines += [f"warning: {text}" for text in self.warnings]
        return "\n  ".join(lines)


@dataclass(slots=True)
class _Plan:
    pupil: CtfPupil
    marks: list[SessionMark]
    elsewhere: list[CtfYear]
    roll_from: date


def import_ctf(session: Session, path: Path, *, user: User, now: datetime) -> CtfSummary:
    """Import every pupil in the file, or change nothing and raise `ImportFailed`."""
    require(user, Permission.AMEND_REGISTER)
    today = now.date()
    ctf = read_ctf(path, today=today)
    problems = Problems(path.name)
    school = school_setup.current_school(session)
    here = (school.la_number, school.estab_number) if school else None
    calendar = load_calendar(session)
    upns = [p.upn for p in ctf.pupils]
    existing = {
        p.upn: p
        for p in session.scalars(
            select(Pupil).where(Pupil.upn.in_(upns)).options(selectinload(Pupil.contacts))
        )
    }
    plans: list[_Plan] = []
    for pupil in ctf.pupils:
        ours = [y for y in pupil.years if (y.lea, y.estab) == here]
        elsewhere = [y for y in pupil.years if (y.lea, y.estab) != here]
        stored = existing.get(pupil.upn)
        if stored is None and pupil.year_code is None:
            problems.add(pupil.line, "NCyearActual", f"required for {pupil.upn}, new here")
        decoded = [
            (y, m)
            for y in ours
            for m in decode_marks(y.marks, y.start, line=y.marks_line, problems=problems)
        ]
        days = [m.day for _, m in decoded]
        roll_from = stored.on_roll_from if stored else min(days, default=today)
        roll_to = stored.on_roll_to if stored else None
        marks: list[SessionMark] = []
        seen: set[tuple[date, str]] = set()
        for year, mark in decoded:
            where = f"{mark.day} {mark.session}"
            if (mark.day, mark.session) in seen:
                problems.add(year.marks_line, "AttendMarks", f"{where} is given twice")
            elif not calendar.is_school_day(mark.day):
                if mark.code != "#":  # a closure here is already a closure
                    problems.add(year.marks_line, "AttendMarks", f"{where}: not a school day")
            elif mark.day > today:
                problems.add(year.marks_line, "AttendMarks", f"{where} is in the future")
            elif mark.day < roll_from or (roll_to is not None and mark.day > roll_to):
                problems.add(year.marks_line, "AttendMarks", f"{where}: not on roll that day")
            elif problem := school_age.code_problem(
                mark.code, pupil.date_of_birth, mark.day, pupil.upn
            ):
                problems.add(year.marks_line, "AttendMarks", f"{where}: {problem}")
            else:
                marks.append(mark)
            seen.add((mark.day, mark.session))
        plans.append(_Plan(pupil, marks, elsewhere, roll_from))
    problems.raise_if_any()

    summary = CtfSummary(warnings=list(ctf.warnings))
    pupils = _write_pupils(session, plans, existing, summary, user=user, now=now, file=ctf.file)
    for plan in plans:
        row = pupils[plan.pupil.upn]
        if plan.pupil.contacts is not None:
            replaced = _replace_contacts(session, row, plan.pupil.contacts, user, now, ctf.file)
            summary.contacts_replaced += replaced
        _write_marks(session, row, plan.marks, summary, user=user, now=now)
        for year in plan.elsewhere:
            text = _previous_school_note(year)
            summary.previous_schools.append(f"{row.upn}: {text}")
            if not _has_note(session, row, text):
                notes.add_note(
                    session, pupil_id=row.id, text=text, user=user, now=now, category="attendance"
                )
    audit.record(
        session,
        user=user,
        now=now,
        action="import",
        entity="ctf",
        source=ctf.file,
        version=ctf.version,
        from_school=ctf.source_school,
        added=summary.added,
        updated=summary.updated,
        marks_added=summary.marks_added,
        marks_amended=summary.marks_amended,
    )
    session.flush()
    return summary


def _write_pupils(
    session: Session,
    plans: list[_Plan],
    existing: dict[str, Pupil],
    summary: CtfSummary,
    *,
    user: User,
    now: datetime,
    file: str,
) -> dict[str, Pupil]:
    pupils = dict(existing)
    added: list[Pupil] = []
    had_pupils = session.scalar(select(Pupil.id).limit(1)) is not None
    for plan in plans:
        item = plan.pupil
        values: dict[str, Any] = {
            "legal_surname": item.surname,
            "legal_forename": item.forename,
            "date_of_birth": item.date_of_birth,
        }
        optional = {
            "sex": item.sex,
            "preferred_forename": item.preferred_forename,
            "address": item.address,
            "cla": item.looked_after,
        }
        values.update({k: v for k, v in optional.items() if v is not None})
        pupil = existing.get(item.upn)
        if pupil is None:
            assert item.year_code is not None  # checked before writing
            year = school_setup.year_group(session, item.year_code)
            group = school_setup.reg_group(session, NEW_GROUP.format(year=year.name), year)
            pupil = Pupil(upn=item.upn, year_group=year, reg_group=group, **values)
            pupil.on_roll_from = plan.roll_from
            session.add(pupil)
            added.append(pupil)
            pupils[item.upn] = pupil
            continue
        changes: dict[str, tuple[Any, Any]] = {
            name: (getattr(pupil, name), value)
            for name, value in values.items()
            if getattr(pupil, name) != value
        }
        if item.year_code is not None and pupil.year_group.code != item.year_code:
            changes["year_group"] = (pupil.year_group.code, item.year_code)
        if not changes:
            summary.unchanged += 1
            continue
        ensure_record_open(session, pupil, today=now.date(), what=f"{file}: pupil details")
        for name, (_old, value) in changes.items():
            if name == "year_group":
                pupil.year_group = school_setup.year_group(session, value)
            else:
                setattr(pupil, name, value)
        summary.updated += 1
        pupil_audit.record_updated(session, pupil, changes, user=user, now=now, file=file)
    pupil_audit.record_created(session, added, user=user, now=now, file=file)
    if had_pupils:
        for pupil in added:  # joiners: their new-pupil return to the LA is due
            roll.record_admission(session, pupil=pupil, user=user, now=now)
    summary.added = len(added)
    return pupils


def _entry(contact: Contact) -> tuple[Any, ...]:
    return (
        contact.priority,
        contact.name,
        contact.relationship_to_pupil,
        contact.parental_responsibility,
        contact.phone,
        contact.phone_alt,
        contact.email,
        contact.title,
    )


def _wanted(contact: CtfContact, stored: list[Contact]) -> tuple[Any, ...]:
    """The contact as stored from the file. A code stands for several words ("REL" is an
    uncle, an aunt, a cousin…): a stored contact's own word for the same code is kept."""
    phones = (*contact.phones, None, None)
    same = next((c for c in stored if same_name(c.name, contact.name)), None)
    keep = same is not None and relationship_code(same.relationship_to_pupil) == contact.code
    return (
        contact.order,
        contact.name,
        same.relationship_to_pupil if same is not None and keep else contact.relationship,
        contact.responsibility,
        phones[0],
        phones[1],
        contact.email,
        contact.title,
    )


def _replace_contacts(
    session: Session,
    pupil: Pupil,
    contacts: tuple[CtfContact, ...],
    user: User,
    now: datetime,
    file: str,
) -> int:
    """Make the pupil's contacts the file's (1 when they changed, 0 when already the same)."""
    old = [_entry(c) for c in pupil.contacts]
    new = [_wanted(c, list(pupil.contacts)) for c in contacts]
    if old == new:
        return 0
    remaining = list(pupil.contacts)
    plan: list[tuple[Contact | None, tuple[Any, ...]]] = []
    for entry in new:
        match = next((c for c in remaining if same_name(c.name, entry[1])), None)
        if match is not None:
            remaining.remove(match)
            match.priority = PARKED + match.id  # clear of every priority the file uses
        plan.append((match, entry))
    for contact in remaining:
        pupil.contacts.remove(contact)
    session.flush()
    for match, entry in plan:
        contact = match or Contact()
        if match is None:
            pupil.contacts.append(contact)
        (
            contact.priority,
            contact.name,
            contact.relationship_to_pupil,
            contact.parental_responsibility,
            contact.phone,
            contact.phone_alt,
            contact.email,
            contact.title,
        ) = entry
    pupil.contacts.sort(key=lambda c: c.priority)
    session.flush()
    fields = ("priority", "name", "relationship", "pr", "phone", "phone_alt", "email", "title")
    audit.record(
        session,
        user=user,
        now=now,
        action="replace",
        entity="contacts",
        entity_id=pupil.id,
        upn=pupil.upn,
        source=file,
        old=[dict(zip(fields, e, strict=True)) for e in old],
        new=[dict(zip(fields, e, strict=True)) for e in new],
    )
    return 1


def _write_marks(
    session: Session,
    pupil: Pupil,
    marks: list[SessionMark],
    summary: CtfSummary,
    *,
    user: User,
    now: datetime,
) -> None:
    if not marks:
        return
    days = [m.day for m in marks]
    stored = {
        (m.date, m.session): m
        for m in session.scalars(
            select(Mark).where(Mark.pupil_id == pupil.id, Mark.date.between(min(days), max(days)))
        ).all()
    }
    for item in marks:
        if item.legacy_from:
            summary.legacy[f"{item.legacy_from}->{item.code}"] += 1
        mark = stored.get((item.day, item.session))
        if mark is not None and mark.code == item.code:
            summary.marks_unchanged += 1
            continue
        written = register.record_or_amend(
            session,
            pupil=pupil,
            day=item.day,
            session_name=item.session,
            code=item.code,
            existing=mark,
            amend_reason=REASON,
            user=user,
            now=now,
            reason=REASON if codes.lookup(item.code).needs_reason else None,
        )
        if written.outcome == "recorded":
            summary.marks_added += 1
        else:
            summary.marks_amended += 1
    session.flush()


def _previous_school_note(year: CtfYear) -> str:
    attended = year.attended
    pct = rounded(100.0 * attended / year.possible) if year.possible else None
    figure = f" ({pct} %)" if pct is not None else ""
    school = f"{year.school_name} ({year.lea}/{year.estab})" if year.lea else year.school_name
    return (
        f"Attendance at {school} in {academic_year_name(year.year)} (from the CTF): "
        f"{attended} of {year.possible} possible sessions attended{figure}; "
        f"{year.authorised} sessions of authorised and {year.unauthorised} of unauthorised "
        "absence."
    )


def _has_note(session: Session, pupil: Pupil, text: str) -> bool:
    query = select(CaseNote.id).where(CaseNote.pupil_id == pupil.id, CaseNote.text == text)
    return session.scalar(query.limit(1)) is not None
