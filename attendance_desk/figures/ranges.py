"""The ranges a report is read over: this or last week, this or last half-term, this year,
or any two dates.

Each preset ends on `today` (today's marks so far count) and is worked out from the school
calendar: in a holiday, "this week" and "this half-term" mean the last ones before it, so a
head reading figures over half-term sees the half-term just finished, not an empty page.
"Last week" and "last half-term" are the most recent ones that have finished, whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.term_dates import year_start
from attendance_desk.uk_dates import span_text


class Preset(StrEnum):
    WEEK = "week"
    LAST_WEEK = "last_week"
    HALF_TERM = "half_term"
    LAST_HALF_TERM = "last_half_term"
    YEAR = "year"


PRESET_LABELS: dict[Preset, str] = {
    Preset.WEEK: "This week",
    Preset.LAST_WEEK: "Last week",
    Preset.HALF_TERM: "This half-term",
    Preset.LAST_HALF_TERM: "Last half-term",
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


def last_week_range(calendar: SchoolCalendar, today: date) -> DateRange | None:
    """The last complete school week before `today`, Monday to Friday (None before the first).

    On a Wednesday it is the week before; at a weekend, the week just ended; in a holiday,
    the last school week before it.
    """
    day = calendar.previous_school_day(today)
    while day is not None:
        monday = monday_of(day)
        friday = monday + timedelta(days=4)
        if friday < today:
            return DateRange(monday, friday)
        day = calendar.previous_school_day(monday)
    return None


def last_half_term_range(calendar: SchoolCalendar, today: date) -> DateRange | None:
    """The last half-term to have finished before `today`, whole (None before the first)."""
    ended = [t for t in calendar.terms if t.end < today]
    if not ended:
        return None
    last = max(ended, key=lambda t: t.end)
    return DateRange(last.start, last.end)


def half_term_range(calendar: SchoolCalendar, today: date) -> DateRange:
    """The half-term containing today, up to today; in a holiday, the one just finished."""
    term = calendar.term_of(_anchor(calendar, today))
    if term is None:
        return DateRange(today, today)
    return DateRange(term.start, min(term.end, today))


def year_range(calendar: SchoolCalendar, today: date) -> DateRange:
    """The academic year so far: its first term's start to today."""
    start = year_start(calendar, today)
    return DateRange(min(start, today), today)


def preset_range(calendar: SchoolCalendar, today: date, preset: Preset) -> DateRange:
    """The range `preset` names on `today`; a "last" one before any has finished is this one."""
    if preset is Preset.WEEK:
        return week_range(calendar, today)
    if preset is Preset.LAST_WEEK:
        return last_week_range(calendar, today) or week_range(calendar, today)
    if preset is Preset.HALF_TERM:
        return half_term_range(calendar, today)
    if preset is Preset.LAST_HALF_TERM:
        return last_half_term_range(calendar, today) or half_term_range(calendar, today)
    return year_range(calendar, today)
