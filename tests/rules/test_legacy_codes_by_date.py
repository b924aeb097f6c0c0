"""A mark keeps the code it was recorded with, and counts by the rules of its own date.

Before the 2024 regulations (in force from 19 August 2024) the code set was the 2006 one
(docs/rules.md#legacy-codes): `J` (interview) was an approved educational activity,
counted as attendance.
The 2024 set's `J1` (leave for an interview) is authorised absence. So a `J` from June 2024
is stored as `J`, never silently turned into `J1`, and the 2023/24 figures still count it
as attendance; a `J` dated after the change is refused unless the office asks for the
mapping. The same holds for `H`, `F` and the old `Y`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from attendance_desk import interop
from attendance_desk.interop import ImportFailed
from attendance_desk.models import Mark
from attendance_desk.register import stats
from attendance_desk.school import calendar_store
from attendance_desk.school.calendar import Period
from tests.rules.conftest import School
from tests.rules.helpers import csv_file

JUNE_2024 = date(2024, 6, 10)  # a Monday


@pytest.fixture
def summer_2024(school: School) -> School:
    """The school's calendar also holds the summer half-term of 2024."""
    calendar_store.replace_years(
        school.session,
        terms=[Period(date(2024, 6, 3), date(2024, 7, 19), "Summer 2")],
        closures=[],
        user=school.office,
        now=datetime(2025, 9, 1),
    )
    return school


def test_a_june_2024_interview_stays_j_and_counts_as_attendance(
    summer_2024: School, tmp_path: Path
) -> None:
    """Amy's interview on the morning of Monday 10 June 2024 is imported as recorded, J,
    without the legacy option; that day's figures are 2 of 2 sessions attended."""
    school = summer_2024
    amy = school.pupil(1, on_roll_from=date(2024, 6, 3))
    school.session.commit()
    path = csv_file(
        tmp_path,
        "m.csv",
        f"upn,date,session,code\n{amy.upn},2024-06-10,AM,J\n{amy.upn},2024-06-10,PM,\\\n",
    )
    interop.import_marks(school.session, path, user=school.office, now=datetime(2025, 9, 1))
    stored = school.session.scalars(select(Mark.code).where(Mark.pupil_id == amy.id))
    assert set(stored) == {"J", "\\"}
    figures = stats.pupil_figures(school.session, JUNE_2024, JUNE_2024)[amy.id]
    assert (figures.attending_elsewhere, figures.authorised, figures.attendance_pct) == (
        1,
        0,
        100.0,
    )


def test_an_interview_in_2025_is_j1_and_authorised_absence(school: School, tmp_path: Path) -> None:
    """The same interview on Monday 8 September 2025 is J1, authorised absence: 1 of 2."""
    amy = school.pupil(1)
    school.mark(amy, [date(2025, 9, 8)], "J1", ("AM",))
    school.mark(amy, [date(2025, 9, 8)], "\\", ("PM",))
    figures = stats.pupil_figures(school.session, date(2025, 9, 8), date(2025, 9, 8))[amy.id]
    assert (figures.authorised, figures.attendance_pct) == (1, 50.0)
    path = csv_file(tmp_path, "m.csv", f"upn,date,session,code\n{amy.upn},2025-09-09,AM,J\n")
    with pytest.raises(ImportFailed, match="'J' is a pre-2024 code; import with the legacy"):
        interop.import_marks(school.session, path, user=school.office, now=datetime(2025, 9, 10))
