"""One pass over a range's marks, from which every figure for that range is read.

The marks are first counted per pupil and code (`GROUP BY pupil_id, code`): deciding a
category for a few thousand tally rows is far cheaper than for every mark, and it is the
grouping SQLite does fastest over the date index. That tally is materialised once; the
school's totals, each group breakdown, the codes used and the pupils near or over the
persistent-absence line are then small `GROUP BY`s over it, joined in one `UNION ALL`
statement, so a whole year's figures cost one scan of the year's marks.

Figures count the DfE way (see `stats`): only possible sessions, and a pupil counts towards
a group when they had at least one possible session in the range. Pupils are grouped by
what their record says today (current year group, FSM and so on), not what it said then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    CTE,
    Boolean,
    ColumnElement,
    Integer,
    Select,
    SQLColumnExpression,
    String,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy import union_all as sql_union_all
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.models import Mark, Pupil
from attendance_desk.register import stats

#: How pupils can be grouped; the key names a column computed once per pupil.
GROUPINGS: dict[str, SQLColumnExpression[Any]] = {
    "year_group": Pupil.year_group_id,
    "reg_group": Pupil.reg_group_id,
    "sex": func.coalesce(Pupil.sex, "U"),
    "fsm": Pupil.fsm,
    "pupil_premium": Pupil.pupil_premium,
    # the census's SEN provision: E (EHC plan), K (SEN support) or N (none)
    "sen": case((Pupil.ehcp, "E"), (Pupil.sen, "K"), else_="N"),
    "social_care": or_(Pupil.cp, Pupil.cin, Pupil.cla),
    "cp": Pupil.cp,
    "cin": Pupil.cin,
    "cla": Pupil.cla,
}

SCHOOL, CODE, PUPIL = "school", "code", "pupil"
_CATEGORIES = (
    ("present", codes.PRESENT_CODES),
    ("attending_elsewhere", codes.ATTENDING_ELSEWHERE_CODES),
    ("authorised", codes.AUTHORISED_CODES),
    ("unauthorised", codes.UNAUTHORISED_CODES),
    ("late", (codes.LATE,)),
)


@dataclass(frozen=True, slots=True)
class Summary:
    """Session counts for a set of pupils, how many pupils, and how many are PA or severe.

    For a code's row `pupils` is how many pupils had that code; `marks` counts every mark,
    possible session or not (so a code like `D` or `#` still shows how often it was used).
    """

    figures: stats.Figures = field(default_factory=stats.Figures)
    pupils: int = 0
    persistent: int = 0
    severe: int = 0
    marks: int = 0

    @property
    def attendance_pct(self) -> float | None:
        return self.figures.attendance_pct

    @property
    def authorised_pct(self) -> float | None:
        """Authorised absence as a share of possible sessions."""
        return _share(self.figures.authorised, self.figures.possible)

    @property
    def unauthorised_pct(self) -> float | None:
        return _share(self.figures.unauthorised, self.figures.possible)

    @property
    def persistent_pct(self) -> float | None:
        """Persistent absentees as a share of pupils (the DfE's persistent absence rate)."""
        return _share(self.persistent, self.pupils)

    @property
    def severe_pct(self) -> float | None:
        return _share(self.severe, self.pupils)


def _share(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


@dataclass(frozen=True)
class RangeTally:
    """Everything one pass over `start`..`end` found.

    `groups[name][key]` is a group's summary, keyed by the grouping value as text (a year
    group's id, `"F"`, `"1"` for a flag that is set); `pupils` holds, per pupil id, those
    whose absence reached the `watch_from` percentage asked for.
    """

    start: date
    end: date
    school: Summary
    groups: dict[str, dict[str, Summary]]
    codes: dict[str, Summary]
    pupils: dict[int, Summary]


def range_tally(
    session: Session,
    start: date,
    end: date,
    *,
    groupings: Sequence[str] = tuple(GROUPINGS),
    with_codes: bool = True,
    watch_from: float | None = None,
) -> RangeTally:
    """Count the range's marks once and read the school, groups, codes and pupils from it.

    Args:
        groupings: which of `GROUPINGS` to break the school down by.
        with_codes: include how often each code was used.
        watch_from: also return each pupil whose absence is at least this percentage of
            their possible sessions (10 for the PA list; lower to see who is close).
    """
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    unknown = set(groupings) - set(GROUPINGS)
    if unknown:
        raise ValueError(f"cannot group by {', '.join(sorted(unknown))}")
    tally = (
        select(Mark.pupil_id, Mark.code, func.count().label("n"))
        .where(Mark.date >= start, Mark.date <= end)
        .group_by(Mark.pupil_id, Mark.code)
        .cte("tally")
        .prefix_with("MATERIALIZED")
    )
    per_pupil = _per_pupil(tally, groupings)
    branches = [_group_branch(per_pupil, SCHOOL, None)]
    branches += [_group_branch(per_pupil, name, per_pupil.c[name]) for name in groupings]
    if with_codes:
        branches.append(_code_branch(tally))
    if watch_from is not None:
        branches.append(_pupil_branch(per_pupil, watch_from))
    school = Summary()
    groups: dict[str, dict[str, Summary]] = {name: {} for name in groupings}
    by_code: dict[str, Summary] = {}
    pupils: dict[int, Summary] = {}
    for row in session.execute(sql_union_all(*branches)):
        summary = _summary(row)
        if row.dimension == SCHOOL:
            school = summary
        elif row.dimension == CODE:
            by_code[row.key] = summary
        elif row.dimension == PUPIL:
            pupils[int(row.key)] = summary
        else:
            groups[row.dimension][row.key] = summary
    return RangeTally(start, end, school, groups, by_code, pupils)


def _per_pupil(tally: CTE, groupings: Sequence[str]) -> CTE:
    """One row per pupil: their grouping values and their counts in each category."""
    columns: list[Any] = [GROUPINGS[name].label(name) for name in groupings]
    return (
        select(
            tally.c.pupil_id,
            *columns,
            func.sum(tally.c.n).label("marks"),
            *(
                func.sum(case((tally.c.code.in_(members), tally.c.n), else_=0)).label(name)
                for name, members in _CATEGORIES
            ),
        )
        .select_from(tally)
        .join(Pupil, Pupil.id == tally.c.pupil_id)
        .group_by(tally.c.pupil_id, *(GROUPINGS[name] for name in groupings))
        .cte("per_pupil")
        .prefix_with("MATERIALIZED")
    )


def _possible(src: CTE) -> ColumnElement[Any]:
    return src.c.present + src.c.attending_elsewhere + src.c.authorised + src.c.unauthorised


def _absent_at_least(src: CTE, pct: float) -> ColumnElement[bool]:
    # Whole numbers, as stats does: 10 % of 20 sessions is exactly 2 absences.
    return (src.c.authorised + src.c.unauthorised) * 100 >= pct * _possible(src)


def _crossing(src: CTE, pct: float) -> ColumnElement[Any]:
    return func.sum(case((_absent_at_least(src, pct), 1), else_=0))


def _group_branch(pp: CTE, dimension: str, key: ColumnElement[Any] | None) -> Select[Any]:
    query = _select(
        literal(dimension, String).label("dimension"),
        (literal("", String) if key is None else cast(_flag_as_number(key), String)).label("key"),
        func.sum(pp.c.marks).label("marks"),
        *(func.sum(pp.c[name]).label(name) for name, _ in _CATEGORIES),
        func.count().label("pupils"),
        _crossing(pp, stats.PERSISTENT_THRESHOLD).label("persistent"),
        _crossing(pp, stats.SEVERE_THRESHOLD).label("severe"),
    ).where(_possible(pp) > 0)
    return query if key is None else query.group_by(key)


def _flag_as_number(key: ColumnElement[Any]) -> ColumnElement[Any]:
    """A yes/no grouping as 1 or 0 (PostgreSQL would spell a boolean `true` as text)."""
    return cast(key, Integer) if isinstance(key.type, Boolean) else key


def _code_branch(tally: CTE) -> Select[Any]:
    return _select(
        literal(CODE, String).label("dimension"),
        tally.c.code.label("key"),
        func.sum(tally.c.n).label("marks"),
        *(
            func.sum(case((tally.c.code.in_(members), tally.c.n), else_=0)).label(name)
            for name, members in _CATEGORIES
        ),
        func.count(tally.c.pupil_id.distinct()).label("pupils"),
        literal(0).label("persistent"),
        literal(0).label("severe"),
    ).group_by(tally.c.code)


def _pupil_branch(pp: CTE, watch_from: float) -> Select[Any]:
    return _select(
        literal(PUPIL, String).label("dimension"),
        cast(pp.c.pupil_id, String).label("key"),
        pp.c.marks,
        *(pp.c[name] for name, _ in _CATEGORIES),
        literal(1).label("pupils"),
        case((_absent_at_least(pp, stats.PERSISTENT_THRESHOLD), 1), else_=0).label("persistent"),
        case((_absent_at_least(pp, stats.SEVERE_THRESHOLD), 1), else_=0).label("severe"),
    ).where(_possible(pp) > 0, _absent_at_least(pp, watch_from))


def _select(*columns: Any) -> Select[Any]:
    """Every branch of the `UNION ALL` has the same columns, in this order: dimension,
    key, marks, the five categories, pupils, persistent, severe."""
    return select(*columns)


def _summary(row: Any) -> Summary:
    return Summary(
        figures=stats.Figures(
            present=row.present or 0,
            attending_elsewhere=row.attending_elsewhere or 0,
            authorised=row.authorised or 0,
            unauthorised=row.unauthorised or 0,
            late=row.late or 0,
        ),
        pupils=row.pupils or 0,
        persistent=row.persistent or 0,
        severe=row.severe or 0,
        marks=row.marks or 0,
    )
