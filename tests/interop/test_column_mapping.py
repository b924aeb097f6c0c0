"""Column mappings: guessing an MIS export's headers, applying a mapping, remembering it."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.interop import import_pupils
from attendance_desk.interop.column_mapping import (
    EXPECTED,
    apply_mapping,
    guess_mapping,
    missing_required,
    remember_mapping,
    suggest_mapping,
)
from attendance_desk.interop.csv_io import peek
from attendance_desk.models import AuditEvent, Pupil, User
from attendance_desk.school import settings
from tests.helpers.builders import make_upn
from tests.interop.csvfiles import IMPORT_NOW, write_csv

School = tuple[User, list[Pupil]]
MIS_HEADERS = [
    "Legal Surname",
    "Forename",
    "UPN",
    "DOB",
    "NC Year",
    "Reg Group",
    "Admission No",
    "gender",
]


def test_guess_matches_mis_names_and_synonyms() -> None:
    """Case, spaces and underscores do not matter, and common MIS names are recognised."""
    mapping = guess_mapping("pupils", MIS_HEADERS)
    assert {k: v for k, v in mapping.items() if v} == {
        "upn": "UPN",
        "legal_surname": "Legal Surname",
        "legal_forename": "Forename",
        "date_of_birth": "DOB",
        "year_group": "NC Year",
        "reg_group": "Reg Group",
        "sex": "gender",
        "admission_number": "Admission No",
    }
    assert list(mapping) == [c.name for c in EXPECTED["pupils"]]
    assert missing_required("pupils", mapping) == []
    short = guess_mapping("pupils", ["Surname", "Date of Birth", "Form", "Year"])
    assert (short["legal_surname"], short["date_of_birth"]) == ("Surname", "Date of Birth")
    assert (short["reg_group"], short["year_group"]) == ("Form", "Year")
    assert [c.name for c in missing_required("pupils", short)] == ["upn", "legal_forename"]


def test_our_own_name_wins_and_a_header_is_used_once() -> None:
    """With both "legal_surname" and "Surname", ours is chosen; one header fills one column."""
    mapping = guess_mapping("pupils", ["Surname", "LEGAL_SURNAME", "Forename", "Known As"])
    assert mapping["legal_surname"] == "LEGAL_SURNAME"
    assert (mapping["legal_forename"], mapping["preferred_forename"]) == ("Forename", "Known As")
    marks = guess_mapping("marks", ["Pupil UPN", "Session Date", "AM/PM", "Mark", "Comment"])
    assert marks == {
        "upn": "Pupil UPN",
        "date": "Session Date",
        "session": "AM/PM",
        "code": "Mark",
        "reason": "Comment",
    }


def test_apply_mapping_renames_a_row(tmp_path: Path) -> None:
    """A row read with the file's headers comes out under our column names."""
    path = write_csv(tmp_path, "p.csv", "Forename,Legal Surname,Notes\nSana,Akhtar,x\n")
    headers, [row] = peek(path)
    assert headers == ("Forename", "Legal Surname", "Notes")
    renamed = apply_mapping({"legal_forename": "Forename", "legal_surname": "Legal Surname"}, row)
    assert (renamed.line, renamed.cells) == (
        2,
        {"legal_forename": "Sana", "legal_surname": "Akhtar"},
    )


def test_a_mapped_file_imports_and_ignores_unmapped_columns(
    session: Session, school: School, tmp_path: Path
) -> None:
    """An MIS-style file with extra columns imports through the guessed mapping."""
    user, _ = school
    upn = make_upn(50)
    path = write_csv(
        tmp_path,
        "mis.csv",
        f"{','.join(MIS_HEADERS)}\nDube,Tendai,{upn},2018-02-03,2,2K,A123,F\n",
    )
    summary = import_pupils(
        session, path, user=user, now=IMPORT_NOW, mapping=guess_mapping("pupils", MIS_HEADERS)
    )
    assert summary.added == 1
    pupil = session.scalars(select(Pupil).where(Pupil.upn == upn)).one()
    assert (pupil.legal_surname, pupil.legal_forename, pupil.sex) == ("Dube", "Tendai", "F")


def test_mapping_remembered_per_kind_and_header_set(session: Session, school: School) -> None:
    """The chosen mapping comes back for the same headers in any order, not for other ones;
    keeping it is audited once, and keeping it again changes nothing."""
    user, _ = school
    mapping, remembered = suggest_mapping(session, "pupils", MIS_HEADERS)
    assert not remembered
    mapping["reg_group"] = "Admission No"  # the office's own choice
    assert remember_mapping(session, "pupils", MIS_HEADERS, mapping, user=user, now=IMPORT_NOW)
    assert not remember_mapping(session, "pupils", MIS_HEADERS, mapping, user=user, now=IMPORT_NOW)
    again, remembered = suggest_mapping(session, "pupils", list(reversed(MIS_HEADERS)))
    assert remembered and again == mapping
    other, remembered = suggest_mapping(session, "pupils", [*MIS_HEADERS, "Email"])
    assert not remembered and other["reg_group"] == "Reg Group"
    _, remembered = suggest_mapping(session, "contacts", MIS_HEADERS)
    assert not remembered
    stored = json.loads(settings.get(session, settings.IMPORT_MAPPINGS))
    assert list(stored) == ["pupils"]
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "setting")).all()
    assert len(events) == 1


def test_a_damaged_setting_counts_as_nothing_remembered(session: Session, school: School) -> None:
    """A hand-edited setting that is not a mapping is ignored rather than breaking the wizard."""
    user, _ = school
    settings.put(session, settings.IMPORT_MAPPINGS, "[1, 2", user=user, now=IMPORT_NOW)
    mapping, remembered = suggest_mapping(session, "pupils", MIS_HEADERS)
    assert not remembered and mapping["upn"] == "UPN"
