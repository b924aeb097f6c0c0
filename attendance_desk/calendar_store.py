"""Loading and replacing the school calendar stored in the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from attendance_desk import audit
from attendance_desk.models import AcademicYear, Closure, Term, User
from attendance_desk.school_calendar import Period, SchoolCalendar
from attendance_desk.term_dates import academic_year_name, academic_year_of


def load_calendar(session: Session) -> SchoolCalendar:
    """The stored terms and closures as a `SchoolCalendar`."""
    terms = [Period(t.start, t.end, t.name) for t in session.scalars(select(Term))]
    closures = [Period(c.start, c.end, c.name) for c in session.scalars(select(Closure))]
    return SchoolCalendar(tuple(terms), tuple(closures))


def replace_calendar(
    session: Session,
    *,
    terms: Sequence[Period],
    closures: Sequence[Period],
    user: User,
    now: datetime,
) -> SchoolCalendar:
    """Replace every term and closure; academic years are derived from the term dates.

    Validates first (terms must not overlap, closures must fall inside a term) so a bad
    calendar raises `ValueError` before anything is changed.
    """
    calendar = SchoolCalendar(tuple(terms), tuple(closures))
    for c in closures:
        if calendar.term_of(c.start) is None and calendar.term_of(c.end) is None:
            raise ValueError(f"closure '{c.name}' ({c.start} to {c.end}) is outside every term")
    session.execute(delete(Term))
    session.execute(delete(Closure))
    session.execute(delete(AcademicYear))
    years: dict[int, AcademicYear] = {}
    for t in calendar.terms:
        start_year = academic_year_of(t.start)
        year = years.get(start_year)
        if year is None:
            year = AcademicYear(
                name=academic_year_name(start_year),
                start=date(start_year, 8, 1),
                end=date(start_year + 1, 7, 31),
            )
            years[start_year] = year
            session.add(year)
        year.terms.append(Term(name=t.name, start=t.start, end=t.end))
    session.add_all(Closure(start=c.start, end=c.end, name=c.name) for c in closures)
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="replace",
        entity="calendar",
        terms=len(terms),
        closures=len(closures),
    )
    return calendar
