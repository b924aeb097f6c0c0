"""`X` is only for a pupil who is not of compulsory school age on that date.

The 2024 code set: `X`, "non-compulsory school age absence: not required to attend". The
Education Act 1996 s8: compulsory school age begins on the prescribed day (31 December,
31 March or 31 August) on or after the fifth birthday (the Education (Start of Compulsory
School Age) Order 1998) and ends on the school leaving date, the last Friday in June, of the
school year in which the child turns 16 (the Education (School Leaving Date) Order 1997).
The register grid, the marks CSV import and the CTF import all refuse `X` for a pupil of
compulsory school age that day, saying why.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from attendance_desk import interop
from attendance_desk.interop import ImportFailed
from attendance_desk.interop.ctf_import import import_ctf
from attendance_desk.register.errors import RegisterError
from attendance_desk.register.marks import MarkEdit, save_marks
from attendance_desk.school.age import ends, is_compulsory_school_age, starts
from tests.interop.ctffiles import write_ctf
from tests.rules.conftest import School
from tests.rules.helpers import csv_file, ctf_pupil

MONDAY = date(2025, 9, 8)
NOW = datetime(2025, 9, 8, 9, 0)


@pytest.mark.parametrize(
    ("born", "first"),
    [
        (date(2019, 9, 1), date(2024, 12, 31)),  # five on 1 Sep: from 31 December
        (date(2019, 12, 31), date(2024, 12, 31)),  # five on a prescribed day: that day
        (date(2020, 1, 1), date(2025, 3, 31)),  # five on 1 Jan: from 31 March
        (date(2020, 4, 1), date(2025, 8, 31)),  # five on 1 Apr: from 31 August
        (date(2020, 2, 29), date(2025, 3, 31)),  # a leap-day birthday
    ],
)
def test_compulsory_school_age_starts_on_the_prescribed_day(born: date, first: date) -> None:
    """The prescribed day on or after the fifth birthday."""
    assert starts(born) == first
    assert not is_compulsory_school_age(born, first - timedelta(days=1))


@pytest.mark.parametrize(
    ("born", "last"),
    [
        (date(2009, 8, 31), date(2025, 6, 27)),  # 16 on 31 Aug 2025: 2024/25 ends Fri 27 Jun
        (date(2009, 9, 1), date(2026, 6, 26)),  # 16 on 1 Sep 2025: 2025/26 ends Fri 26 Jun
        (date(2010, 6, 26), date(2026, 6, 26)),  # 16 on the leaving date itself
    ],
)
def test_compulsory_school_age_ends_on_the_last_friday_in_june(born: date, last: date) -> None:
    """The last Friday in June of the school year in which the child turns 16."""
    assert ends(born) == last
    assert is_compulsory_school_age(born, last)
    assert not is_compulsory_school_age(born, date(last.year, 6, 30))


def test_grid_refuses_x_for_a_nine_year_old(school: School) -> None:
    """Amy, born 1 May 2017, is nine on Monday 8 September 2025: X is refused, saying why."""
    amy = school.pupil(1)
    with pytest.raises(RegisterError, match="X \\(not of compulsory school age\\) cannot be used"):
        save_marks(
            school.session,
            edits=[MarkEdit(amy.id, MONDAY, "AM", "X", None)],
            user=school.office,
            now=NOW,
        )


def test_grid_takes_x_for_a_four_year_old_in_reception(school: School) -> None:
    """Rosie, born 10 June 2021, is four: of compulsory school age only from 31 August 2026."""
    rosie = school.pupil(2, forename="Rosie", year="R", group="RA")
    rosie.date_of_birth = date(2021, 6, 10)
    result = save_marks(
        school.session,
        edits=[MarkEdit(rosie.id, MONDAY, "AM", "X", None)],
        user=school.office,
        now=NOW,
    )
    assert result.recorded == 1


def test_marks_csv_refuses_x_with_the_line(school: School, tmp_path: Path) -> None:
    """The marks file's X for Amy is refused at its line; nothing is imported."""
    amy = school.pupil(1)
    school.session.commit()
    path = csv_file(tmp_path, "m.csv", f"upn,date,session,code\n{amy.upn},2025-09-08,AM,X\n")
    with pytest.raises(ImportFailed) as refused:
        interop.import_marks(school.session, path, user=school.office, now=datetime(2025, 9, 9))
    (message,) = refused.value.errors
    assert "m.csv:2: code: X (not of compulsory school age) cannot be used" in message


def test_ctf_refuses_x_for_a_pupil_of_compulsory_age(school: School, tmp_path: Path) -> None:
    """A CTF recording X on 3 September 2025 for Noah (born 2016) is refused."""
    path = write_ctf(
        tmp_path,
        "noah.xml",
        ctf_pupil("B330210516007", born="2016-11-03", marks="X\\", start="2025-09-03"),
    )
    with pytest.raises(ImportFailed, match="2025-09-03 AM: X \\(not of compulsory school age\\)"):
        import_ctf(school.session, path, user=school.office, now=datetime(2025, 9, 9))
