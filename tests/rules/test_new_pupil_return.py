"""The new-pupil return to the local authority: regulation 13(1) of the 2024 regulations.

The school must tell the LA of every pupil whose name it enters in the admission register
within five days of the entry. The regulations say "school day" where they mean one; here
they do not, so these are calendar days: the return is due by the end of the fifth day after
the day of entry, which may be a Saturday or fall in a holiday. A joiner who arrives by a
pupils CSV or a CTF (on a roll that already has pupils) needs the return as much as one
admitted at the desk; the school's first load from its MIS is not a list of joiners.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk import interop
from attendance_desk.catalogues.action_kinds import ActionKind
from attendance_desk.followup.rules import Action, actions_for_day
from attendance_desk.interop.ctf_import import import_ctf
from attendance_desk.models import RollChange
from attendance_desk.roll import changes as roll
from tests.helpers.builders import build_school, make_upn
from tests.interop.ctffiles import write_ctf
from tests.rules.conftest import School
from tests.rules.helpers import PUPILS_HEADER, csv_file, ctf_pupil


def returns(school: School, day: date) -> list[Action]:
    return [a for a in actions_for_day(school.session, day) if a.kind == ActionKind.LA_NEW_PUPIL]


def admit(school: School, start: date) -> None:
    roll.admit(
        school.session,
        upn=make_upn(60),
        legal_surname="Baker",
        legal_forename="Tom",
        date_of_birth=date(2017, 2, 3),
        year_group="3",
        reg_group="3A",
        start_date=start,
        user=school.office,
        now=datetime.combine(start, datetime.min.time()),
    )


def test_due_on_a_saturday(school: School) -> None:
    """Entered on Monday 10 November 2025: due by the end of Saturday 15 November."""
    admit(school, date(2025, 11, 10))
    (action,) = returns(school, date(2025, 11, 10))
    assert action.due == date(2025, 11, 15)
    assert "by the end of Sat 15 Nov" in action.detail and not action.overdue


def test_due_in_the_half_term_holiday_and_overdue_after_it(school: School) -> None:
    """Entered on Tuesday 21 October: due Sunday 26 October, in half-term; still untold on
    Monday 3 November (the first day back) it is overdue since the Sunday."""
    admit(school, date(2025, 10, 21))
    (action,) = returns(school, date(2025, 11, 3))
    assert action.due == date(2025, 10, 26) and action.overdue
    assert action.detail.startswith("OVERDUE since Sun 26 Oct")


def test_a_joiner_by_pupils_csv(school: School, tmp_path: Path) -> None:
    """Tendai joins on Wednesday 12 November by the MIS's pupils file: the return is due by
    Monday 17 November, exactly as for a pupil admitted at the desk."""
    school.pupil(1)
    school.session.commit()
    path = csv_file(
        tmp_path,
        "joiner.csv",
        f"""
        {PUPILS_HEADER},on_roll_from
        {make_upn(41)},Dube,Tendai,2017-02-03,3,3A,2025-11-12
        """,
    )
    interop.import_pupils(school.session, path, user=school.office, now=datetime(2025, 11, 12, 9))
    (action,) = returns(school, date(2025, 11, 12))
    assert action.name == "Tendai Dube" and action.due == date(2025, 11, 17)


def test_a_joiner_by_ctf(school: School, tmp_path: Path) -> None:
    """Noah arrives by a CTF from Meadowbank on Friday 14 November: his return is due."""
    school.pupil(1)
    school.session.commit()
    path = write_ctf(tmp_path, "noah.xml", ctf_pupil("B330210516007", born="2016-11-03"))
    import_ctf(school.session, path, user=school.office, now=datetime(2025, 11, 14, 9))
    (action,) = returns(school, date(2025, 11, 14))
    assert action.name == "Noah Okafor" and action.due == date(2025, 11, 19)


def test_the_first_load_from_the_mis_is_not_joiners(session: Session, tmp_path: Path) -> None:
    """A new school's first pupils file puts its roll in place: no returns are raised."""
    _, office = build_school(session)
    path = csv_file(
        tmp_path,
        "roll.csv",
        f"""
        {PUPILS_HEADER}
        {make_upn(41)},Dube,Tendai,2017-02-03,3,3A
        {make_upn(42)},Evans,Ella,2017-03-04,3,3A
        """,
    )
    interop.import_pupils(session, path, user=office, now=datetime(2025, 9, 1, 9))
    assert session.scalar(select(func.count()).select_from(RollChange)) == 0
