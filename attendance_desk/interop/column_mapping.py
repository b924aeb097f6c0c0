"""Which column of an MIS export holds which of ours: the expected columns, a first guess,
and the mapping the office chose last time for the same kind of file.

An MIS names its columns its own way ("Legal Surname", "DOB", "Reg Group"). A mapping is
`{our column: the file's header}`, with "" for a column the file does not have; the
importers read the file through it (`csv_io.read_table`). The last mapping used for each
kind of file and each set of headers is kept in a registered setting, so the next export
from the same MIS report is mapped by itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from attendance_desk.interop import csv_contacts, csv_marks, csv_pupils
from attendance_desk.interop.csv_io import Row, remap
from attendance_desk.models import User
from attendance_desk.school import settings

KINDS = ("pupils", "contacts", "marks")
#: How many header sets are remembered for each kind of file.
REMEMBERED_PER_KIND = 10

#: Our column -> the file's header ("" when the file has none for it).
ColumnMap = dict[str, str]


@dataclass(frozen=True, slots=True)
class Expected:
    """One of our columns: its name in our CSV layout, a label for people, and other names
    MIS exports use for it."""

    name: str
    label: str
    required: bool
    synonyms: tuple[str, ...] = ()


_LABELS_AND_SYNONYMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "upn": ("UPN", ("Unique Pupil Number", "Pupil UPN", "Student UPN")),
    "legal_surname": (
        "Legal surname",
        ("Legal Last Name", "Surname", "Last Name", "Family Name"),
    ),
    "legal_forename": (
        "Legal forename",
        ("Legal First Name", "Forename", "First Name", "Given Name"),
    ),
    "date_of_birth": ("Date of birth", ("DOB", "Birth Date")),
    "year_group": (
        "Year group",
        ("Year", "NC Year", "NC Year Actual", "National Curriculum Year", "Curriculum Year"),
    ),
    "reg_group": (
        "Registration group",
        (
            "Reg Group",
            "Registration Form",
            "Form",
            "Form Group",
            "Reg",
            "Reg Form",
            "Tutor Group",
            "Class",
        ),
    ),
    "preferred_forename": (
        "Preferred forename",
        ("Preferred First Name", "Preferred Name", "Known As", "Chosen Name"),
    ),
    "sex": ("Sex", ("Gender", "Legal Sex")),
    "fsm": ("Free school meals", ("FSM", "FSM Eligible", "Free School Meals")),
    "sen": ("SEN provision", ("SEN", "SEN Status", "SEND", "SEND Status")),
    "cp": ("Child protection", ("Child Protection", "CP Plan")),
    "cin": ("Child in need", ("Child in Need", "CIN")),
    "cla": ("Looked after", ("Looked After", "Child Looked After", "In Care", "CLA", "LAC")),
    "vulnerable": ("Vulnerable", ()),
    "social_worker": ("Social worker", ()),
    "on_roll_from": (
        "On roll from",
        ("Admission Date", "Date of Admission", "Entry Date", "Date of Entry", "Start Date"),
    ),
    "on_roll_to": ("On roll to", ("Leaving Date", "Date of Leaving", "Leave Date")),
    "admission_number": (
        "Admission number",
        ("Admission No", "Adno", "Adm No", "Admission Number", "Admissions Number"),
    ),
    "ehcp": ("EHC plan", ("EHCP", "Has EHCP", "Education Health and Care Plan")),
    "eal": ("English as an additional language", ("EAL", "EAL Status")),
    "pupil_premium": (
        "Pupil premium",
        ("PP", "Pupil Premium Eligible", "Pupil Premium Indicator", "PP Eligible"),
    ),
    "enrolment_status": (
        "Enrolment status",
        ("Enrollment Status", "Enrolment", "On Roll Status", "Status"),
    ),
    "priority": ("Priority", ("Contact Priority", "Contact Order", "Order", "Priority Order")),
    "name": ("Contact's name", ("Contact Name", "Full Name", "Contact", "Name")),
    "relationship": (
        "Relationship",
        ("Relationship to Pupil", "Relationship to Student", "Relation"),
    ),
    "parental_responsibility": (
        "Parental responsibility",
        ("PR", "Has Parental Responsibility", "Parental Resp", "Responsibility"),
    ),
    "phone": (
        "Phone",
        (
            "Telephone",
            "Mobile",
            "Phone Number",
            "Telephone Number",
            "Mobile Phone",
            "Main Telephone",
            "Primary Telephone",
        ),
    ),
    "email": ("Email", ("Email Address", "E-mail", "Main Email")),
    "title": ("Title", ("Contact Title", "Salutation")),
    "date": ("Date", ("Session Date", "Attendance Date")),
    "session": ("Session", ("AM/PM", "AMPM")),
    "code": ("Code", ("Mark", "Attendance Code", "Attendance Mark")),
    "reason": ("Reason", ("Comment", "Comments", "Notes")),
}


def _expected(required: Iterable[str], optional: Iterable[str]) -> tuple[Expected, ...]:
    columns = [(name, True) for name in required] + [(name, False) for name in optional]
    found: list[Expected] = []
    for name, needed in columns:
        label, synonyms = _LABELS_AND_SYNONYMS[name]
        found.append(Expected(name, label, needed, synonyms))
    return tuple(found)


#: Our columns for each kind of file, in our layout's order; the importers' own lists.
EXPECTED: dict[str, tuple[Expected, ...]] = {
    "pupils": _expected(csv_pupils.REQUIRED, (*csv_pupils.OPTIONAL, *csv_pupils.IMPORT_ONLY)),
    "contacts": _expected(
        csv_contacts.COLUMNS[:-2], (*csv_contacts.COLUMNS[-2:], *csv_contacts.IMPORT_ONLY)
    ),
    "marks": _expected(csv_marks.REQUIRED, csv_marks.OPTIONAL),
}


def key(header: str) -> str:
    """A header as compared: case, spaces, underscores, hyphens and dots do not matter."""
    return re.sub(r"[\s_\-./]+", "", header).casefold()


def guess_mapping(kind: str, headers: Iterable[str]) -> ColumnMap:
    """Our column -> the file's header that looks like it ("" when none does).

    Our own name wins over a synonym, and earlier synonyms over later ones; a header is
    used for one column at most.
    """
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(key(header), header)
    used: set[str] = set()
    mapping: ColumnMap = {}
    for column in EXPECTED[kind]:
        found = ""
        for name in (column.name, column.label, *column.synonyms):
            candidate = by_key.get(key(name), "")
            if candidate and candidate not in used:
                found = candidate
                break
        if found:
            used.add(found)
        mapping[column.name] = found
    return mapping


def apply_mapping(mapping: Mapping[str, str], row: Row) -> Row:
    """A row of the file (keyed by its own headers) keyed by our column names instead."""
    return remap(row, mapping)


def missing_required(kind: str, mapping: Mapping[str, str]) -> list[Expected]:
    """The required columns the mapping leaves without a file column."""
    return [c for c in EXPECTED[kind] if c.required and not mapping.get(c.name)]


def signature(headers: Iterable[str]) -> str:
    """The same set of headers in any order and spelling gives the same signature."""
    return "|".join(sorted({key(h) for h in headers if h.strip()}))


def suggest_mapping(session: Session, kind: str, headers: Iterable[str]) -> tuple[ColumnMap, bool]:
    """The mapping to start from and whether it is the one remembered for these headers
    (otherwise it is a guess)."""
    headers = list(headers)
    remembered = _stored(session).get(kind, {}).get(signature(headers))
    if remembered is None:
        return guess_mapping(kind, headers), False
    present = {key(h): h for h in headers}
    mapping = {c.name: present.get(key(remembered.get(c.name, "")), "") for c in EXPECTED[kind]}
    return mapping, True


def remember_mapping(
    session: Session,
    kind: str,
    headers: Iterable[str],
    mapping: Mapping[str, str],
    *,
    user: User,
    now: datetime,
) -> bool:
    """Keep `mapping` for this kind and set of headers (audited); False when already kept."""
    stored = _stored(session)
    for_kind = stored.setdefault(kind, {})
    sig = signature(headers)
    wanted = {name: header for name, header in mapping.items() if header}
    if for_kind.get(sig) == wanted:
        return False
    for_kind.pop(sig, None)
    for_kind[sig] = wanted  # the newest last; the oldest are forgotten first
    while len(for_kind) > REMEMBERED_PER_KIND:
        del for_kind[next(iter(for_kind))]
    value = json.dumps(stored, sort_keys=False, separators=(",", ":"))
    settings.put(session, settings.IMPORT_MAPPINGS, value, user=user, now=now)
    return True


def _stored(session: Session) -> dict[str, dict[str, dict[str, str]]]:
    """The remembered mappings; a setting that is not what we wrote counts as none."""
    text = settings.get(session, settings.IMPORT_MAPPINGS)
    try:
        stored = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(stored, dict):
        return {}
    return {
        kind: {
            sig: {str(k): str(v) for k, v in mapping.items()}
            for sig, mapping in by_sig.items()
            if isinstance(mapping, dict)
        }
        for kind, by_sig in stored.items()
        if kind in KINDS and isinstance(by_sig, dict)
    }
