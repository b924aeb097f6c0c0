"""The wizard's dry run and import: row verdicts, field-by-field audited updates, progress,
and files refused with nothing written."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.interop import ImportFailed
from attendance_desk.interop.column_mapping import guess_mapping
from attendance_desk.interop.import_preview import import_mapped, preview_import
from attendance_desk.interop.row_verdicts import Status
from attendance_desk.models import AuditEvent, Contact, Mark, Pupil, User
from attendance_desk.school import settings
from tests.helpers.builders import make_upn
from tests.interop.csvfiles import DSL, IMPORT_NOW, snapshot, write_csv

School = tuple[User, list[Pupil]]
MIS = "UPN,Surname,Forename,DOB,NC Year,Form,FSM"


def _pupils_file(tmp_path: Path, school: School) -> Path:
    """Amy renamed and now FSM, Ben as stored, a new pupil, and a row with two problems."""
    _, (amy, ben, _) = school
    return write_csv(
        tmp_path,
        "mis.csv",
        f"""\
        {MIS}
        {amy.upn},Adams,Amelia,2017-05-01,3,3A,Y
        {ben.upn},Brown,Ben,2017-05-01,3,3A,N
        {make_upn(60)},Dube,Tendai,2018-02-03,2,2K,N
        {make_upn(61)},Eze,,30/02/2018,2,2K,N
        """,
    )


def test_preview_classifies_every_row_and_writes_nothing(
    session: Session, school: School, tmp_path: Path
) -> None:
    """New, updated (with what differs), unchanged and error rows, with each problem."""
    path = _pupils_file(tmp_path, school)
    before = snapshot(session)
    preview = preview_import(
        session, "pupils", path, mapping=guess_mapping("pupils", MIS.split(",")), now=IMPORT_NOW
    )
    assert snapshot(session) == before
    assert [(r.line, r.verdict.status) for r in preview.rows] == [
        (2, Status.UPDATED),
        (3, Status.UNCHANGED),
        (4, Status.NEW),
        (5, Status.ERROR),
    ]
    assert dict(preview.rows[0].verdict.changes) == {
        "legal_forename": ("Amy", "Amelia"),
        "fsm": (False, True),
    }
    assert [field for field, _ in preview.rows[3].verdict.problems] == [
        "legal_forename",
        "date_of_birth",
    ]
    assert preview.rows[3].cells["date_of_birth"] == "30/02/2018"
    assert len(preview.problems) == 2
    assert preview.problems[0].endswith("mis.csv:5: legal_forename: required, but empty")
    assert dict(preview.counts) == {
        Status.UPDATED: 1,
        Status.UNCHANGED: 1,
        Status.NEW: 1,
        Status.ERROR: 1,
    }
    assert not preview.can_import
    with pytest.raises(ImportFailed) as caught:
        import_mapped(
            session,
            "pupils",
            path,
            mapping=guess_mapping("pupils", MIS.split(",")),
            user=school[0],
            now=IMPORT_NOW,
        )
    assert caught.value.errors == preview.problems
    session.rollback()
    assert snapshot(session) == before


def test_import_changes_only_what_differs_audited_and_remembers_the_mapping(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Amy's forename and FSM change, each audited with old and new; Ben is untouched."""
    user, (amy, ben, _) = school
    path = _pupils_file(tmp_path, school)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n")  # without the bad row
    mapping = guess_mapping("pupils", MIS.split(","))
    preview = preview_import(session, "pupils", path, mapping=mapping, now=IMPORT_NOW)
    assert preview.can_import and str(preview) == "1 new, 1 updated, 1 unchanged, 0 error"
    summary = import_mapped(session, "pupils", path, mapping=mapping, user=user, now=IMPORT_NOW)
    session.commit()
    assert str(summary).startswith("1 pupils added, 1 updated, 1 unchanged")
    assert (amy.legal_forename, amy.fsm, amy.legal_surname) == ("Amelia", True, "Adams")
    [event] = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "pupil", AuditEvent.action == "update")
    ).all()
    assert event.entity_id == amy.id
    assert json.loads(event.detail)["changes"] == {
        "legal_forename": {"old": "Amy", "new": "Amelia"},
        "fsm": {"old": False, "new": True},
    }
    assert json.loads(settings.get(session, settings.IMPORT_MAPPINGS))["pupils"]


def test_contact_update_is_audited_field_by_field(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A new phone for Amy's mother is the only change; its audit event names old and new."""
    user, (amy, *_) = school
    header = "Pupil UPN,Contact Priority,Contact Name,Relationship,PR,Mobile"
    path = write_csv(
        tmp_path,
        "contacts.csv",
        f"""\
        {header}
        {amy.upn},1,Sarah Adams,Mother,Y,07700 900999
        {amy.upn},2,David Adams,Father,Y,07700 900002
        {amy.upn},3,Gran Adams,Grandmother,N,
        """,
    )
    mapping = guess_mapping("contacts", header.split(","))
    assert mapping["email"] == ""
    preview = preview_import(session, "contacts", path, mapping=mapping, now=IMPORT_NOW)
    assert [r.verdict.status for r in preview.rows] == [
        Status.UPDATED,
        Status.UNCHANGED,
        Status.NEW,
    ]
    assert dict(preview.rows[0].verdict.changes) == {"phone": ("07700 900001", "07700 900999")}
    mother = amy.contacts[0]
    import_mapped(session, "contacts", path, mapping=mapping, user=user, now=IMPORT_NOW)
    session.commit()
    assert mother.phone == "07700 900999"
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "contact")).all()
    assert [(e.action, e.entity_id) for e in events][0] == ("update", mother.id)
    assert json.loads(events[0].detail)["changes"] == {
        "phone": {"old": "07700 900001", "new": "07700 900999"}
    }
    assert [e.action for e in events] == ["update", "create"]
    assert session.scalars(select(Contact.name).where(Contact.pupil_id == amy.id)).all()[2] == (
        "Gran Adams"
    )


def test_marks_preview_shows_the_legacy_mapping(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Pre-2024 codes are listed with what they become, and recorded as that."""
    user, (amy, ben, _) = school
    path = write_csv(
        tmp_path,
        "marks.csv",
        f"""\
        UPN,Date,Session,Mark
        {amy.upn},2025-09-08,AM,H
        {amy.upn},2025-09-08,PM,H
        {ben.upn},2025-09-08,AM,J
        {ben.upn},2025-09-08,PM,ZZ
        """,
    )
    mapping = guess_mapping("marks", ["UPN", "Date", "Session", "Mark"])
    preview = preview_import(session, "marks", path, mapping=mapping, now=IMPORT_NOW)
    assert [str(code) for code in preview.legacy] == [
        "H → C (pre-2024 holiday), 2 rows",
        "J → J1 (pre-2024 interview), 1 row",
    ]
    assert preview.rows[3].verdict.problems[0][0] == "code"
    path.write_text("\n".join(path.read_text().splitlines()[:-1]) + "\n")
    import_mapped(session, "marks", path, mapping=mapping, user=user, now=IMPORT_NOW)
    codes = session.scalars(select(Mark.code).order_by(Mark.pupil_id, Mark.session)).all()
    assert codes == ["C", "C", "J1"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"UPN,Date,Session,Mark\n\x81t\x8d,2025-09-08,AM,/\n", "encoding: the file is not UTF-8"),
        (b"", "header: the file is empty"),
        (b"UPN,Date,Session\nx,2025-09-08,AM\n", "header: no column chosen for: code"),
        (b"PK\x03\x04\x00\x00 a spreadsheet, not CSV", "file: contains NUL bytes"),
    ],
)
def test_malformed_files_are_refused_with_nothing_written(
    session: Session, school: School, tmp_path: Path, content: bytes, problem: str
) -> None:
    """A file that cannot be read, or lacks a required column, is refused by the preview and
    the import alike; nothing is written and the mapping is not remembered."""
    user, _ = school
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    mapping = guess_mapping("marks", ["UPN", "Date", "Session", "Mark"])
    if problem.startswith("header: no column"):
        mapping["code"] = ""
    before = snapshot(session)
    with pytest.raises(ImportFailed) as previewed:
        preview_import(session, "marks", path, mapping=mapping, now=IMPORT_NOW)
    assert problem in previewed.value.errors[0]
    with pytest.raises(ImportFailed):
        import_mapped(session, "marks", path, mapping=mapping, user=user, now=IMPORT_NOW)
    session.rollback()
    assert snapshot(session) == before


def test_progress_is_reported_from_nothing_to_everything(
    session: Session, school: School, tmp_path: Path
) -> None:
    """The import says how far it has got, ending at (total, total); a bad file never starts."""
    user, (amy, *_) = school
    days = [date(2025, 9, d) for d in (8, 9, 10, 11, 12)]
    rows = [f"{amy.upn},{d},{s},/" for d in days for s in ("AM", "PM")]
    path = write_csv(tmp_path, "m.csv", "upn,date,session,code\n" + "\n".join(rows) + "\n")
    seen: list[tuple[int, int]] = []
    mapping = {"upn": "upn", "date": "date", "session": "session", "code": "code"}
    import_mapped(
        session,
        "marks",
        path,
        mapping=mapping,
        user=user,
        now=IMPORT_NOW,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[0] == (0, 10) and seen[-1] == (10, 10)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    session.rollback()
    seen.clear()
    path.write_text(path.read_text() + f"{amy.upn},2025-09-13,AM,/\n")  # a Saturday
    with pytest.raises(ImportFailed):
        import_mapped(
            session,
            "marks",
            path,
            mapping=mapping,
            user=user,
            now=IMPORT_NOW,
            progress=lambda done, total: seen.append((done, total)),
        )
    assert seen == []


def test_stopping_in_the_progress_callback_writes_nothing(
    session: Session, school: School, tmp_path: Path
) -> None:
    """An exception from the callback (the wizard's cancel) leaves a rolled-back session."""
    user, _ = school
    path = write_csv(
        tmp_path,
        "p.csv",
        f"{MIS}\n{make_upn(70)},Dube,Tendai,2018-02-03,2,2K,N\n",
    )
    before = snapshot(session)

    def stop(done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_mapped(
            session,
            "pupils",
            path,
            mapping=guess_mapping("pupils", MIS.split(",")),
            user=user,
            now=IMPORT_NOW,
            progress=stop,
        )
    session.rollback()
    assert snapshot(session) == before


@pytest.mark.parametrize(("viewer", "sees"), [("office", False), ("dsl", True)])
def test_preview_shows_stored_safeguarding_only_to_the_dsl(
    session: Session, school: School, tmp_path: Path, viewer: str, sees: bool
) -> None:
    """Amy is on a CP plan; a file that takes her off it and gives a social worker shows
    'was' values for those columns only to the DSL; the office sees her forename change alone."""
    user, (amy, *_) = school
    amy.cp = True
    session.commit()
    header = "UPN,Surname,Forename,DOB,NC Year,Form,Child Protection,Social worker"
    path = write_csv(
        tmp_path,
        "mis.csv",
        f"""\
        {header}
        {amy.upn},Adams,Amelia,2017-05-01,3,3A,N,Kim Reid
        """,
    )
    mapping = guess_mapping("pupils", header.split(","))
    who = DSL if viewer == "dsl" else user
    preview = preview_import(session, "pupils", path, mapping=mapping, now=IMPORT_NOW, viewer=who)
    [row] = preview.rows
    assert row.verdict.status == Status.UPDATED
    expected = {"legal_forename": ("Amy", "Amelia")}
    if sees:
        expected |= {"cp": (True, False), "social_worker": (None, "Kim Reid")}
    assert dict(row.verdict.changes) == expected
