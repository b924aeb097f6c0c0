"""The ranges a report is read over: this week, this half-term, this year, or any two dates.

Each preset ends on `today` (today's marks so far count) and is worked out from the school
calendar: in a holiday, "this week" and "this half-term" mean the last ones before it, so a
head reading figures over half-term sees the half-term just finished, not an empty page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from attendance_desk.school_calendar import SchoolCalendar
from attendance_desk.term_dates import academic_year_of
from attendance_desk.uk_dates import span_text


class Preset(StrEnum):
    WEEK = "week"
    HALF_TERM = "half_term"
    YEAR = "year"


PRESET_LABELS: dict[Preset, str] = {
    Preset.WEEK: "This week",
    Preset.HALF_TERM: "This half-term",
    Preset.YEAR: "This year",
}


@dataclass(frozen=True, slots=True)
class DateRange:
    """From `start` to `end`, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the range ends ({self.end}) before it starts ({self.start})")

    def describe(self) -> str:
        """`Mon 3 Nov – Fri 7 Nov 2025`, the year shown once when both ends share it."""
        return span_text(self.start, self.end)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _anchor(calendar: SchoolCalendar, today: date) -> date:
    """Today if it is a school day, else the last school day before it (or today)."""
    if calendar.is_school_day(today):
        return today
    return calendar.previous_school_day(today) or today


def week_range(calendar: SchoolCalendar, today: date) -> DateRange:
    """Monday to today of this week; in a holiday, the last school week before it."""
    anchor = _anchor(calendar, today)
    monday = monday_of(anchor)
    end = today if monday_of(today) == monday else monday + timedelta(days=4)
    return DateRange(monday, max(end, monday))


def half_term_range(calendar: SchoolCalendar, today: date) -> DateRange:
    """The half-term containing today, up to today; in a holiday, the one just finished."""
    term = calendar.term_of(_anchor(calendar, today))
    if term is None:
        return DateRange(today, today)
    return DateRange(term.start, min(term.end, today))


def year_start(calendar: SchoolCalendar, day: date) -> date:
    """The first day of the academic year containing `day`: its first term's start.

    Before that year's first term has begun (the summer holiday), the year just finished
    is "this year"; with no terms at all, 1 September.
    """
    start_year = academic_year_of(day)
    for year in (start_year, start_year - 1):
        starts = [t.start for t in calendar.terms if academic_year_of(t.start) == year]
        if starts and min(starts) <= day:
            return min(starts)
    return date(start_year, 9, 1)


def year_range(calendar: SchoolCalendar, today: date) -> DateRange:
    """The academic year so far: its first term's start to today."""
    start = year_start(calendar, today)
    return DateRange(min(start, today), today)


def preset_range(calendar: SchoolCalendar, today: date, preset: Preset) -> DateRange:
    if preset is Preset.WEEK:
        return week_range(calendar, today)
    if preset is Preset.HALF_TERM:
        return half_term_range(calendar, today)
    return year_range(calendar, today)
