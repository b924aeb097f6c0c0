"""The school calendar as CSV: `start,end,kind,name`, one term (half-term) or closure a line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk import audit, calendar_store
from attendance_desk.interop import fields
from attendance_desk.interop.csv_io import read_table, write_table
from attendance_desk.models import Closure, Term, User
from attendance_desk.permissions import Permission, require
from attendance_desk.school_calendar import Period

COLUMNS = ("start", "end", "kind", "name")
KINDS = ("term", "closure")
#: Longest names the tables hold.
NAME_LENGTH = {"term": 60, "closure": 120}


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
        start = check.value("start", fields.mis_date, required=True)
        end = check.value("end", fields.mis_date, required=True)
        kind = check.value("kind", _kind, required=True)
        name = check.text("name", max_length=NAME_LENGTH.get(kind or "", 60), required=True)
        if start and end and end < start:
            check.bad("end", f"{end} is before the start {start}")
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
        for line, closure in found["closure"]:
            if not any(closure.start in t or closure.end in t for _, t in terms):
                problems.add(line, "start", f"closure '{closure.name}' is outside every term")
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
