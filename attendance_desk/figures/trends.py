"""Attendance over time: week by week, by day of the week, and PA half-term by half-term.

The marks are summed per day in SQL (the date index gives them in order, so no sort), and
the days are then grouped by week and by weekday in the same statement. Persistent absence
per half-term counts the pupils who missed 10 % or more of their sessions *within* that
half-term, so half-terms can be compared with each other (docs/rules.md#weekly-reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    CTE,
    Date,
    Integer,
    String,
    case,
    cast,
    extract,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.figures.tally import Summary, range_tally
from attendance_desk.models import Mark
from attendance_desk.school.calendar import SchoolCalendar

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ATTENDED = codes.PRESENT_CODES + codes.ATTENDING_ELSEWHERE_CODES


@dataclass(frozen=True, slots=True)
class Sessions:
    """Possible sessions split three ways: attended, authorised and unauthorised absence."""

    attended: int = 0
    authorised: int = 0
    unauthorised: int = 0

    @property
    def possible(self) -> int:
        return self.attended + self.authorised + self.unauthorised

    @property
    def attendance_pct(self) -> float | None:
        return 100.0 * self.attended / self.possible if self.possible else None


@dataclass(frozen=True, slots=True)
class WeekPoint:
    """One school week (by its Monday) and the school days in it that had marks."""

    monday: date
    days: int
    sessions: Sessions


@dataclass(frozen=True, slots=True)
class WeekdayPoint:
    """All the Mondays (or Tuesdays…) in a range together; `weekday` 0 is Monday."""

    weekday: int
    days: int
    sessions: Sessions

    @property
    def name(self) -> str:
        return WEEKDAY_NAMES[self.weekday]


@dataclass(frozen=True, slots=True)
class HalfTermPoint:
    """One half-term (or the part of it inside the range) with its own figures and PA count."""

    name: str
    start: date
    end: date
    summary: Summary


@dataclass(frozen=True, slots=True)
class TimeProfile:
    weeks: tuple[WeekPoint, ...]
    weekdays: tuple[WeekdayPoint, ...]


def time_profile(
    session: Session,
    *,
    weeks: tuple[date, date] | None,
    weekdays: tuple[date, date] | None,
) -> TimeProfile:
    """Week-by-week figures over one range and day-of-week figures over another, from one
    pass over the marks of both (the Reports tab shows the weeks of the whole year but the
    weekdays of the range chosen)."""
    ranges = [r for r in (weeks, weekdays) if r is not None]
    if not ranges:
        return TimeProfile((), ())
    for start, end in ranges:
        if end < start:
            raise ValueError(f"the range ends ({end}) before it starts ({start})")
    low, high = min(r[0] for r in ranges), max(r[1] for r in ranges)
    daily = (
        select(
            Mark.date.label("day"),
            _count(_ATTENDED, "attended"),
            _count(codes.AUTHORISED_CODES, "authorised"),
            _count(codes.UNAUTHORISED_CODES, "unauthorised"),
        )
        .where(Mark.date >= low, Mark.date <= high)
        .group_by(Mark.date)
        .cte("daily")
        .prefix_with("MATERIALIZED")
    )
    branches = []
    monday, weekday = _monday_and_weekday(session, daily.c.day)
    if weeks:
        branches.append(_branch(daily, "week", monday, weeks))
    if weekdays:
        branches.append(_branch(daily, "weekday", weekday, weekdays))
    week_points, weekday_points = [], []
    for row in session.execute(union_all(*branches)):
        sessions = Sessions(row.attended or 0, row.authorised or 0, row.unauthorised or 0)
        if row.kind == "week":
            week_points.append(WeekPoint(date.fromisoformat(row.key), row.days, sessions))
        else:
            # strftime's %w counts from Sunday = 0; Python's weekday() from Monday = 0.
            weekday_points.append(WeekdayPoint((int(row.key) - 1) % 7, row.days, sessions))
    return TimeProfile(
        tuple(sorted(week_points, key=lambda p: p.monday)),
        tuple(sorted(weekday_points, key=lambda p: p.weekday)),
    )


def _monday_and_weekday(session: Session, day: Any) -> tuple[Any, Any]:
    """SQL for the Monday of `day`'s week, and its weekday counted from Sunday = 0."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("week", day), Date), cast(extract("dow", day), Integer)
    # SQLite: the Sunday on or after the day, less six days, is that week's Monday.
    return func.date(day, "weekday 0", "-6 days", type_=Date), func.strftime("%w", day)


def _count(members: tuple[str, ...], label: str) -> Any:
    return func.sum(case((Mark.code.in_(members), 1), else_=0)).label(label)


def _branch(daily: CTE, kind: str, key: Any, within: tuple[date, date]) -> Any:
    possible = daily.c.attended + daily.c.authorised + daily.c.unauthorised
    return (
        select(
            literal(kind, String).label("kind"),
            func.cast(key, String).label("key"),
            func.count().label("days"),
            func.sum(daily.c.attended).label("attended"),
            func.sum(daily.c.authorised).label("authorised"),
            func.sum(daily.c.unauthorised).label("unauthorised"),
        )
        .where(daily.c.day >= within[0], daily.c.day <= within[1], possible > 0)
        .group_by(key)
    )


def weekly(session: Session, start: date, end: date) -> list[WeekPoint]:
    """Attendance for each school week that has marks between two dates."""
    return list(time_profile(session, weeks=(start, end), weekdays=None).weeks)


def by_weekday(session: Session, start: date, end: date) -> list[WeekdayPoint]:
    """Attendance on each day of the week between two dates."""
    return list(time_profile(session, weeks=None, weekdays=(start, end)).weekdays)


def half_terms(
    session: Session, calendar: SchoolCalendar, start: date, end: date
) -> list[HalfTermPoint]:
    """Each half-term that overlaps the range, cut to the range, with its figures and PA
    count; half-terms with no marks in the range are left out."""
    out = []
    for term in calendar.terms:
        first, last = max(term.start, start), min(term.end, end)
        if last < first:
            continue
        summary = range_tally(session, first, last, groupings=(), with_codes=False).school
        if summary.pupils:
            out.append(HalfTermPoint(term.name, first, last, summary))
    return out
