"""Reading a DfE Common Transfer File into plain values, checking it as it goes.

Tolerant of what it does not use: elements Attendance Desk does not read (assessments,
SEN and FSM history, school history…) are listed as warnings and skipped, and a namespace
on the elements is ignored. Strict about what it does use: a file that is not XML, is
not a CTF, or lacks a UPN, surname, forename or date of birth is refused, each problem as
`file:line: Element: problem`. Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from lxml import etree

from attendance_desk.interop import ctf_values, fields
from attendance_desk.interop.ctf_elements import KNOWN, RELATIONSHIPS
from attendance_desk.interop.ctf_records import CtfContact, CtfFile, CtfPupil, CtfYear
from attendance_desk.interop.errors import ImportFailed, Problems, shorten

T = TypeVar("T")

ROOT = "CTfile"
_NOT_DIGIT = re.compile(r"[^0-9]")


def read_ctf(path: Path, *, today: date) -> CtfFile:
    """Read and check a CTF, or raise `ImportFailed` with every problem found."""
    problems = Problems(path.name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else 1
        problems.fail(line, "XML", f"not well-formed XML: {exc.msg}")
    except OSError as exc:
        raise ImportFailed([f"{path.name}: cannot be read: {exc}"]) from None
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        problems.fail(
            1,
            "DOCTYPE",
            "the file declares a document type; a CTF has none, and its entities "
            "could hide or change what is read",
        )
    for element in root.iter():
        if isinstance(element, etree._Entity):
            problems.fail(
                _at(element), "XML", f"an entity reference (&{element.name};) instead of text"
            )
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    if root.tag != ROOT:
        problems.fail(
            _at(root),
            root.tag,
            f"the root element is <{root.tag}>, not <{ROOT}>: this is not a Common Transfer File",
        )
    reader = _Reader(problems, path.name, today)
    reader.known(root)
    header = reader.child(root, "Header", required=True)
    version = source = ""
    if header is not None:
        reader.known(header)
        version = reader.value(header, "CTFversion", ctf_values.version, required=True) or ""
        school = reader.child(header, "SourceSchool")
        if school is not None:
            reader.known(school)
            source = reader.text(school, "SchoolName", max_length=200) or ""
        dest = reader.child(header, "DestSchool")
        if dest is not None:
            reader.known(dest)
    pupils: list[CtfPupil] = []
    data = reader.child(root, "CTFpupilData", required=True)
    if data is not None:
        reader.known(data)
        seen: dict[str, int] = {}
        for element in data.iterchildren("Pupil"):
            pupil = reader.pupil(element)
            if pupil is None:
                continue
            if pupil.upn in seen:
                problems.add(pupil.line, "UPN", f"{pupil.upn} is also on line {seen[pupil.upn]}")
            seen.setdefault(pupil.upn, pupil.line)
            pupils.append(pupil)
    problems.raise_if_any()
    return CtfFile(path.name, version, source, tuple(pupils), tuple(reader.warnings()))


class _Reader:
    """Reads elements into values, recording each problem and each unread element."""

    def __init__(self, problems: Problems, file: str, today: date) -> None:
        self.problems = problems
        self.file = file
        self.today = today
        self._unknown: dict[str, tuple[int, int]] = {}

    def warnings(self) -> list[str]:
        return [
            f"{self.file}:{line}: {shorten(path)} is not read by Attendance Desk; ignored"
            + (f" ({count} times)" if count > 1 else "")
            for path, (line, count) in sorted(self._unknown.items(), key=lambda i: i[1][0])
        ]

    def known(self, element: etree._Element) -> None:
        names = KNOWN[element.tag]
        for child in element:
            if isinstance(child.tag, str) and child.tag not in names:
                path = f"{element.tag}/{child.tag}"
                line, count = self._unknown.get(path, (_at(child), 0))
                self._unknown[path] = (line, count + 1)

    def child(
        self, parent: etree._Element, name: str, *, required: bool = False
    ) -> etree._Element | None:
        found = parent.findall(name)
        if not found and required:
            self.problems.add(_at(parent), name, f"required in <{parent.tag}>, but missing")
        if len(found) > 1:
            self.problems.add(
                _at(found[1]),
                name,
                f"given {len(found)} times in <{parent.tag}>, which has one; which is right?",
            )
        return found[0] if found else None

    def text(
        self, parent: etree._Element, name: str, *, max_length: int, required: bool = False
    ) -> str | None:
        element = self.child(parent, name, required=required)
        if element is None:
            return None
        raw = (element.text or "").strip()
        value = " ".join(raw.split())
        if not value:
            if required:
                self.problems.add(_at(element), name, "required, but empty")
            return None
        if (problem := fields.unprintable(raw)) is not None:
            self.problems.add(_at(element), name, problem)
            return None
        if len(value) > max_length:
            self.problems.add(
                _at(element),
                name,
                f"too long: {len(value)} characters, at most {max_length}",
            )
            return None
        return value

    def value(
        self,
        parent: etree._Element,
        name: str,
        parse: Callable[[str], T],
        *,
        required: bool = False,
    ) -> T | None:
        text = self.text(parent, name, max_length=10_000, required=required)
        if text is None:
            return None
        try:
            return parse(text)
        except fields.FieldError as exc:
            self.problems.add(_line(parent, name), name, str(exc))
            return None

    def pupil(self, element: etree._Element) -> CtfPupil | None:
        before = len(self.problems)
        self.known(element)
        upn = self.value(element, "UPN", fields.upn, required=True)
        surname = self.text(element, "Surname", max_length=100, required=True)
        forename = self.text(element, "Forename", max_length=100, required=True)
        dob = self.value(element, "DOB", fields.iso_date, required=True)
        if dob is not None and dob >= self.today:
            self.problems.add(_line(element, "DOB"), "DOB", f"{dob} is not in the past")
        sex_tag = "Sex" if element.find("Sex") is not None else "Gender"
        sex = self.value(element, sex_tag, fields.sex)
        preferred = year_code = None
        details = self.child(element, "BasicDetails")
        if details is not None:
            self.known(details)
            preferred = self.text(details, "PreferredForename", max_length=100)
            year_code = self.value(details, "NCyearActual", fields.year_code)
        looked_after = None
        care = self.child(element, "LookedAfter")
        if care is not None:
            self.known(care)
            looked_after = self.value(care, "InCare", ctf_values.boolean)
        address = self._address(self.child(element, "Address"))
        contacts_element = self.child(element, "Contacts")
        contacts = None if contacts_element is None else self._contacts(contacts_element)
        attendance = self.child(element, "Attendance")
        years = () if attendance is None else self._years(attendance)
        if len(self.problems) > before or not (upn and surname and forename and dob):
            return None
        return CtfPupil(
            _at(element),
            upn,
            surname,
            forename,
            dob,
            sex,
            preferred,
            year_code,
            looked_after,
            address,
            contacts,
            years,
        )

    def _address(self, element: etree._Element | None) -> str | None:
        """The address as one line: AddressLines or BS7666 parts, then the postcode."""
        if element is None:
            return None
        leaves = [e for e in element.iter() if len(e) == 0]
        for leaf in leaves:
            if (problem := fields.unprintable((leaf.text or "").strip())) is not None:
                self.problems.add(_at(leaf), "Address", problem)
                return None
        parts = [" ".join((e.text or "").split()) for e in leaves]
        text = ", ".join(p for p in parts if p)
        if len(text) > 300:
            self.problems.add(_at(element), "Address", "too long: over 300 characters")
            return None
        return text or None

    def _contacts(self, element: etree._Element) -> tuple[CtfContact, ...]:
        self.known(element)
        contacts: list[CtfContact] = []
        orders: dict[int, int] = {}
        for item in element.iterchildren("Contact"):
            self.known(item)
            line = _at(item)
            order = self.value(item, "Order", fields.positive_whole_number, required=True)
            title = self.text(item, "Title", max_length=20)
            surname = self.text(item, "Surname", max_length=100, required=True)
            forename = self.text(item, "Forename", max_length=100)
            code = self.text(item, "Relationship", max_length=60, required=True)
            relationship = RELATIONSHIPS.get(code.upper(), code) if code else None
            responsibility = self.value(item, "Responsibility", ctf_values.boolean, required=True)
            email = self.text(item, "Email", max_length=200)
            if email:
                email = self.value(item, "Email", fields.email)
            phones = self._phones(self.child(item, "Phones"))
            if order is not None:
                if order in orders:
                    self.problems.add(line, "Order", f"{order} is also on line {orders[order]}")
                orders.setdefault(order, line)
            if order and surname and code and relationship and responsibility is not None:
                name = f"{forename} {surname}" if forename else surname
                contacts.append(
                    CtfContact(
                        line,
                        order,
                        name,
                        relationship,
                        code.upper(),
                        responsibility,
                        phones,
                        email,
                        title,
                    )
                )
        return tuple(sorted(contacts, key=lambda c: c.order))

    def _phones(self, element: etree._Element | None) -> tuple[str, ...]:
        if element is None:
            return ()
        self.known(element)
        numbers: list[str] = []
        for phone in element.iterchildren("Phone"):
            self.known(phone)
            number = self.text(phone, "PhoneNo", max_length=40, required=True)
            if number and not _NOT_DIGIT.sub("", number):
                self.problems.add(_line(phone, "PhoneNo"), "PhoneNo", f"'{number}' has no digits")
            elif number:
                try:
                    numbers.append(fields.phone(number))
                except fields.FieldError as exc:  # a formula a spreadsheet would run
                    self.problems.add(_line(phone, "PhoneNo"), "PhoneNo", str(exc))
        return tuple(numbers)

    def _years(self, element: etree._Element) -> tuple[CtfYear, ...]:
        self.known(element)
        years: list[CtfYear] = []
        for item in element.iterchildren("YearData"):
            self.known(item)
            year = self.value(item, "Year", ctf_values.year, required=True)
            lea = self.text(item, "LEA", max_length=3) or ""
            estab = self.text(item, "Estab", max_length=4) or ""
            name = self.text(item, "SchoolName", max_length=200) or "another school"
            counts = [
                self.value(item, tag, ctf_values.count) or 0
                for tag in (
                    "SessionsPossible",
                    "SessionsAuthorised",
                    "SessionsAttended",
                    "SessionsUnauthorised",
                )
            ]
            # Some suppliers wrap the marks in <AttendSessions>; both are read.
            holder = self.child(item, "AttendSessions")
            if holder is not None:
                self.known(holder)
            holder = item if holder is None else holder
            start = self.value(holder, "AttendStartDate", fields.iso_date)
            marks_element = self.child(holder, "AttendMarks")
            marks, marks_line = "", _at(item)
            if marks_element is not None:
                marks = "".join((marks_element.text or "").split())
                marks_line = _at(marks_element)
            if year is not None:
                possible, authorised, attended, unauthorised = counts
                years.append(
                    CtfYear(
                        line=_at(item),
                        year=year,
                        lea=lea,
                        estab=estab,
                        school_name=name,
                        possible=possible,
                        authorised=authorised,
                        attended=attended,
                        unauthorised=unauthorised,
                        start=start,
                        marks=marks,
                        marks_line=marks_line,
                    )
                )
        return tuple(years)


def _at(element: etree._Element) -> int:
    """The element's line in the file (1 when lxml does not know it)."""
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else 1


def _line(parent: etree._Element, name: str) -> int:
    found = parent.find(name)
    return _at(parent if found is None else found)
