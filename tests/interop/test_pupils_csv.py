"""Importing pupils: new pupils with defaults, field-by-field updates with audit, bad rows."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.interop import ImportFailed, export_pupils, import_pupils
from attendance_desk.models import AuditEvent, Pupil, RegGroup, User, YearGroup
from tests.helpers.builders import make_upn
from tests.interop.csvfiles import DSL, IMPORT_NOW, nothing_pending, snapshot, write_csv

School = tuple[User, list[Pupil]]
HEADER = "upn,legal_surname,legal_forename,date_of_birth,year_group,reg_group"


def _pupil(session: Session, upn: str) -> Pupil:
    return session.scalars(select(Pupil).where(Pupil.upn == upn)).one()


def _updates(session: Session) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "pupil", AuditEvent.action == "update")
        )
    )


def test_new_pupils_get_defaults_and_their_groups_are_created(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A new pupil is on roll from the calendar's first day, flags N; missing groups are made."""
    user, _ = school
    upn = make_upn(40)
    path = write_csv(
        tmp_path,
        "p.csv",
        f"""\
        {HEADER},cp,preferred_forename
        {upn},Dube,Tendai,2020-02-03,r,Robins,Y,Tee
        """,
    )
    summary = import_pupils(session, path, user=user, now=IMPORT_NOW)
    assert (summary.added, summary.updated, summary.unchanged, summary.groups_created) == (
        1,
        0,
        0,
        2,
    )
    pupil = _pupil(session, upn)
    assert pupil.on_roll_from == date(2025, 9, 3)
    assert pupil.on_roll_to is None
    assert (pupil.cp, pupil.fsm, pupil.preferred_forename) == (True, False, "Tee")
    assert session.scalars(select(YearGroup.code).where(YearGroup.code == "R")).one() == "R"
    group = session.scalars(select(RegGroup).where(RegGroup.name == "Robins")).one()
    assert pupil.reg_group_id == group.id
    created = session.scalars(select(AuditEvent).where(AuditEvent.action == "create")).all()
    assert [(e.entity, e.entity_id) for e in created] == [("pupil", pupil.id)]


def test_updating_a_pupil_changes_only_what_differs_and_audits_it(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Only changed fields are written; one audit event holds each field's old and new value."""
    user, (amy, ben, _) = school
    path = write_csv(
        tmp_path,
        "p.csv",
        f"""\
        {HEADER},fsm,social_worker,on_roll_to
        {amy.upn},Adams,Amelia,2017-05-01,3,3B,Y,J. Social,
        {ben.upn},Brown,Ben,2017-05-01,3,3A,N,,
        """,
    )
    summary = import_pupils(session, path, user=user, now=IMPORT_NOW)
    session.commit()
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 1)
    assert summary.groups_created == 1
    amy = _pupil(session, amy.upn)
    assert (amy.legal_forename, amy.fsm, amy.social_worker) == ("Amelia", True, "J. Social")
    assert amy.reg_group.name == "3B"
    [event] = _updates(session)
    assert event.entity_id == amy.id
    detail = json.loads(event.detail)
    assert detail["changes"] == {
        "legal_forename": {"old": "Amy", "new": "Amelia"},
        "fsm": {"old": False, "new": True},
        "social_worker": {"old": None, "new": "J. Social"},
        "reg_group": {"old": "3A", "new": "3B"},
    }
    assert detail["source"] == "p.csv"


def test_absent_columns_and_blank_flags_keep_stored_values(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A flag column that is missing, or a blank flag cell, does not clear the stored flag."""
    user, (amy, ben, _) = school
    amy.cp = True
    ben.cla = True
    session.commit()
    path = write_csv(
        tmp_path,
        "p.csv",
        f"""\
        {HEADER},cp
        {amy.upn},Adams,Amy,2017-05-01,3,3A,
        {ben.upn},Brown,Ben,2017-05-01,3,3A,N
        """,
    )
    summary = import_pupils(session, path, user=user, now=IMPORT_NOW)
    assert (summary.updated, summary.unchanged) == (0, 2)
    assert _pupil(session, amy.upn).cp is True
    assert _pupil(session, ben.upn).cla is True


BAD_ROWS = {
    "bad UPN check letter": (
        "{bad},Dube,Tendai,2020-02-03,R,Robins",
        "upn",
        "bad UPN check letter",
    ),
    "UPN with letters inside": (
        "A2012000A8001,Dube,Tendai,2020-02-03,R,Robins",
        "upn",
        "a check letter, 11 digits",
    ),
    "UPN with an unknown LA": (
        "A000200018001,Dube,Tendai,2020-02-03,R,Robins",
        "upn",
        "000 is not a local authority number",
    ),
    "duplicate UPN": ("{new},Dube,Tendai,2020-02-03,R,Robins", "upn", "it is also on line 2"),
    "year group": ("{other},Dube,Tendai,2020-02-03,Y15,3A", "year_group", "National Curriculum"),
    "impossible birth date": (
        "{other},Dube,Tendai,2020-02-30,R,Robins",
        "date_of_birth",
        "impossible",
    ),
    "birth date in the future": (
        "{other},Dube,Tendai,2027-01-01,R,Robins",
        "date_of_birth",
        "not in the past",
    ),
    "missing surname": ("{other},,Tendai,2020-02-03,R,Robins", "legal_surname", "required"),
    "too long a group": ("{other},Dube,Tendai,2020-02-03,R," + "G" * 41, "reg_group", "too long"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_bad_row_is_reported_and_nothing_changes(
    case: str, session: Session, school: School, tmp_path: Path
) -> None:
    """Each bad pupil row gives `file:3: field: problem`; the good row 2 is not written either."""
    user, (amy, *_) = school
    new, other = make_upn(50), make_upn(51)
    row, column, words = BAD_ROWS[case]
    row = row.format(new=new, other=other, bad="B" + amy.upn[1:] if amy.upn[0] != "B" else "C")
    path = write_csv(tmp_path, "p.csv", f"{HEADER}\n{new},Ncube,Thabo,2020-02-03,R,Robins\n{row}\n")
    before = snapshot(session)
    with pytest.raises(ImportFailed) as caught:
        import_pupils(session, path, user=user, now=IMPORT_NOW)
    assert len(caught.value.errors) == 1, caught.value.errors
    assert caught.value.errors[0].startswith(f"{path}:3: {column}: ")
    assert words in caught.value.errors[0]
    assert nothing_pending(session)
    assert snapshot(session) == before


def test_bad_flags_sex_and_roll_dates_are_each_reported(
    session: Session, school: School, tmp_path: Path
) -> None:
    """A bad Y/N flag, sex and leaving date before joining are all listed for one row."""
    user, (amy, *_) = school
    path = write_csv(
        tmp_path,
        "p.csv",
        f"""\
        {HEADER},fsm,sex,on_roll_from,on_roll_to
        {amy.upn},Adams,Amy,2017-05-01,3,3A,maybe,Q,2025-10-01,2025-09-30
        """,
    )
    with pytest.raises(ImportFailed) as caught:
        import_pupils(session, path, user=user, now=IMPORT_NOW)
    assert [e.split(": ", 2)[1:] for e in caught.value.errors] == [
        ["fsm", "expected Y or N (or Yes/No, True/False, 1/0), not 'maybe'"],
        ["sex", "expected M, F or U, not 'Q'"],
        ["on_roll_to", "2025-09-30 is before the pupil came on roll (2025-10-01)"],
    ]


def test_export_then_import_changes_nothing(
    session: Session, school: School, tmp_path: Path
) -> None:
    """An exported pupils file imports back with every pupil unchanged and no audit events."""
    user, (amy, *_) = school
    amy.preferred_forename, amy.sex, amy.vulnerable = "Ames", "F", True
    amy.on_roll_to = date(2025, 12, 19)
    session.commit()
    path = tmp_path / "pupils.csv"
    assert export_pupils(session, path, viewer=DSL) == 3
    summary = import_pupils(session, path, user=user, now=IMPORT_NOW)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 3)
    assert _updates(session) == []


def test_a_class_teacher_cannot_import_and_nothing_is_written(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Loading pupils from the MIS is office work: a teacher's import is refused up front."""
    from attendance_desk.access.permissions import NotAllowed
    from tests.helpers.builders import add_staff

    staff = add_staff(session, pat="admin", tom="teacher")
    session.commit()
    path = write_csv(tmp_path, "p.csv", f"{HEADER}\n{make_upn(41)},Dube,Tendai,2020-02-03,R,RA\n")
    before = snapshot(session)
    with pytest.raises(NotAllowed):
        import_pupils(session, path, user=staff["tom"], now=IMPORT_NOW)
    session.rollback()
    assert snapshot(session) == before
