"""This week, this half-term and this year, worked out from the school calendar."""

from __future__ import annotations

from datetime import date

import pytest

from attendance_desk.figures.ranges import (
    DateRange,
    Preset,
    half_term_range,
    last_half_term_range,
    last_week_range,
    preset_range,
    week_range,
    year_range,
)
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.term_dates import year_start
from tests.figures.conftest import CALENDAR


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (date(2025, 9, 10), date(2025, 9, 8), date(2025, 9, 10)),
        (date(2025, 9, 8), date(2025, 9, 8), date(2025, 9, 8)),
        (date(2025, 10, 29), date(2025, 10, 20), date(2025, 10, 24)),
        (date(2025, 11, 2), date(2025, 10, 20), date(2025, 10, 24)),
    ],
)
def test_week_is_monday_to_today_or_the_last_school_week(
    today: date, start: date, end: date
) -> None:
    """A school day gives Monday to today; a holiday gives the last school week."""
    assert week_range(CALENDAR, today) == DateRange(start, end)


def test_half_term_and_year() -> None:
    """The half-term runs from its start (the last one in a holiday); the year from the
    first term's start."""
    assert half_term_range(CALENDAR, date(2025, 11, 12)) == DateRange(
        date(2025, 11, 3), date(2025, 11, 12)
    )
    assert half_term_range(CALENDAR, date(2025, 10, 29)) == DateRange(
        date(2025, 9, 3), date(2025, 10, 24)
    )
    assert year_range(CALENDAR, date(2025, 11, 12)) == DateRange(
        date(2025, 9, 3), date(2025, 11, 12)
    )
    assert preset_range(CALENDAR, date(2025, 11, 12), Preset.YEAR).start == date(2025, 9, 3)


def test_summer_holiday_reads_the_year_just_finished() -> None:
    """In August, before the new year's first term, "this year" is the one just ended."""
    assert year_start(CALENDAR, date(2026, 8, 20)) == date(2025, 9, 3)
    assert year_range(CALENDAR, date(2026, 8, 20)).start == date(2025, 9, 3)


def test_empty_calendar_falls_back() -> None:
    """With no terms the year starts on 1 September and a half-term is just today."""
    empty = SchoolCalendar(())
    assert year_start(empty, date(2025, 11, 12)) == date(2025, 9, 1)
    assert half_term_range(empty, date(2025, 11, 12)) == DateRange(
        date(2025, 11, 12), date(2025, 11, 12)
    )


def test_range_must_run_forwards() -> None:
    """A range ending before it starts is refused; a range describes itself for the tab."""
    with pytest.raises(ValueError, match="before it starts"):
        DateRange(date(2025, 10, 2), date(2025, 10, 1))
    assert DateRange(date(2025, 11, 3), date(2025, 11, 7)).describe() == (
        "Mon 3 Nov – Fri 7 Nov 2025"
    )
    assert DateRange(date(2024, 12, 30), date(2025, 1, 3)).describe() == (
        "Mon 30 Dec 2024 – Fri 3 Jan 2025"
    )


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (date(2025, 10, 8), date(2025, 9, 29), date(2025, 10, 3)),  # a Wednesday
        (date(2025, 10, 11), date(2025, 10, 6), date(2025, 10, 10)),  # the Saturday after
        (date(2025, 10, 29), date(2025, 10, 20), date(2025, 10, 24)),  # half-term holiday
        (date(2025, 11, 3), date(2025, 10, 20), date(2025, 10, 24)),  # first day back
    ],
)
def test_last_week_is_the_last_complete_school_week(today: date, start: date, end: date) -> None:
    """Monday to Friday of the latest school week that has finished before today."""
    assert last_week_range(CALENDAR, today) == DateRange(start, end)
    assert preset_range(CALENDAR, today, Preset.LAST_WEEK) == DateRange(start, end)


def test_last_half_term_is_the_last_finished_one() -> None:
    """After the October half-term, "last half-term" is Autumn 1 whole; before any has
    finished there is none, and the preset falls back to this half-term."""
    assert last_half_term_range(CALENDAR, date(2025, 11, 12)) == DateRange(
        date(2025, 9, 3), date(2025, 10, 24)
    )
    assert last_week_range(CALENDAR, date(2025, 9, 3)) is None
    assert last_half_term_range(CALENDAR, date(2025, 10, 1)) is None
    assert preset_range(CALENDAR, date(2025, 10, 1), Preset.LAST_HALF_TERM) == DateRange(
        date(2025, 9, 3), date(2025, 10, 1)
    )
