"""Writing a Common Transfer File for one pupil: details, contacts and attendance here.

Strict: the file is built, checked against `ctf_schema.SCHEMA` (every required element
present, in order, every value in its pattern) and written only when nothing is wrong;
otherwise `CtfExportFailed` lists what is missing or invalid and no file is written.
Attendance is one YearData per academic year with marks: the totals from `stats` and
the marks themselves in AttendMarks (see `ctf_marks`, which also reads them back).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.interop import ctf_schema, fields
from attendance_desk.interop.ctf_elements import relationship_code
from attendance_desk.interop.ctf_marks import encode_marks
from attendance_desk.interop.errors import InteropError
from attendance_desk.models import Contact, Mark, Pupil, School, User
from attendance_desk.register import stats
from attendance_desk.school import setup as school_setup
from attendance_desk.school.term_dates import academic_year_of

SUPPLIER = "Attendance Desk"
#: DestSchool when the next school is not known, as the CTF file names have it.
UNKNOWN_LEA, UNKNOWN_ESTAB = "MMM", "MMMM"


class CtfExportFailed(InteropError):
    """An export refused, with every reason; no file was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("no CTF was written:\n  " + "\n  ".join(problems))


@dataclass(frozen=True, slots=True)
class CtfExport:
    """What an export wrote."""

    upn: str
    years: int
    marks: int

    def __str__(self) -> str:
        years = "academic year" if self.years == 1 else "academic years"
        return f"{self.upn}: {self.years} {years} of attendance, {self.marks} marks"


def export_ctf(session: Session, upn: str, path: Path, *, user: User, now: datetime) -> CtfExport:
    """Write the CTF of the pupil with this UPN to `path`, audited, or raise `CtfExportFailed`."""
    number = upn.strip().upper().replace(" ", "")
    pupil = session.scalar(select(Pupil).where(Pupil.upn == number))
    if pupil is None:
        raise CtfExportFailed([f"UPN: no pupil has UPN {number}"])
    school = school_setup.current_school(session)
    problems = _missing(school, pupil)
    if problems or school is None:
        raise CtfExportFailed(problems)
    root = etree.Element("CTfile")
    root.append(_header(school, now))
    data = etree.SubElement(root, "CTFpupilData")
    element = _pupil(pupil)
    years, marks = _attendance(session, pupil, school)
    if len(years):
        element.append(years)
    data.append(element)
    text = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    problems = ctf_schema.check(etree.fromstring(text))
    if problems:
        raise CtfExportFailed(problems)
    _write_atomically(path, text)
    audit.record(
        session,
        user=user,
        now=now,
        action="export",
        entity="ctf",
        entity_id=pupil.id,
        upn=pupil.upn,
        file=path.name,
    )
    session.flush()
    return CtfExport(pupil.upn, len(years), marks)


def _missing(school: School | None, pupil: Pupil) -> list[str]:
    """What the CTF needs that the database does not hold, as `Element: problem`."""
    if school is None:
        return ["SourceSchool: the database holds no school; run init first"]
    problems = []
    if not (school.la_number or "").isdigit() or len(school.la_number or "") != 3:
        problems.append("SourceSchool/LEA: the school's LA number (3 digits) is not set")
    if not (school.estab_number or "").isdigit() or len(school.estab_number or "") != 4:
        problems.append("SourceSchool/Estab: the school's establishment number is not set")
    try:
        fields.upn(pupil.upn)
    except fields.FieldError as exc:
        problems.append(f"UPN: {exc}")
    if pupil.sex is None:
        problems.append(f"Sex: {pupil.upn}'s sex is not recorded")
    return problems


def _leaf(parent: etree._Element, name: str, text: object) -> None:
    etree.SubElement(parent, name).text = str(text)


def _header(school: School, now: datetime) -> etree._Element:
    header = etree.Element("Header")
    _leaf(header, "DocumentName", "Common Transfer File")
    _leaf(header, "CTFversion", ctf_schema.CTF_VERSION)
    _leaf(header, "DateTime", now.strftime("%Y-%m-%dT%H:%M:%S"))
    _leaf(header, "DocumentQualifier", "full")
    _leaf(header, "SupplierID", SUPPLIER)
    source = etree.SubElement(header, "SourceSchool")
    _leaf(source, "LEA", school.la_number)
    _leaf(source, "Estab", school.estab_number)
    _leaf(source, "SchoolName", school.name)
    _leaf(source, "AcademicYear", academic_year_of(now.date()))
    dest = etree.SubElement(header, "DestSchool")
    _leaf(dest, "LEA", UNKNOWN_LEA)
    _leaf(dest, "Estab", UNKNOWN_ESTAB)
    return header


def _pupil(pupil: Pupil) -> etree._Element:
    element = etree.Element("Pupil")
    _leaf(element, "UPN", pupil.upn)
    _leaf(element, "Surname", pupil.legal_surname)
    _leaf(element, "Forename", pupil.legal_forename)
    _leaf(element, "DOB", pupil.date_of_birth.isoformat())
    _leaf(element, "Sex", pupil.sex)
    details = etree.SubElement(element, "BasicDetails")
    if pupil.preferred_forename:
        _leaf(details, "PreferredForename", pupil.preferred_forename)
    _leaf(details, "NCyearActual", pupil.year_group.code)
    if pupil.address:
        lines = [part.strip() for part in pupil.address.split(",") if part.strip()]
        lines[4:] = [", ".join(lines[4:])] if len(lines) > 5 else lines[4:]
        holder = etree.SubElement(etree.SubElement(element, "Address"), "AddressLines")
        for n, line in enumerate(lines, start=1):
            _leaf(holder, f"AddressLine{n}", line)
    if pupil.contacts:
        contacts = etree.SubElement(element, "Contacts")
        for contact in pupil.contacts:
            contacts.append(_contact(contact))
    return element


def _contact(contact: Contact) -> etree._Element:
    element = etree.Element("Contact")
    *forenames, surname = contact.name.split()
    _leaf(element, "Order", contact.priority)
    _leaf(element, "Surname", surname)
    if forenames:
        _leaf(element, "Forename", " ".join(forenames))
    _leaf(element, "Relationship", relationship_code(contact.relationship_to_pupil))
    _leaf(element, "Responsibility", "true" if contact.parental_responsibility else "false")
    numbers = [n for n in (contact.phone, contact.phone_alt) if n]
    if numbers:
        phones = etree.SubElement(element, "Phones")
        for number in numbers:
            phone = etree.SubElement(phones, "Phone")
            _leaf(phone, "TelephoneType", "M" if number.replace(" ", "").startswith("07") else "H")
            _leaf(phone, "PhoneNo", number)
    if contact.email:
        _leaf(element, "Email", contact.email)
    return element


def _attendance(session: Session, pupil: Pupil, school: School) -> tuple[etree._Element, int]:
    """One YearData per academic year with marks, and how many marks were written."""
    attendance = etree.Element("Attendance")
    first, last = session.execute(
        select(func.min(Mark.date), func.max(Mark.date)).where(Mark.pupil_id == pupil.id)
    ).one()
    written = 0
    if first is None:
        return attendance, written
    for year in range(academic_year_of(first), academic_year_of(last) + 1):
        start, end = date(year, 8, 1), date(year + 1, 7, 31)
        marks = {
            (day, sess): code
            for day, sess, code in session.execute(
                select(Mark.date, Mark.session, Mark.code)
                .where(Mark.pupil_id == pupil.id, Mark.date.between(start, end))
                .order_by(Mark.date)
            )
        }
        if not marks:
            continue
        figures = stats.pupil_figures(session, start, end, [pupil.id]).get(pupil.id)
        figures = figures or stats.Figures()
        data = etree.SubElement(attendance, "YearData")
        _leaf(data, "Year", year)
        _leaf(data, "LEA", school.la_number)
        _leaf(data, "Estab", school.estab_number)
        _leaf(data, "SchoolName", school.name)
        _leaf(data, "SessionsPossible", figures.possible)
        _leaf(data, "SessionsAuthorised", figures.authorised)
        _leaf(data, "SessionsAttended", figures.present + figures.attending_elsewhere)
        _leaf(data, "SessionsUnauthorised", figures.unauthorised)
        days = sorted({day for day, _ in marks})
        _leaf(data, "AttendStartDate", days[0].isoformat())
        _leaf(data, "AttendMarks", encode_marks(marks, days[0], days[-1]))
        written += len(marks)
    return attendance, written


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target and rename, so a failed write leaves no half file."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
