"""Headline figures as the DfE publishes them: pupils of compulsory school age only.

The DfE's attendance statistics count the sessions of pupils of compulsory school age (5 to
15 at the start of the school year, in practice: see `school_age`); a school's own whole-roll
figures also count its nursery, its reception children before they reach compulsory school
age and its sixth form. Both are shown, side by side.

Most pupils are of compulsory school age for the whole of a range, so the figures start from
the whole roll's and correct only for the pupils who are not, for all or part of it: their
whole-range counts are taken out and the part of the range they were of compulsory school
age put back. Those pupils are few (nursery, reception, the end of Year 11, the sixth form),
so this costs a few small queries, not a second pass over the year's marks.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from attendance_desk.models import Pupil
from attendance_desk.register import stats
from attendance_desk.register.stats import Figures, SchoolFigures
from attendance_desk.school import age as school_age


def _spans(session: Session, start: date, end: date) -> dict[int, tuple[date, date] | None]:
    """Pupils on roll in the range who are not of compulsory school age for all of it: the
    part of the range they were (None when none of it)."""
    out: dict[int, tuple[date, date] | None] = {}
    for pupil_id, born in session.execute(
        select(Pupil.id, Pupil.date_of_birth)
        .where(Pupil.on_roll_from <= end)
        .where(or_(Pupil.on_roll_to.is_(None), Pupil.on_roll_to >= start))
    ):
        first, last = school_age.starts(born), school_age.ends(born)
        if first <= start and end <= last:
            continue
        lo, hi = max(start, first), min(end, last)
        out[pupil_id] = (lo, hi) if lo <= hi else None
    return out


def _add(total: Figures, f: Figures, sign: int) -> Figures:
    return Figures(
        present=total.present + sign * f.present,
        attending_elsewhere=total.attending_elsewhere + sign * f.attending_elsewhere,
        authorised=total.authorised + sign * f.authorised,
        unauthorised=total.unauthorised + sign * f.unauthorised,
        late=total.late + sign * f.late,
    )


def compulsory_age_figures(
    session: Session, start: date, end: date, whole: SchoolFigures
) -> SchoolFigures:
    """The school's figures for `start`..`end` counting only pupils of compulsory school age
    on each day, from `whole`, the whole roll's figures for the same range."""
    spans = _spans(session, start, end)
    if not spans:
        return whole
    totals, pupils = whole.totals, whole.pupils
    persistent, severe = whole.persistent_count, whole.severe_count
    for pupil_figures in stats.pupil_figures(session, start, end, list(spans)).values():
        totals = _add(totals, pupil_figures, -1)
        if pupil_figures.possible:
            pupils -= 1
            persistent -= pupil_figures.persistent
            severe -= pupil_figures.severe
    by_span: dict[tuple[date, date], list[int]] = defaultdict(list)
    for pupil_id, span in spans.items():
        if span is not None:
            by_span[span].append(pupil_id)
    for (lo, hi), ids in by_span.items():
        for part in stats.pupil_figures(session, lo, hi, ids).values():
            totals = _add(totals, part, 1)
            if part.possible:
                pupils += 1
                persistent += part.persistent
                severe += part.severe
    return SchoolFigures(totals, pupils, persistent, severe)
