"""A typical English school year: six half-terms, five INSET days and the bank holidays.

Used by `init` and the demo school so a new school starts with a calendar that looks like
its own; the office then corrects it (import or Settings) to the local authority's dates.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.easter import easter

from attendance_desk.school.calendar import Period, SchoolCalendar


def academic_year_of(day: date) -> int:
    """The calendar year in which the academic year containing `day` began (Aug-Jul)."""
    return day.year if day.month >= 8 else day.year - 1


def academic_year_name(start_year: int) -> str:
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _first_weekday_from(day: date) -> date:
    return _weekday_on_or_after(day, 0) if day.weekday() >= 5 else day


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _last_monday(year: int, month: int) -> date:
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    return _weekday_on_or_before(next_month - timedelta(days=1), 0)


def typical_terms(start_year: int) -> list[Period]:
    """The six half-terms of the academic year beginning in September `start_year`."""
    y1, y2 = start_year, start_year + 1
    autumn_start = _first_weekday_from(date(y1, 9, 1))
    october_break = _last_monday(y1, 10)
    christmas_end = _weekday_on_or_before(date(y1, 12, 19), 4)
    spring_start = _weekday_on_or_after(date(y2, 1, 5), 0)
    february_break = _weekday_on_or_after(date(y2, 2, 12), 0)
    easter_sunday = easter(y2)
    good_friday = easter_sunday - timedelta(days=2)
    summer_start = easter_sunday + timedelta(days=8)
    may_break = _last_monday(y2, 5)
    summer_end = _weekday_on_or_before(date(y2, 7, 22), 4)
    return [
        Period(autumn_start, october_break - timedelta(days=3), "Autumn 1"),
        Period(october_break + timedelta(days=7), christmas_end, "Autumn 2"),
        Period(spring_start, february_break - timedelta(days=3), "Spring 1"),
        Period(february_break + timedelta(days=7), good_friday - timedelta(days=1), "Spring 2"),
        Period(summer_start, may_break - timedelta(days=3), "Summer 1"),
        Period(may_break + timedelta(days=7), summer_end, "Summer 2"),
    ]


def typical_closures(terms: list[Period]) -> list[Period]:
    """INSET days (two in September, one at the start of spring and summer, the last day of
    the year) and every England bank holiday that falls inside a term."""
    first, spring, summer, last = terms[0], terms[2], terms[4], terms[-1]
    inset = [
        first.start,
        first.start + timedelta(days=1),
        spring.start,
        summer.start,
        last.end,
    ]
    closures = [Period(d, d, "INSET day") for d in inset]
    years = range(terms[0].start.year, terms[-1].end.year + 1)
    import holidays  # its country tables take a while to load: only when a year is made

    for day, name in sorted(
        holidays.country_holidays("GB", subdiv="ENG", years=list(years)).items()
    ):
        if any(day in t for t in terms) and day.weekday() < 5 and day not in inset:
            closures.append(Period(day, day, f"Bank holiday: {name}"))
    return sorted(closures, key=lambda c: c.start)


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
