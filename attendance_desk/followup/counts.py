"""What the rules read from the record in one query each: the pupils on roll among some ids,
marks of some codes per pupil over a span, and who fell below the weekly attendance line in
the last complete school week."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from attendance_desk.models import Mark, Pupil
from attendance_desk.register import stats
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.followup_policy import Policy


def mark_counts(
    session: Session,
    codes_: tuple[str, ...],
    start: date,
    end: date,
    scope: set[int] | None = None,
) -> dict[int, int]:
    """How many marks of `codes_` each pupil (of `scope`, or all) has from `start` to `end`
    (both included)."""
    query = select(Mark.pupil_id, func.count()).where(
        Mark.date >= start, Mark.date <= end, Mark.code.in_(codes_)
    )
    if scope is not None:
        query = query.where(Mark.pupil_id.in_(scope))
    return {pupil_id: count for pupil_id, count in session.execute(query.group_by(Mark.pupil_id))}


def weekly_below(
    session: Session,
    calendar: SchoolCalendar,
    day: date,
    policy: Policy,
    scope: set[int] | None = None,
) -> dict[int, tuple[date, float]]:
    """Pupils whose attendance in the last complete school week fell below the policy's
    weekly threshold (the AP-centre letter); empty when the policy has none."""
    if not policy.weekly_below_pct:
        return {}
    monday = day - timedelta(days=day.weekday())
    weeks = calendar.school_weeks(calendar.first_day or day, monday - timedelta(days=1))
    if not weeks:
        return {}
    start = weeks[-1]
    figures = stats.pupil_figures(
        session, start, start + timedelta(days=6), None if scope is None else list(scope)
    )
    return {
        pid: (start, f.attendance_pct)
        for pid, f in figures.items()
        if f.attendance_pct is not None and f.attendance_pct < policy.weekly_below_pct
    }


def pupils_on_roll(session: Session, ids: set[int], day: date) -> dict[int, Pupil]:
    """The pupils among `ids` on roll on `day`, with their groups."""
    return {
        p.id: p
        for p in session.scalars(
            select(Pupil)
            .options(selectinload(Pupil.reg_group))
            .where(Pupil.id.in_(ids), Pupil.on_roll_from <= day)
            .where(or_(Pupil.on_roll_to.is_(None), Pupil.on_roll_to >= day))
        )
    }
