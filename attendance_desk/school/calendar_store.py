"""Loading and replacing the school calendar stored in the database, and the days the marks
show the school was closed to everyone although the calendar expected it open."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.catalogues import codes
from attendance_desk.models import AcademicYear, Closure, Mark, Term, User
from attendance_desk.school.calendar import Period, SchoolCalendar
from attendance_desk.school.term_dates import academic_year_name, academic_year_of


def other_years(session: Session, terms: Sequence[Period]) -> tuple[list[Period], list[Period]]:
    """The stored terms and closures of the school years `terms` do not fall in: what an
    import of `terms` keeps."""
    years = {academic_year_of(t.start) for t in terms}
    kept_terms = [
        Period(t.start, t.end, t.name)
        for t in session.scalars(select(Term))
        if academic_year_of(t.start) not in years
    ]
    kept_closures = [
        Period(c.start, c.end, c.name)
        for c in session.scalars(select(Closure))
        if academic_year_of(c.start) not in years
    ]
    return kept_terms, kept_closures


def replace_years(
    session: Session,
    *,
    terms: Sequence[Period],
    closures: Sequence[Period],
    user: User,
    now: datetime,
) -> tuple[int, int]:
    """Replace the school years `terms` fall in, keeping every other year's terms and
    closures (the rolling 10 school weeks of the penalty-notice threshold, and the CME and
    continuous-absence counts, reach back into last year). Returns how many terms and
    closures were replaced. Validates the whole result before changing anything.
    """
    kept_terms, kept_closures = other_years(session, terms)
    old_terms = session.scalar(select(func.count()).select_from(Term)) or 0
    old_closures = session.scalar(select(func.count()).select_from(Closure)) or 0
    replace_calendar(
        session,
        terms=[*kept_terms, *terms],
        closures=[*kept_closures, *closures],
        user=user,
        now=now,
    )
    return old_terms - len(kept_terms), old_closures - len(kept_closures)


def load_calendar(session: Session) -> SchoolCalendar:
    """The stored terms and closures as a `SchoolCalendar`."""
    terms = [Period(t.start, t.end, t.name) for t in session.scalars(select(Term))]
    closures = [Period(c.start, c.end, c.name) for c in session.scalars(select(Closure))]
    return SchoolCalendar(tuple(terms), tuple(closures))


#: Codes a whole-school closure is recorded with on a day the calendar expected pupils in.
CLOSURE_CODES = tuple(c.code for c in codes.CODES if c.code.startswith("Y")) + ("#",)


def closed_to_all(session: Session, start: date, end: date) -> frozenset[date]:
    """Days from `start` to `end` when the school was closed to every pupil: marks were
    taken and none of them is a possible session (snow: everyone `Y4`).

    Such a day is not a school day for anyone, so it must not end a continuous absence
    (the worklist's day counts and the regulation 9(1)(i) count look past it). Two small
    queries on the code and date indexes: the days with a closure code, then which of
    those also have a possible session.
    """
    candidates = set(
        session.scalars(
            select(Mark.date)
            .where(Mark.date >= start, Mark.date <= end, Mark.code.in_(CLOSURE_CODES))
            .distinct()
        )
    )
    if not candidates:
        return frozenset()
    open_days = set(
        session.scalars(
            select(Mark.date)
            .where(Mark.date.in_(candidates), Mark.code.in_(codes.POSSIBLE_CODES))
            .distinct()
        )
    )
    return frozenset(candidates - open_days)


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
