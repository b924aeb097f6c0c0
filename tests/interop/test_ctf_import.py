"""Importing a Common Transfer File: the sample's pupils, contacts and marks; updates audited."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.interop.ctf_import import import_ctf
from attendance_desk.models import AuditEvent, CaseNote, Contact, Mark, MarkAmendment, Pupil, User
from attendance_desk.register import stats
from tests.helpers.builders import mark_days
from tests.interop.csvfiles import IMPORT_NOW, snapshot
from tests.interop.ctffiles import SAMPLE, write_ctf

School = tuple[User, list[Pupil]]
NOAH, OLIVIA, JAKUB = "B330210516007", "W330210514021", "F330223113012"


def _pupil(session: Session, upn: str) -> Pupil:
    return session.scalars(select(Pupil).where(Pupil.upn == upn)).one()


def _contacts(session: Session, pupil: Pupil) -> list[tuple[object, ...]]:
    rows = session.scalars(
        select(Contact).where(Contact.pupil_id == pupil.id).order_by(Contact.priority)
    )
    return [
        (c.priority, c.name, c.relationship_to_pupil, c.parental_responsibility, c.phone,
         c.phone_alt, c.email)
        for c in rows
    ]  # fmt: skip


def _marks(session: Session, pupil: Pupil) -> dict[tuple[date, str], str]:
    rows = session.execute(
        select(Mark.date, Mark.session, Mark.code).where(Mark.pupil_id == pupil.id)
    )
    return {(day, sess): code for day, sess, code in rows}


def test_sample_adds_pupils_contacts_and_this_schools_marks(
    session: Session, school: School
) -> None:
    """The sample's four pupils arrive with their contacts; only Hillside's marks are marks."""
    user, _ = school
    summary = import_ctf(session, SAMPLE, user=user, now=IMPORT_NOW)
    session.commit()
    assert (summary.added, summary.updated, summary.unchanged) == (4, 0, 0)
    assert (summary.marks_added, summary.marks_amended) == (20, 0)
    assert dict(summary.legacy) == {"J->J1": 1}

    olivia = _pupil(session, OLIVIA)
    assert (olivia.preferred_forename, olivia.sex, olivia.year_group.code) == ("Liv", "F", "3")
    assert olivia.reg_group.name == "New arrivals Year 3"
    assert olivia.address == "14 Sycamore Close, Harborne, Birmingham, B17 9QT"
    assert olivia.on_roll_from == IMPORT_NOW.date()  # no marks here: on roll from the import
    assert _contacts(session, olivia) == [
        (1, "Claire Bennett", "Mother", True, "07700 900123", "0121 496 0000",
         "claire.bennett@example.com"),
        (2, "Mark Bennett", "Father", True, "07700 900456", None, None),
    ]  # fmt: skip
    assert _pupil(session, JAKUB).cla is True

    noah = _pupil(session, NOAH)
    assert noah.on_roll_from == date(2025, 9, 3)
    marks = _marks(session, noah)
    assert len(marks) == 20
    assert marks[(date(2025, 9, 5), "AM")] == "L"
    assert marks[(date(2025, 9, 11), "AM")] == "J1"  # the pre-2024 J, mapped
    assert marks[(date(2025, 9, 12), "PM")] == "M"
    assert marks[(date(2025, 9, 16), "PM")] == "O"
    assert (date(2025, 9, 6), "AM") not in marks  # a Saturday's "-" is no mark
    assert all(day < date(2025, 9, 22) for day, _ in marks)  # Meadowbank's are not written
    figures = stats.pupil_figures(session, date(2025, 9, 1), date(2025, 12, 31), [noah.id])
    assert figures[noah.id].as_counts() == {
        "possible": 20, "present": 13, "attending_elsewhere": 0, "authorised": 6,
        "unauthorised": 1, "late": 1,
    }  # fmt: skip

    notes = session.scalars(select(CaseNote).where(CaseNote.category == "attendance")).all()
    assert len(notes) == len(summary.previous_schools) == 5
    [olivias] = [n.text for n in notes if n.pupil_id == olivia.id]
    assert "Meadowbank Primary School (330/2105) in 2024/25" in olivias
    assert "361 of 378 possible sessions attended (95.5 %)" in olivias
    assert any("37: Pupil/FSMhistory is not read" in w for w in summary.warnings)


def test_importing_the_same_file_again_changes_nothing(session: Session, school: School) -> None:
    """A second import finds every pupil, contact and mark unchanged and adds no second note."""
    user, _ = school
    import_ctf(session, SAMPLE, user=user, now=IMPORT_NOW)
    session.commit()
    before = snapshot(session)
    again = import_ctf(session, SAMPLE, user=user, now=IMPORT_NOW)
    session.commit()
    assert (again.added, again.updated, again.unchanged, again.contacts_replaced) == (0, 0, 4, 0)
    assert (again.marks_added, again.marks_amended, again.marks_unchanged) == (0, 0, 20)
    after = snapshot(session)
    audit_tables = ("audit_events", "audit_chain_head")  # the import's own audit row
    assert {t: rows for t, rows in after.items() if t not in audit_tables} == {
        t: rows for t, rows in before.items() if t not in audit_tables
    }
    assert len(after["audit_events"]) == len(before["audit_events"]) + 1  # the import itself


def test_known_pupil_changes_only_what_differs_and_is_audited(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Amy's forename and sex change, audited old and new; her same contacts are left alone."""
    user, (amy, _, _) = school
    contacts = _contacts(session, amy)
    path = write_ctf(
        tmp_path,
        "amy.xml",
        f"""\
        <Pupil>
          <UPN>{amy.upn}</UPN><Surname>Adams</Surname><Forename>Amelia</Forename>
          <DOB>2017-05-01</DOB><Sex>F</Sex>
          <Contacts>
            <Contact><Order>1</Order><Surname>Adams</Surname><Forename>Sarah</Forename>
              <Relationship>PAM</Relationship><Responsibility>true</Responsibility>
              <Phones><Phone><TelephoneType>M</TelephoneType><PhoneNo>07700 900001</PhoneNo>
              </Phone></Phones></Contact>
            <Contact><Order>2</Order><Surname>Adams</Surname><Forename>David</Forename>
              <Relationship>PAF</Relationship><Responsibility>true</Responsibility>
              <Phones><Phone><TelephoneType>M</TelephoneType><PhoneNo>07700 900002</PhoneNo>
              </Phone></Phones></Contact>
          </Contacts>
        </Pupil>
        """,
    )
    summary = import_ctf(session, path, user=user, now=IMPORT_NOW)
    session.commit()
    assert (summary.added, summary.updated, summary.contacts_replaced) == (0, 1, 0)
    session.refresh(amy)
    assert (amy.legal_forename, amy.sex, amy.year_group.code) == ("Amelia", "F", "3")
    assert _contacts(session, amy) == contacts
    [event] = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "pupil", AuditEvent.action == "update")
    ).all()
    assert event.entity_id == amy.id
    assert json.loads(event.detail)["changes"] == {
        "legal_forename": {"old": "Amy", "new": "Amelia"},
        "sex": {"old": None, "new": "F"},
    }


def test_different_marks_here_are_amendments_and_contacts_are_replaced(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A stored mark coded differently is amended ("imported"); contacts follow the file."""
    user, (amy, _, _) = school
    mark_days(session, amy, user, {(date(2025, 9, 3), "AM"): "/"})
    session.commit()
    path = write_ctf(
        tmp_path,
        "amy.xml",
        f"""\
        <Pupil>
          <UPN>{amy.upn}</UPN><Surname>Adams</Surname><Forename>Amy</Forename>
          <DOB>2017-05-01</DOB>
          <Contacts>
            <Contact><Order>1</Order><Surname>Adams</Surname><Forename>David</Forename>
              <Relationship>PAF</Relationship><Responsibility>true</Responsibility></Contact>
          </Contacts>
          <Attendance><YearData>
            <Year>2025</Year><LEA>201</LEA><Estab>2000</Estab><SchoolName>Hillside</SchoolName>
            <SessionsPossible>2</SessionsPossible><SessionsAuthorised>0</SessionsAuthorised>
            <SessionsAttended>1</SessionsAttended><SessionsUnauthorised>1</SessionsUnauthorised>
            <AttendStartDate>2025-09-03</AttendStartDate><AttendMarks>N\\</AttendMarks>
          </YearData></Attendance>
        </Pupil>
        """,
    )
    summary = import_ctf(session, path, user=user, now=IMPORT_NOW)
    session.commit()
    assert (summary.marks_added, summary.marks_amended, summary.contacts_replaced) == (1, 1, 1)
    assert _marks(session, amy) == {(date(2025, 9, 3), "AM"): "N", (date(2025, 9, 3), "PM"): "\\"}
    [amendment] = session.scalars(select(MarkAmendment)).all()
    assert (amendment.old_code, amendment.new_code, amendment.reason) == ("/", "N", "imported")
    assert _contacts(session, amy) == [(1, "David Adams", "Father", True, None, None, None)]


def test_contact_titles_come_from_the_file(session: Session, school: School) -> None:
    """The sample's Title elements (Mrs, Mr) are kept, so letters say "Dear Mrs Bennett"."""
    from attendance_desk.letters.recipients import recipients

    user, _ = school
    import_ctf(session, SAMPLE, user=user, now=IMPORT_NOW)
    session.commit()
    olivia = _pupil(session, OLIVIA)
    assert [c.title for c in olivia.contacts] == ["Mrs", "Mr"]
    assert [r.salutation for r in recipients(olivia)] == ["Mrs Bennett", "Mr Bennett"]
