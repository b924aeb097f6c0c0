"""The periods letters measure attendance over, and how they are written in a letter."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from attendance_desk.register.stats import Figures, percent_text, rounded
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.term_dates import academic_year_of
from attendance_desk.uk_dates import letter_date
from attendance_desk.wording import plural

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class SummaryRow:
    """One line of a letter's attendance table: a period and the figures over it."""

    label: str
    start: date
    end: date
    figures: Figures

    @property
    def missed(self) -> int:
        return self.figures.authorised + self.figures.unauthorised


def uk_date(day: date) -> str:
    """`8 September 2025`, as an English letter is dated."""
    return letter_date(day)


def uk_long_date(day: date) -> str:
    """`Monday 8 September 2025`, for a meeting or a deadline."""
    return f"{day:%A} {uk_date(day)}"


def uk_time(moment: datetime) -> str:
    """`3.30pm`, `10.00am`: the time as a letter writes it."""
    hour = moment.hour % 12 or 12
    return f"{hour}.{moment:%M}{'am' if moment.hour < 12 else 'pm'}"


def uk_span(start: date, end: date) -> str:
    """`8 September and 3 October 2025`, years and months said once where they repeat."""
    if start.year != end.year:
        return f"{uk_date(start)} and {uk_date(end)}"
    if start.month != end.month:
        return f"{start.day} {start:%B} and {uk_date(end)}"
    return f"{start.day} and {uk_date(end)}"


def pct_text(pct: float | None, target: float | None = None) -> str:
    """A percentage to one decimal place, as letters print it. Against a `target`, a figure
    just below it that would round up to it is printed to two places (cut short if need
    be), so a parent
    reads 95.97% (below 96%), never 96.0%: thresholds compare the unrounded figure."""
    value = rounded(pct)
    if value is None or pct is None:
        return "no sessions yet"
    if target is not None and pct < target <= value:
        two = round(pct, 2)
        return f"{two if two < target else math.floor(pct * 100) / 100:.2f}%"
    return percent_text(pct)


def target_text(target: float) -> str:
    return f"{target:g}%"


def length_text(school_days: int) -> str:
    """`two weeks`, `six weeks`, `7 school days`: a review period in words."""
    if school_days % 5 == 0 and 0 < school_days // 5 < len(NUMBER_WORDS):
        weeks = school_days // 5
        return f"{NUMBER_WORDS[weeks]} week{'s' * (weeks > 1)}"
    return plural(school_days, "school day")


def year_start(calendar: SchoolCalendar, day: date) -> date:
    """The first school day of the academic year containing `day` (or 1 August)."""
    first = date(academic_year_of(day), 8, 1)
    return calendar.next_school_day(first - timedelta(days=1)) or first


def up_to_yesterday(calendar: SchoolCalendar, day: date) -> date:
    """The last school day before `day`: today's registers may not be complete yet."""
    return calendar.previous_school_day(day) or day - timedelta(days=1)


def complete_weeks(calendar: SchoolCalendar, day: date, weeks: int) -> tuple[date, date] | None:
    """The last `weeks` complete school weeks before `day`'s week: first and last school day."""
    monday = day - timedelta(days=day.weekday())
    mondays = calendar.school_weeks(calendar.first_day or day, monday - timedelta(days=1))
    if not mondays:
        return None
    days = calendar.school_days(mondays[-weeks:][0], monday - timedelta(days=1))
    return days[0], days[-1]
