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
from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy import select
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
        select(Pupil.id, Pupil.date_of_birth).where(Pupil.on_roll_between(start, end))
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
    session: Session,
    start: date,
    end: date,
    whole: SchoolFigures,
    per_pupil: Mapping[int, Figures] | None = None,
) -> SchoolFigures:
    """The school's figures for `start`..`end` counting only pupils of compulsory school age
    on each day, from `whole`, the whole roll's figures for the same range (and `per_pupil`,
    every pupil's figures for it, when the caller has them: they are not counted again)."""
    spans = _spans(session, start, end)
    if not spans:
        return whole
    totals, pupils = whole.totals, whole.pupils
    persistent, severe = whole.persistent_count, whole.severe_count
    if per_pupil is None:
        per_pupil = stats.pupil_figures(session, start, end, list(spans))
    for pupil_id in spans:
        if (pupil_figures := per_pupil.get(pupil_id)) is None:
            continue
        totals = _add(totals, pupil_figures, -1)
        if pupil_figures.possible:
            pupils -= 1
            persistent -= pupil_figures.persistent
            severe -= pupil_figures.severe
    for part in _in_span(session, start, end, spans, per_pupil).values():
        totals = _add(totals, part, 1)
        if part.possible:
            pupils += 1
            persistent += part.persistent
            severe += part.severe
    return SchoolFigures(totals, pupils, persistent, severe)


def _in_span(
    session: Session,
    start: date,
    end: date,
    spans: Mapping[int, tuple[date, date] | None],
    per_pupil: Mapping[int, Figures],
) -> dict[int, Figures]:
    """Each pupil's figures for the part of the range they were of compulsory school age:
    their whole-range figures less those of the days outside that part. Only those days'
    marks are read (before the term after a fifth birthday, after Year 11: few), not the
    part itself again."""
    outside: dict[tuple[date, date], list[int]] = defaultdict(list)
    for pupil_id, span in spans.items():
        if span is None or pupil_id not in per_pupil:
            continue
        lo, hi = span
        if lo > start:
            outside[(start, lo - timedelta(days=1))].append(pupil_id)
        if hi < end:
            outside[(hi + timedelta(days=1), end)].append(pupil_id)
    less: dict[int, Figures] = {}
    for (lo, hi), ids in outside.items():
        for pupil_id, figures in stats.pupil_figures(session, lo, hi, ids).items():
            less[pupil_id] = _add(less.get(pupil_id, Figures()), figures, 1)
    return {
        pupil_id: _add(per_pupil[pupil_id], less.get(pupil_id, Figures()), -1)
        for pupil_id, span in spans.items()
        if span is not None and pupil_id in per_pupil
    }
