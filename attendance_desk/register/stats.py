"""Attendance figures the DfE way, computed in SQL.

attendance % = (present + attending elsewhere) / possible sessions; a pupil is a
*persistent* absentee when absence is at least 10 % of possible sessions and *severe* at
50 %. Codes outside possible sessions (`D X Q Y1-Y7 Z #`) count nowhere. Every figure is a
`GROUP BY` with `CASE` on the code categories from `codes.py`, never rows loaded into Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, Select, case, func, null, select, union_all
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.models import Mark, Pupil

if TYPE_CHECKING:  # SQLAlchemy 2.1's Select is variadic; 2.0's is not
    AnySelect = Select[*tuple[Any, ...]]
SelectT = TypeVar("SelectT", bound="AnySelect")

PERSISTENT_THRESHOLD = 10.0
SEVERE_THRESHOLD = 50.0


@dataclass(frozen=True, slots=True)
class Figures:
    """Session counts for a pupil or a group over a date range."""

    present: int = 0
    attending_elsewhere: int = 0
    authorised: int = 0
    unauthorised: int = 0
    late: int = 0

    @property
    def possible(self) -> int:
        return self.present + self.attending_elsewhere + self.authorised + self.unauthorised

    @property
    def attendance_pct(self) -> float | None:
        """Attendance as a percentage of possible sessions, None when there were none."""
        if not self.possible:
            return None
        return 100.0 * (self.present + self.attending_elsewhere) / self.possible

    @property
    def absence_pct(self) -> float | None:
        pct = self.attendance_pct
        return None if pct is None else 100.0 - pct

    @property
    def persistent(self) -> bool:
        return self._absence_at_least(PERSISTENT_THRESHOLD)

    @property
    def severe(self) -> bool:
        return self._absence_at_least(SEVERE_THRESHOLD)

    def _absence_at_least(self, pct: float) -> bool:
        # Compared in whole numbers so 10 % of 20 sessions is exactly 2 absences.
        return (
            self.possible > 0 and (self.authorised + self.unauthorised) * 100 >= pct * self.possible
        )

    def as_counts(self) -> dict[str, int]:
        return {
            "possible": self.possible,
            "present": self.present,
            "attending_elsewhere": self.attending_elsewhere,
            "authorised": self.authorised,
            "unauthorised": self.unauthorised,
            "late": self.late,
        }


@dataclass(frozen=True, slots=True)
class SchoolFigures:
    """Whole-school totals plus how many pupils are persistent or severe absentees."""

    totals: Figures
    pupils: int
    persistent_count: int
    severe_count: int


_COUNT_FIELDS = ("present", "attending_elsewhere", "authorised", "unauthorised", "late")
#: Which count each possible-session code adds to.
_FIELD_OF: dict[str, str] = {
    **dict.fromkeys(codes.PRESENT_CODES, "present"),
    **dict.fromkeys(codes.ATTENDING_ELSEWHERE_CODES, "attending_elsewhere"),
    **dict.fromkeys(codes.AUTHORISED_CODES, "authorised"),
    **dict.fromkeys(codes.UNAUTHORISED_CODES, "unauthorised"),
}


def _count(codes_: tuple[str, ...], label: str) -> ColumnElement[Any]:
    return func.sum(case((Mark.code.in_(codes_), 1), else_=0)).label(label)


def _counts_columns() -> list[ColumnElement[Any]]:
    return [
        _count(codes.PRESENT_CODES, "present"),
        _count(codes.ATTENDING_ELSEWHERE_CODES, "attending_elsewhere"),
        _count(codes.AUTHORISED_CODES, "authorised"),
        _count(codes.UNAUTHORISED_CODES, "unauthorised"),
        _count((codes.LATE,), "late"),
    ]


def _figures(row: Any) -> Figures:
    return Figures(
        present=row.present or 0,
        attending_elsewhere=row.attending_elsewhere or 0,
        authorised=row.authorised or 0,
        unauthorised=row.unauthorised or 0,
        late=row.late or 0,
    )


def _in_range(query: SelectT, start: date, end: date) -> SelectT:
    """Marks from `start` to `end`. Codes that are not possible sessions need no filter:
    the CASE counts ignore them (and a code filter would steer SQLite onto the code index)."""
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    return query.where(Mark.date >= start, Mark.date <= end)


#: The plain present marks, most of the register: `pupil_figures` counts them by difference.
_PLAIN_PRESENT = ("/", "\\")


def pupil_figures(
    session: Session, start: date, end: date, pupil_ids: list[int] | None = None
) -> dict[int, Figures]:
    """Figures per pupil id, for pupils with at least one possible session in the range.

    Two quick parts in one statement, rather than one `GROUP BY pupil_id, code` over every
    mark, which SQLite must sort (most of the whole-school worklist's time): each pupil's
    number of marks, read in order off the pupil-and-date index, and the per-code counts of
    the few marks that are not a plain present (`/`, `\\`); the plain presents are the
    difference. The per-code counts are then added up by category here.
    """
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    marks_of = (
        select(func.count())
        .select_from(Mark)
        .where(Mark.pupil_id == Pupil.id, Mark.date >= start, Mark.date <= end)
        .scalar_subquery()
    )
    marked = select(Pupil.id, null(), marks_of)  # no code: all the pupil's marks
    others = _in_range(select(Mark.pupil_id, Mark.code, func.count()), start, end).where(
        *(Mark.code != code for code in _PLAIN_PRESENT)
    )
    if pupil_ids is not None:
        marked = marked.where(Pupil.id.in_(pupil_ids))
        others = others.where(Mark.pupil_id.in_(pupil_ids))
    by_code: dict[int, list[tuple[str, int]]] = {}
    marks: dict[int, int] = {}
    for pupil_id, code, n in session.execute(
        union_all(others.group_by(Mark.pupil_id, Mark.code), marked)
    ):
        if code is None:
            marks[pupil_id] = n
        else:
            by_code.setdefault(pupil_id, []).append((code, n))
    totals: dict[int, dict[str, int]] = {}
    for pupil_id in sorted(p for p, count in marks.items() if count):
        found = by_code.get(pupil_id, [])
        plain = marks[pupil_id] - sum(n for _, n in found)
        for code, n in [*found, (_PLAIN_PRESENT[0], plain)] if plain else found:
            if code not in _FIELD_OF:
                continue
            counts = totals.setdefault(pupil_id, dict.fromkeys(_COUNT_FIELDS, 0))
            counts[_FIELD_OF[code]] += n
            if code == codes.LATE:
                counts["late"] += n
    return {pupil_id: Figures(**counts) for pupil_id, counts in totals.items()}


def group_figures(session: Session, start: date, end: date, by: str) -> dict[int, Figures]:
    """Figures per registration group (`by="reg_group"`) or year group (`by="year_group"`)."""
    column = {"reg_group": Pupil.reg_group_id, "year_group": Pupil.year_group_id}.get(by)
    if column is None:
        raise ValueError(f"figures can be grouped by reg_group or year_group, not '{by}'")
    query = _in_range(
        select(column.label("group_id"), *_counts_columns()).join(Pupil, Pupil.id == Mark.pupil_id),
        start,
        end,
    )
    return {row.group_id: _figures(row) for row in session.execute(query.group_by(column))}


def school_figures(session: Session, start: date, end: date) -> SchoolFigures:
    """Whole-school figures, with persistent and severe counts, in one aggregate query.

    The inner query groups by pupil; the outer sums the counts and counts the pupils
    whose absence crosses each threshold, so nothing per pupil comes back to Python.
    """
    per_pupil = _in_range(select(Mark.pupil_id, *_counts_columns()), start, end)
    sub = per_pupil.group_by(Mark.pupil_id).subquery()
    possible = sub.c.present + sub.c.attending_elsewhere + sub.c.authorised + sub.c.unauthorised
    absent = sub.c.authorised + sub.c.unauthorised

    def crossing(pct: float, label: str) -> ColumnElement[Any]:
        crossed = (possible > 0) & (absent * 100 >= pct * possible)
        return func.sum(case((crossed, 1), else_=0)).label(label)

    row = session.execute(
        select(
            func.sum(sub.c.present).label("present"),
            func.sum(sub.c.attending_elsewhere).label("attending_elsewhere"),
            func.sum(sub.c.authorised).label("authorised"),
            func.sum(sub.c.unauthorised).label("unauthorised"),
            func.sum(sub.c.late).label("late"),
            func.sum(case((possible > 0, 1), else_=0)).label("pupils"),
            crossing(PERSISTENT_THRESHOLD, "persistent"),
            crossing(SEVERE_THRESHOLD, "severe"),
        )
    ).one()
    return SchoolFigures(
        totals=_figures(row),
        pupils=row.pupils or 0,
        persistent_count=row.persistent or 0,
        severe_count=row.severe or 0,
    )


def school_of(per_pupil: Mapping[int, Figures]) -> SchoolFigures:
    """Whole-school figures from every pupil's (`pupil_figures` over the same range): what
    `school_figures` gives, without a second pass over the marks."""
    counted = [f for f in per_pupil.values() if f.possible]
    totals = {name: sum(getattr(f, name) for f in counted) for name in _COUNT_FIELDS}
    return SchoolFigures(
        totals=Figures(**totals),
        pupils=len(counted),
        persistent_count=sum(f.persistent for f in counted),
        severe_count=sum(f.severe for f in counted),
    )


def rounded(pct: float | None) -> float | None:
    """A percentage as shown (docs/rules.md#figures): one decimal place, None stays None."""
    if pct is None:
        return None
    # Half up, as a hand count would round 97.25 (Python's round() would give 97.2).
    return float(Decimal(repr(pct)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percent_text(pct: float | None, *, missing: str = "—") -> str:
    """`94.8%`: the one way a percentage is written on screen and paper (one decimal place,
    half up like `stats --json`); `missing` when there is no figure."""
    shown = rounded(pct)
    return missing if shown is None else f"{shown:.1f}%"
