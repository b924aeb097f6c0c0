"""Exporting a Common Transfer File: valid against the structure we write, and read back whole."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.auth import office_user
from attendance_desk.demo.school import build_demo
from attendance_desk.interop import ctf_schema
from attendance_desk.interop.ctf_import import import_ctf
from attendance_desk.interop.ctf_write import CtfExportFailed, export_ctf
from attendance_desk.models import AuditEvent, Contact, Mark, Pupil, School
from attendance_desk.school import setup as school_setup
from attendance_desk.store.db import open_database
from tests.helpers.builders import add_pupil, build_school

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 16, 0)


def _marks(session: Session, upn: str) -> set[tuple[date, str, str]]:
    rows = session.execute(
        select(Mark.date, Mark.session, Mark.code).join(Pupil).where(Pupil.upn == upn)
    )
    return {(day, sess, code) for day, sess, code in rows}


def _busiest_pupil(session: Session) -> Pupil:
    """The demo pupil with the most kinds of code and at least two contacts."""
    kinds = (
        select(Mark.pupil_id, func.count(func.distinct(Mark.code)).label("n"))
        .group_by(Mark.pupil_id)
        .subquery()
    )
    return session.scalars(
        select(Pupil)
        .join(kinds, kinds.c.pupil_id == Pupil.id)
        .where(
            select(func.count(Contact.id)).where(Contact.pupil_id == Pupil.id).scalar_subquery()
            >= 2
        )
        .order_by(kinds.c.n.desc(), Pupil.upn)
        .limit(1)
    ).one()


def test_demo_pupil_exports_valid_and_reimports_with_the_same_marks(
    session: Session, tmp_path: Path
) -> None:
    """The file passes the schema check; a fresh database importing it gets the same marks."""
    build_demo(session, pupils=40, weeks=4, seed=3, today=TODAY)
    session.commit()
    pupil = _busiest_pupil(session)
    expected = _marks(session, pupil.upn)
    assert len({code for _, _, code in expected}) >= 3
    out = tmp_path / "leaver.xml"
    done = export_ctf(session, pupil.upn, out, user=office_user(session), now=NOW)
    session.commit()
    assert (done.years, done.marks) == (1, len(expected))
    root = etree.parse(str(out)).getroot()
    assert ctf_schema.check(root) == []
    assert root.findtext("CTFpupilData/Pupil/UPN") == pupil.upn
    assert len(root.findall("CTFpupilData/Pupil/Contacts/Contact")) == len(pupil.contacts)
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.entity == "ctf")).all()
    assert (event.action, event.entity_id) == ("export", pupil.id)
    school = session.scalars(select(School)).one()

    fresh: sessionmaker[Session] = open_database(tmp_path / "fresh.db")
    with fresh() as other:
        school_setup.create_school(
            other,
            name="Next School",
            la_number=school.la_number,
            estab_number=school.estab_number,
            today=TODAY,
            now=NOW,
        )
        summary = import_ctf(other, out, user=office_user(other), now=NOW)
        other.commit()
        assert (summary.added, summary.marks_added) == (1, len(expected))
        assert _marks(other, pupil.upn) == expected


def test_schema_check_names_each_departure() -> None:
    """A missing, misplaced, unknown or malformed element is each named with its line."""
    text = b"""<CTfile>
<Header><DocumentName>Common Transfer File</DocumentName><CTFversion>25.0</CTFversion>
<DateTime>2026-11-25T16:00:00</DateTime><DocumentQualifier>full</DocumentQualifier>
<SupplierID>X</SupplierID>
<SourceSchool><LEA>201</LEA><Estab>2000</Estab><SchoolName>H</SchoolName>
<AcademicYear>2026</AcademicYear></SourceSchool>
<DestSchool><LEA>MMM</LEA><Estab>MMMM</Estab></DestSchool></Header>
<CTFpupilData><Pupil>
<UPN>A201200018001</UPN><Forename>Amy</Forename><Surname>Adams</Surname>
<DOB>2017-05-01</DOB><Sex>F</Sex><Shoe>5</Shoe>
<Attendance><YearData><Year>2025</Year><LEA>201</LEA><Estab>2000</Estab>
<SchoolName>H</SchoolName><SessionsPossible>2</SessionsPossible>
<SessionsAuthorised>0</SessionsAuthorised><SessionsAttended>2</SessionsAttended>
<AttendMarks>/A</AttendMarks></YearData></Attendance>
</Pupil></CTFpupilData></CTfile>"""
    problems = ctf_schema.check(etree.fromstring(text))
    assert problems == [
        "line 9: CTfile/CTFpupilData/Pupil/Surname: out of order in <Pupil>",
        "line 10: CTfile/CTFpupilData/Pupil/Shoe: not an element of <Pupil>",
        "line 14: CTfile/CTFpupilData/Pupil/Attendance/YearData/AttendMarks: "
        f"'/A' does not match {ctf_schema.MARK}+",
        "line 11: CTfile/CTFpupilData/Pupil/Attendance/YearData/SessionsUnauthorised: "
        "required, but missing",
    ]


def test_export_is_refused_when_the_record_lacks_what_a_ctf_needs(
    session: Session, tmp_path: Path
) -> None:
    """No sex recorded and no LA number: both named, and no file written."""
    from tests.helpers.builders import add_pupil, build_school

    school, _ = build_school(session)
    school.la_number = None
    amy = add_pupil(session, 1)
    session.commit()
    out = tmp_path / "amy.xml"
    with pytest.raises(CtfExportFailed) as failed:
        export_ctf(session, amy.upn, out, user=office_user(session), now=NOW)
    assert failed.value.problems == [
        "SourceSchool/LEA: the school's LA number (3 digits) is not set",
        f"Sex: {amy.upn}'s sex is not recorded",
    ]
    assert not out.exists()
    with pytest.raises(CtfExportFailed, match="no pupil has UPN"):
        export_ctf(session, "A999", out, user=office_user(session), now=NOW)


def test_relationships_keep_their_meaning_through_a_ctf(session: Session, tmp_path: Path) -> None:
    """An uncle goes out as a relative (REL), not "Other"; read back where he is known he
    stays "Uncle", and a school that does not know him records a relative."""
    _, user = build_school(session)
    pupil = add_pupil(session, 5, surname="Nowak", forename="Jakub", sex="M")
    pupil.contacts.append(
        Contact(
            priority=3, name="Tomasz Nowak", relationship_to_pupil="Uncle", phone="07700 900105"
        )
    )
    pupil.contacts.append(Contact(priority=4, name="Ann Hill", relationship_to_pupil="Nan"))
    session.commit()
    out = tmp_path / "nowak.xml"
    export_ctf(session, pupil.upn, out, user=user, now=NOW)
    codes = [e.text for e in etree.parse(str(out)).getroot().iter("Relationship")]
    assert codes == ["PAM", "PAF", "REL", "GRM"]
    summary = import_ctf(session, out, user=user, now=NOW)
    assert summary.contacts_replaced == 0
    session.refresh(pupil)
    assert [c.relationship_to_pupil for c in pupil.contacts] == ["Mother", "Father", "Uncle", "Nan"]

    fresh: sessionmaker[Session] = open_database(tmp_path / "fresh.db")
    with fresh() as other:
        school_setup.create_school(
            other, name="Next", la_number="201", estab_number="2000", today=TODAY, now=NOW
        )
        import_ctf(other, out, user=office_user(other), now=NOW)
        found = other.scalars(select(Contact.relationship_to_pupil).order_by(Contact.priority))
        assert list(found) == ["Mother", "Father", "Relative", "Grandmother"]
    fresh.kw["bind"].dispose()
