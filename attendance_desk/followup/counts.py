"""What the rules read from the record in one query each: the pupils among some ids (as plain
columns), the contacts the office may phone, marks of some codes per pupil over a span, and
who fell below the weekly attendance line in the last complete school week."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.followup.actions import Who
from attendance_desk.models import Contact, Mark, Pupil, RegGroup
from attendance_desk.models.pupils import display_name
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


def pupils_named(session: Session, ids: Collection[int], day: date | None = None) -> dict[int, Who]:
    """The pupils among `ids` (on roll on `day`, when given) as actions name them, with a
    display name as `Pupil.display_name` gives it."""
    query = (
        select(
            Pupil.id,
            Pupil.upn,
            Pupil.preferred_forename,
            Pupil.legal_forename,
            Pupil.legal_surname,
            RegGroup.name,
            Pupil.cp,
            Pupil.cla,
            Pupil.cin,
            Pupil.vulnerable,
            Pupil.social_worker,
        )
        .join(RegGroup, RegGroup.id == Pupil.reg_group_id)
        .where(Pupil.id.in_(ids))
    )
    if day is not None:
        query = query.where(Pupil.on_roll_between(day, day))
    return {
        row[0]: Who(row[0], row[1], display_name(row[2], row[3], row[4]), *row[5:])
        for row in session.connection().execute(query)
    }


def callable_contacts(session: Session, ids: Collection[int]) -> dict[int, list[int]]:
    """The contacts of the pupils `ids` the office may phone (not "do not contact", with a
    number), by pupil."""
    found: dict[int, list[int]] = {}
    for pupil_id, contact_id in session.connection().execute(
        select(Contact.pupil_id, Contact.id).where(
            Contact.pupil_id.in_(ids),
            Contact.do_not_contact.is_(False),
            Contact.phone.is_not(None),
            Contact.phone != "",
        )
    ):
        found.setdefault(pupil_id, []).append(contact_id)
    return found
