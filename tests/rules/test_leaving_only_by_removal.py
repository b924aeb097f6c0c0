"""A pupil leaves the roll only through the removal service, never by an import.

Regulation 9(1) of the 2024 regulations lists the only grounds on which a name may be
deleted from the admission register; the deletion is made on the day the ground is met,
never backdated, and regulation 13(3) requires the return to the LA. A pupils import that
gives a leaving date (or moves a start on roll past days already marked) would take a child
off roll with no ground and no return, so that row is refused, naming Desk → Remove from
roll, and nothing in the file is imported.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from attendance_desk import interop
from attendance_desk.interop import ImportFailed
from attendance_desk.roll import changes as roll
from tests.helpers.builders import make_upn
from tests.rules.conftest import School
from tests.rules.helpers import PUPILS_HEADER, csv_file

NOW = datetime(2025, 11, 20, 9, 0)


def test_a_backdated_leaving_date_is_refused(school: School, tmp_path: Path) -> None:
    """Amy's row gives on_roll_to 31 October 2025 (backdated, no ground): refused with the
    way to do it; she stays on roll."""
    amy = school.pupil(1)
    school.session.commit()
    path = csv_file(
        tmp_path,
        "p.csv",
        f"""
        {PUPILS_HEADER},on_roll_to
        {amy.upn},Smith,Amy,2017-05-01,3,3A,2025-10-31
        """,
    )
    with pytest.raises(ImportFailed) as refused:
        interop.import_pupils(school.session, path, user=school.office, now=NOW)
    (message,) = refused.value.errors
    assert "p.csv:2: on_roll_to: an import cannot take a pupil off roll (2025-10-31)" in message
    assert "Desk → Remove from roll" in message
    school.session.rollback()
    assert amy.on_roll_to is None


def test_a_new_pupil_with_a_leaving_date_is_refused(school: School, tmp_path: Path) -> None:
    """A new row with a leaving date would be a removal with no ground: refused."""
    path = csv_file(
        tmp_path,
        "p.csv",
        f"""
        {PUPILS_HEADER},on_roll_to
        {make_upn(41)},Dube,Tendai,2017-02-03,3,3A,2025-12-19
        """,
    )
    with pytest.raises(ImportFailed, match="on_roll_to: an import cannot take a pupil off roll"):
        interop.import_pupils(school.session, path, user=school.office, now=NOW)


def test_a_blank_leaving_date_leaves_a_removal_alone(school: School, tmp_path: Path) -> None:
    """Ben is leaving on 19 December through Remove from roll; the MIS file's blank
    on_roll_to neither refuses the row nor puts him back on roll."""
    ben = school.pupil(2, forename="Ben")
    roll.remove(
        school.session,
        pupil_id=ben.id,
        ground="moved_away",
        effective_on=date(2025, 12, 19),
        details="Family moving to Leeds; new address confirmed by mum",
        destination_address="1 Park Row, Leeds LS1 5AB",
        user=school.office,
        now=NOW,
    )
    school.session.commit()
    path = csv_file(
        tmp_path,
        "p.csv",
        f"""
        {PUPILS_HEADER},on_roll_to
        {ben.upn},Smith,Ben,2017-05-01,3,3A,
        """,
    )
    summary = interop.import_pupils(school.session, path, user=school.office, now=NOW)
    assert summary.unchanged == 1 and ben.on_roll_to == date(2025, 12, 19)


def test_a_later_start_past_marked_days_is_refused(school: School, tmp_path: Path) -> None:
    """Amy has marks from Monday 8 September; on_roll_from 1 October would take her off roll
    for those days: refused."""
    amy = school.pupil(1)
    school.present(amy, [date(2025, 9, 8)])
    school.session.commit()
    path = csv_file(
        tmp_path,
        "p.csv",
        f"""
        {PUPILS_HEADER},on_roll_from
        {amy.upn},Smith,Amy,2017-05-01,3,3A,2025-10-01
        """,
    )
    with pytest.raises(ImportFailed, match=r"is after this pupil.s first mark \(2025-09-08\)"):
        interop.import_pupils(school.session, path, user=school.office, now=NOW)
