"""The school calendar as CSV: `start,end,kind,name`, one term (half-term) or closure a line.

Importing replaces the calendar, so it is refused when it would leave the register wrong:
a day that is a school day now and holds marks must stay one (otherwise `check` would find
marks on closed days). Dates are bounded (years 2000 to 2099, a period at most a year) and
every check is linear in the rows, so a hostile or mistaken file is refused quickly, each
problem with its line.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.csv_files import write_table
from attendance_desk.interop import fields
from attendance_desk.interop.csv_io import read_table
from attendance_desk.interop.errors import Problems
from attendance_desk.models import Closure, Mark, Term, User
from attendance_desk.school import calendar_store
from attendance_desk.school.calendar import Period, SchoolCalendar

COLUMNS = ("start", "end", "kind", "name")
KINDS = ("term", "closure")
#: Longest names the tables hold.
NAME_LENGTH = {"term": 60, "closure": 120}
#: The years a school calendar may cover, and the longest a term or closure may run.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
LONGEST_DAYS = 366


@dataclass(frozen=True, slots=True)
class CalendarSummary:
    """What a calendar import did: the years it covers were replaced by the file's."""

    terms: int
    closures: int
    replaced_terms: int
    replaced_closures: int

    def __str__(self) -> str:
        return (
            f"{self.terms} terms and {self.closures} closures; they replace "
            f"{self.replaced_terms} terms and {self.replaced_closures} closures"
        )


def import_calendar(session: Session, path: Path, *, user: User, now: datetime) -> CalendarSummary:
    """Replace the school years the file covers with its terms and closures (earlier and
    later years are kept), or change nothing.

    Terms must not overlap; each closure must touch a term; there must be a term.
    Raises `ImportFailed` listing every problem.
    """
    require(user, Permission.CHANGE_SETTINGS)
    table = read_table(path, required=COLUMNS)
    problems = table.problems()
    found: dict[str, list[tuple[int, Period]]] = {"term": [], "closure": []}
    for row in table.rows:
        check = fields.RowCheck(problems, row)
        start = check.value("start", _calendar_date, required=True)
        end = check.value("end", _calendar_date, required=True)
        kind = check.value("kind", _kind, required=True)
        name = check.text("name", max_length=NAME_LENGTH.get(kind or "", 60), required=True)
        if start and end and end < start:
            check.bad("end", f"{end} is before the start {start}")
        elif start and end and (end - start).days >= LONGEST_DAYS:
            check.bad(
                "end", f"runs {(end - start).days + 1} days; a {kind or 'period'} is at most a year"
            )
        if check.ok and start and end and kind and name:
            found[kind].append((row.line, Period(start, end, name)))

    terms = sorted(found["term"], key=lambda item: item[1].start)
    latest: tuple[int, Period] | None = None  # the term read so far that ends last
    for line, term in terms:
        if latest is not None and term.start <= latest[1].end:
            other_line, other = latest
            problems.add(
                line, "start", f"term '{term.name}' overlaps '{other.name}' on line {other_line}"
            )
        if latest is None or term.end > latest[1].end:
            latest = (line, term)
    term_rows = sum(1 for row in table.rows if row["kind"].lower() == "term")
    if not term_rows:
        if not problems:  # a misspelt kind is reported already
            problems.add(1, "kind", "the file has no terms; a calendar needs at least one")
    elif len(terms) == term_rows:  # with a term unread, a closure may look outside them all
        starts = [t.start for _, t in terms]
        for line, closure in found["closure"]:
            if not (
                _in_a_term(closure.start, starts, terms) or _in_a_term(closure.end, starts, terms)
            ):
                problems.add(line, "start", f"closure '{closure.name}' is outside every term")
    problems.raise_if_any()
    _keep_marked_days(session, terms, found["closure"], problems)
    problems.raise_if_any()

    old_terms, old_closures = calendar_store.replace_years(
        session,
        terms=[t for _, t in terms],
        closures=[c for _, c in found["closure"]],
        user=user,
        now=now,
    )
    audit.record(session, user=user, now=now, action="import", entity="calendar", file=path.name)
    session.flush()
    return CalendarSummary(len(terms), len(found["closure"]), old_terms, old_closures)


def _calendar_date(text: str) -> date:
    day = fields.mis_date(text)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise fields.FieldError(
            f"{day} is not in the years {FIRST_DAY.year} to {LAST_DAY.year}, which a school "
            "calendar covers"
        )
    return day


def _in_a_term(day: date, starts: list[date], terms: Sequence[tuple[int, Period]]) -> bool:
    """Whether `day` falls in one of `terms` (sorted by start, not overlapping)."""
    i = bisect.bisect_right(starts, day) - 1
    return i >= 0 and day in terms[i][1]


def _keep_marked_days(
    session: Session,
    terms: Sequence[tuple[int, Period]],
    closures: Sequence[tuple[int, Period]],
    problems: Problems,
) -> None:
    """Refuse a calendar that would make a marked school day a closed one: the marks
    would then be on a day the school was shut, which `check` reports."""
    old = calendar_store.load_calendar(session)
    kept_terms, kept_closures = calendar_store.other_years(session, [t for _, t in terms])
    new = SchoolCalendar(
        (*kept_terms, *(t for _, t in terms)), (*kept_closures, *(c for _, c in closures))
    )
    marked = session.execute(select(Mark.date, func.count()).group_by(Mark.date)).all()
    lost = [(day, n) for day, n in marked if old.is_school_day(day) and not new.is_school_day(day)]
    if not lost:
        return
    by_closure: dict[int, list[tuple[date, int]]] = {}
    uncovered: list[tuple[date, int]] = []
    # one sweep: of the closures starting by a day, the one ending last covers it if any does
    ordered = sorted(closures, key=lambda item: item[1].start)
    i, reach = 0, (date.min, 0)
    for day, n in sorted(lost):
        while i < len(ordered) and ordered[i][1].start <= day:
            reach = max(reach, (ordered[i][1].end, ordered[i][0]))
            i += 1
        if day.weekday() < 5 and reach[0] >= day:
            by_closure.setdefault(reach[1], []).append((day, n))
        else:
            uncovered.append((day, n))
    for line, days in sorted(by_closure.items()):
        problems.add(
            line, "start", f"closes {_days(days)}, which hold marks; keep them school days"
        )
    if uncovered:
        problems.add(
            1,
            "term",
            f"no term covers {_days(uncovered)}, which hold marks; importing replaces the "
            "school years the file covers, so keep the terms that hold the register so far",
        )


def _days(days: list[tuple[date, int]]) -> str:
    marks = sum(n for _, n in days)
    if len(days) == 1:
        return f"{days[0][0]} ({marks} marks)"
    return f"{len(days)} school days from {days[0][0]} to {days[-1][0]} ({marks} marks)"


def _kind(text: str) -> str:
    kind = text.lower()
    if kind not in KINDS:
        raise fields.FieldError(f"expected term or closure, not '{text}'")
    return kind


def export_calendar(session: Session, path: Path) -> int:
    """Write every term then every closure, by start date; returns the rows written."""
    terms = session.execute(select(Term.start, Term.end, Term.name).order_by(Term.start))
    closures = session.execute(
        select(Closure.start, Closure.end, Closure.name).order_by(Closure.start, Closure.name)
    )
    rows = [
        *((t.start.isoformat(), t.end.isoformat(), "term", t.name) for t in terms),
        *((c.start.isoformat(), c.end.isoformat(), "closure", c.name) for c in closures),
    ]
    return write_table(path, COLUMNS, rows)
