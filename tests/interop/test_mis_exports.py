"""Real MIS exports, imported untouched: SIMS and Arbor student lists, their contacts lists
and an attendance marks export with UK dates and pre-2024 codes (files in `mis/`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.interop import ImportFailed
from attendance_desk.interop.import_preview import preview_import
from attendance_desk.interop.mis_import import import_mis_file
from attendance_desk.models import Contact, Mark, MarkAmendment, Pupil, User
from attendance_desk.register.marks import record_mark
from tests.helpers.builders import build_school
from tests.interop.csvfiles import IMPORT_NOW, nothing_pending, snapshot

MIS = Path(__file__).parent / "mis"


@pytest.fixture
def office(session: Session) -> User:
    """The builders' school (autumn 2025) with no pupils yet."""
    _, user = build_school(session)
    return user


def _pupils(session: Session) -> dict[str, Pupil]:
    return {p.legal_surname: p for p in session.scalars(select(Pupil))}


def _fields(pupil: Pupil) -> tuple[object, ...]:
    return (
        pupil.admission_number,
        pupil.preferred_forename,
        pupil.sex,
        pupil.sen,
        pupil.ehcp,
        pupil.pupil_premium,
        pupil.eal,
        pupil.cla,
    )


def test_a_sims_student_list_imports_as_sims_writes_it(session: Session, office: User) -> None:
    """SEN census codes, Yes/No flags, M/F, the preferred full name and leavers, untouched."""
    done = import_mis_file(
        session, MIS / "sims-students.csv", kind="pupils", user=office, now=IMPORT_NOW
    )
    pupils = _pupils(session)
    assert sorted(pupils) == ["Adeyemi", "Carter", "Müller", "Nowak", "O'Brien"]
    assert _fields(pupils["Carter"]) == ("001101", "Emma", "F", False, False, False, False, False)
    assert _fields(pupils["Nowak"]) == ("001102", "Kuba", "M", True, False, True, True, False)
    assert _fields(pupils["O'Brien"]) == ("001103", "Shiv", "F", True, True, True, False, True)
    assert pupils["O'Brien"].legal_forename == "Siobhán"  # Windows-1252, as Excel saved it
    assert pupils["Müller"].year_group.code == "4"
    assert pupils["Carter"].on_roll_from == date(2025, 9, 3)
    text = str(done)
    assert "2 rows skipped, not on roll in the MIS (1 Guest, 1 Leaver)" in text
    assert "Preferred forename <- 'Preferred Name'" in text
    assert "SEN provision <- 'SEN Status'" in text and "warning" not in text


def test_an_arbor_student_list_imports_as_arbor_writes_it(session: Session, office: User) -> None:
    """Words for SEN, an EHCP column, start dates, a quoted "Surname, Forename" column."""
    done = import_mis_file(
        session, MIS / "arbor-students.csv", kind="pupils", user=office, now=IMPORT_NOW
    )
    pupils = _pupils(session)
    assert sorted(pupils) == ["Farah", "Kowalski", "Smith"]
    assert _fields(pupils["Farah"]) == ("AR0109", "Mira", "F", True, False, True, False, False)
    assert _fields(pupils["Kowalski"]) == ("AR0110", None, "F", True, True, False, True, False)
    assert pupils["Smith"].fsm and not pupils["Smith"].sen
    assert pupils["Kowalski"].on_roll_from == date(2025, 9, 15)
    assert "(1 Future, 1 Left)" in str(done) and "not used: 'Student'" in str(done)


def test_contacts_lists_with_priority_and_responsibility_words_import(
    session: Session, office: User
) -> None:
    """Yes/No and True/False parental responsibility, "1st"/"2nd" priorities, any relationship."""
    for name in ("sims-students.csv", "arbor-students.csv"):
        import_mis_file(session, MIS / name, kind="pupils", user=office, now=IMPORT_NOW)
    for name in ("sims-contacts.csv", "arbor-contacts.csv"):
        import_mis_file(session, MIS / name, kind="contacts", user=office, now=IMPORT_NOW)
    contacts = {
        (c.pupil.legal_surname, c.priority): (
            c.name,
            c.relationship_to_pupil,
            c.parental_responsibility,
        )
        for c in session.scalars(select(Contact))
    }
    assert contacts[("Nowak", 2)] == ("Tomasz Nowak", "Uncle", False)
    assert contacts[("Carter", 1)] == ("Joanne Carter", "Mother", True)
    assert contacts[("Kowalski", 2)] == ("Piotr Wiśniewski", "Step-father", False)
    assert contacts[("Farah", 2)] == ("Omar Farah", "Father", True)
    assert len(contacts) == 11


def test_a_marks_export_with_uk_dates_and_pre_2024_codes_imports(
    session: Session, office: User
) -> None:
    """DD/MM/YYYY dates, "Mark" and "Adno" columns, H/J/Y recorded as C/J1/Y7 with --legacy."""
    import_mis_file(session, MIS / "sims-students.csv", kind="pupils", user=office, now=IMPORT_NOW)
    done = import_mis_file(
        session, MIS / "sims-marks.csv", kind="marks", user=office, now=IMPORT_NOW, legacy=True
    )
    codes = {
        (p.legal_surname, m.date, m.session): m.code
        for m, p in session.execute(select(Mark, Pupil).join(Pupil))
    }
    assert len(codes) == 30
    assert codes[("Carter", date(2025, 9, 10), "AM")] == "C"
    assert codes[("Nowak", date(2025, 9, 11), "AM")] == "J1"
    assert codes[("Adeyemi", date(2025, 9, 9), "PM")] == "Y7"
    assert "H->C (4 rows), J->J1 (1 row), Y->Y7 (1 row)" in str(done)
    assert "Code <- 'Mark'" in str(done)


def test_a_leaver_still_on_roll_here_is_skipped_and_named(
    session: Session, office: User, tmp_path: Path
) -> None:
    """A pupil on roll here whom the MIS lists as a leaver is not changed, and the office is
    told to take them off roll properly."""
    import_mis_file(session, MIS / "sims-students.csv", kind="pupils", user=office, now=IMPORT_NOW)
    session.commit()
    text = (MIS / "sims-students.csv").read_bytes()
    leaving = tmp_path / "leaver.csv"
    leaving.write_bytes(text.replace(b"Year 4,4A,Current,K", b"Year 4,4A,Leaver,K"))
    before = _pupils(session)["Müller"].on_roll_to
    done = import_mis_file(session, leaving, kind="pupils", user=office, now=IMPORT_NOW)
    assert _pupils(session)["Müller"].on_roll_to == before is None
    assert "1 of them on roll here (Z201200018105): take them off roll" in str(done)


def test_a_required_column_that_cannot_be_matched_is_named(
    session: Session, office: User, tmp_path: Path
) -> None:
    """Without a date of birth column the import names it and the file's columns; nothing
    is written."""
    path = tmp_path / "no-dob.csv"
    path.write_text("UPN,Surname,Forename,Year,Form\nT201200018101,Carter,Emma,3,3A\n")
    before = snapshot(session)
    with pytest.raises(ImportFailed) as caught:
        import_mis_file(session, path, kind="pupils", user=office, now=IMPORT_NOW)
    [error] = caught.value.errors
    assert error.startswith(f"{path}:1: header: no column holds Date of birth")
    assert "'DOB'" in error and "the file's columns are 'UPN', 'Surname'" in error
    assert nothing_pending(session) and snapshot(session) == before


def test_the_preview_warns_of_a_year_group_that_does_not_fit_the_age(
    session: Session, office: User, tmp_path: Path
) -> None:
    """A Year 3 born in 2015 imports (some pupils are taught out of year) but is warned of."""
    path = tmp_path / "p.csv"
    path.write_text(
        "UPN,Surname,Forename,DOB,Year,Form\n"
        "T201200018101,Carter,Emma,14/03/2018,3,3A\n"
        "G201200018102,Nowak,Jakub,02/11/2015,Year 3,3A\n"
    )
    mapping = {"upn": "UPN", "legal_surname": "Surname", "legal_forename": "Forename"}
    mapping |= {"date_of_birth": "DOB", "year_group": "Year", "reg_group": "Form"}
    preview = preview_import(session, "pupils", path, mapping=mapping, now=IMPORT_NOW)
    assert preview.can_import
    assert preview.warnings == [
        f"{path}:3: year_group: born 2015-11-02, so Year 5 by age in 2025/26, not Year 3: "
        "check the year group (a pupil taught out of their year group is fine)"
    ]
    assert preview.rows[1].verdict.warnings[0][0] == "year_group"


def test_a_start_date_after_existing_marks_is_refused_in_the_preview(
    session: Session, office: User, tmp_path: Path
) -> None:
    """Moving on_roll_from past a pupil's marks would leave them off roll: refused, saying why."""
    import_mis_file(session, MIS / "sims-students.csv", kind="pupils", user=office, now=IMPORT_NOW)
    carter = _pupils(session)["Carter"]
    record_mark(
        session,
        pupil=carter,
        day=date(2025, 9, 8),
        session_name="AM",
        code="/",
        user=office,
        now=IMPORT_NOW,
    )
    session.commit()
    path = tmp_path / "later.csv"
    path.write_text(
        "upn,legal_surname,legal_forename,date_of_birth,year_group,reg_group,on_roll_from\n"
        f"{carter.upn},Carter,Emma,2018-03-14,3,3A,2025-10-01\n"
    )
    mapping = {name: name for name in path.read_text().splitlines()[0].split(",")}
    preview = preview_import(session, "pupils", path, mapping=mapping, now=IMPORT_NOW)
    assert not preview.can_import
    assert preview.problems == [
        f"{path}:2: on_roll_from: 2025-10-01 is after this pupil's first mark (2025-09-08); "
        "those marks would fall outside their time on roll"
    ]
    assert session.scalar(select(MarkAmendment.id)) is None


@pytest.mark.parametrize(
    ("sen", "ehcp", "expected"),
    [
        ("K - SEN Support", "", (True, False)),
        ("EHC Plan", "", (True, True)),
        ("Y", "Y", (True, True)),
        ("", "Yes", (True, True)),
        ("N", "", (False, False)),
        ("Statement", "", (True, True)),
        ("No Special Educational Needs", "N", (False, False)),
    ],
)
def test_sen_provision_is_read_from_codes_words_and_flags(
    sen: str, ehcp: str, expected: tuple[bool, bool], session: Session, office: User, tmp_path: Path
) -> None:
    """SEN support and EHC plans are kept apart however the file writes them."""
    path = tmp_path / "sen.csv"
    path.write_text(
        "upn,legal_surname,legal_forename,date_of_birth,year_group,reg_group,sen,ehcp\n"
        f"T201200018101,Carter,Emma,2018-03-14,3,3A,{sen},{ehcp}\n"
    )
    import_mis_file(session, path, kind="pupils", user=office, now=IMPORT_NOW)
    pupil = _pupils(session)["Carter"]
    assert (pupil.sen, pupil.ehcp) == expected


def test_sen_and_ehcp_that_disagree_or_a_taken_admission_number_are_refused(
    session: Session, office: User, tmp_path: Path
) -> None:
    """SEN support with an EHC plan, or an admission number another pupil has, is a problem."""
    import_mis_file(session, MIS / "sims-students.csv", kind="pupils", user=office, now=IMPORT_NOW)
    session.commit()
    path = tmp_path / "bad.csv"
    path.write_text(
        "upn,legal_surname,legal_forename,date_of_birth,year_group,reg_group,sen,ehcp,"
        "admission_number\n"
        "T201200018101,Carter,Emma,2018-03-14,3,3A,K,Y,001101\n"
        "F201200018109,Farah,Amira,2018-02-17,3,3B,N,,001102\n"
    )
    with pytest.raises(ImportFailed) as caught:
        import_mis_file(session, path, kind="pupils", user=office, now=IMPORT_NOW)
    assert caught.value.errors == [  # type: ignore[attr-defined]
        f"{path}:2: ehcp: says an EHC plan, but sen says 'K'",
        f"{path}:3: admission_number: 001102 is G201200018102's (Kuba Nowak); change theirs first",
    ]


def test_names_with_line_breaks_controls_or_direction_overrides_are_refused(
    session: Session, office: User, tmp_path: Path
) -> None:
    """Such names would print wrongly in letters and the CTF: each is named with its line."""
    path = tmp_path / "names.csv"
    path.write_bytes(
        (
            "upn,legal_surname,legal_forename,date_of_birth,year_group,reg_group\n"
            'T201200018101,Carter,"Em\nma",2018-03-14,3,3A\n'
            "G201200018102,Nowak\u202e,Jakub,2017-11-02,3,3A\n"
            "W201200018103,O'Brien,Siob\u0085hán,2018-06-21,3,3B\n"
        ).encode()
    )
    with pytest.raises(ImportFailed) as caught:
        import_mis_file(session, path, kind="pupils", user=office, now=IMPORT_NOW)
    assert caught.value.errors == [
        f"{path}:2: legal_forename: holds a line break; write it on one line",
        f"{path}:4: legal_surname: holds a text-direction control (U+202E), which can make it "
        "read differently on screen and in letters; retype it",
        f"{path}:5: legal_forename: holds a control character (U+0085), which cannot be "
        "printed; retype it",
    ]


def test_a_preferred_full_name_gives_the_forename_whatever_the_surname(
    session: Session, office: User, tmp_path: Path
) -> None:
    """From SIMS's "Preferred Name" the surname goes, even a different one; a "Known As"
    column holding two forenames keeps both."""
    header = "UPN,Legal Surname,Legal Forename,DOB,Year,Form"
    sims, known = tmp_path / "sims.csv", tmp_path / "known.csv"
    sims.write_text(
        f"{header},Preferred Name\n"
        "T201200018101,Carter,Emma,14/03/2018,3,3A,Emma Jones\n"
        "G201200018102,Van Der Berg,Jakub,02/11/2017,3,3A,Kuba Van Der Berg\n"
    )
    known.write_text(f"{header},Known As\nW201200018103,O'Brien,Mary,21/06/2018,3,3B,Mary Ann\n")
    for path in (sims, known):
        import_mis_file(session, path, kind="pupils", user=office, now=IMPORT_NOW)
    pupils = _pupils(session)
    assert pupils["Carter"].preferred_forename == "Emma"
    assert pupils["Van Der Berg"].preferred_forename == "Kuba"
    assert pupils["O'Brien"].preferred_forename == "Mary Ann"
