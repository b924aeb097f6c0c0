"""Importing next year's calendar keeps this year's.

The penalty-notice threshold counts unauthorised sessions in a rolling 10 school weeks (the
national framework, August 2024), which in September reaches back into last school year;
the CME and regulation 9(1)(i) counts can run over the summer too. So a calendar import
replaces only the school years the file covers, and keeps every other year's terms and
closures.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from attendance_desk import interop
from attendance_desk.school.calendar_store import load_calendar
from tests.rules.conftest import School
from tests.rules.helpers import csv_file


def test_next_year_is_added_and_this_year_kept(school: School, tmp_path: Path) -> None:
    """The school has autumn 2025; importing 2026/27's first half-term keeps autumn 2025, so
    the 10 school weeks ending Friday 11 September 2026 (two in September 2026, the seven
    of Autumn 2 and the last of Autumn 1) start on Monday 20 October 2025."""
    path = csv_file(
        tmp_path,
        "2026-27.csv",
        """
        start,end,kind,name
        2026-09-02,2026-10-23,term,Autumn 1 2026
        2026-09-02,2026-09-02,closure,INSET day
        """,
    )
    summary = interop.import_calendar(
        school.session, path, user=school.office, now=datetime(2026, 7, 1)
    )
    assert (summary.replaced_terms, summary.replaced_closures) == (0, 0)
    calendar = load_calendar(school.session)
    assert [t.name for t in calendar.terms] == ["Autumn 1", "Autumn 2", "Autumn 1 2026"]
    assert calendar.rolling_window_start(date(2026, 9, 11), 10) == date(2025, 10, 20)


def test_the_year_a_file_covers_is_replaced(school: School, tmp_path: Path) -> None:
    """A corrected 2025/26 calendar replaces 2025/26's two terms and its INSET day."""
    path = csv_file(
        tmp_path,
        "2025-26.csv",
        """
        start,end,kind,name
        2025-09-04,2025-10-24,term,Autumn 1
        """,
    )
    summary = interop.import_calendar(
        school.session, path, user=school.office, now=datetime(2025, 9, 1)
    )
    assert (summary.replaced_terms, summary.replaced_closures) == (2, 1)
    assert load_calendar(school.session).first_day == date(2025, 9, 4)
