"""Worklist actions for the local authority's returns: a new pupil and a deletion.

Each admission or removal stays on the Today list until someone records that the LA was
told (Done does that) or dismisses it with a reason. A new-pupil return is due by the end
of the fifth day after the day the name was entered in the admission register (regulation
13(1) of the 2024 regulations): calendar days, so the due date may fall on a weekend or in
a holiday (the regulations say "school day" where they mean one). A deletion return is due
by the date of deletion itself. A pupil joining the school's lowest year at the start of
the school year (the standard transition point) needs no new-pupil return, so no action is
raised for them.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from attendance_desk.followup.actions import Who
from attendance_desk.followup.kinds import ActionKind
from attendance_desk.models import ActionOutcome, Pupil, RollChange, User, YearGroup
from attendance_desk.roll.changes import record_la_notified
from attendance_desk.roll.grounds import BY_KEY
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.uk_dates import day_text

if TYPE_CHECKING:
    from attendance_desk.followup.actions import Action

NEW_PUPIL = ActionKind.LA_NEW_PUPIL
DELETION = ActionKind.LA_DELETION_RETURN
KINDS = (NEW_PUPIL, DELETION)
#: Calendar days after entry in the admission register by which the LA must have the return.
NEW_PUPIL_DAYS = 5


class _Adds(Protocol):
    def add(
        self,
        pupil: Who,
        kind: str,
        key: str,
        due: date,
        detail: str,
        day: int | None = None,
        *,
        open_detail: str | None = None,
    ) -> None: ...


def key_of(change: RollChange) -> str:
    return f"roll:{change.id}"


def change_id(key: str) -> int:
    """The `RollChange` an action's key names."""
    return int(key.removeprefix("roll:"))


def new_pupil_due(entered: date) -> date:
    """The last day for the new-pupil return: the fifth calendar day after entry."""
    return entered + timedelta(days=NEW_PUPIL_DAYS)


def standard_transition(calendar: SchoolCalendar, change: RollChange, lowest_year: int) -> bool:
    """Joined the school's lowest year on or before the first school day of the year."""
    start = change.effective_on
    september = date(start.year if start.month >= 9 else start.year - 1, 9, 1)
    first = september if calendar.is_school_day(september) else calendar.next_school_day(september)
    return (
        first is not None and start <= first and change.pupil.year_group.sort_order == lowest_year
    )


def add_roll_actions(
    b: _Adds,
    session: Session,
    calendar: SchoolCalendar,
    day: date,
    *,
    pupil_ids: Collection[int] | None = None,
) -> None:
    """Add an action for every admission and removal (of `pupil_ids`, or all), recorded by
    `day`, not yet told."""
    lowest_year = session.scalar(select(func.min(YearGroup.sort_order)))
    query = (
        select(RollChange)
        .options(
            selectinload(RollChange.pupil).selectinload(Pupil.reg_group),
            selectinload(RollChange.pupil).selectinload(Pupil.year_group),
        )
        .where(RollChange.recorded_at < datetime.combine(day, datetime.max.time()))
        .where(or_(RollChange.la_notified_on.is_(None), RollChange.la_notified_on > day))
        .order_by(RollChange.recorded_at)
    )
    if pupil_ids is not None:
        query = query.where(RollChange.pupil_id.in_(pupil_ids))
    for change in session.scalars(query):
        if change.kind == "admission":
            if lowest_year is not None and standard_transition(calendar, change, lowest_year):
                continue
            due = new_pupil_due(change.effective_on)
            detail = (
                f"Tell the LA about a new pupil (by the end of {day_text(due, year=False)}, "
                f"{NEW_PUPIL_DAYS} days after entry on "
                f"{day_text(change.effective_on, year=False)}): the new-pupil return"
            )
            kind = NEW_PUPIL
        else:
            due = change.effective_on
            ground = BY_KEY.get(change.ground or "")
            why = f", {ground.title}" if ground else ""
            off_roll = day_text(change.effective_on, year=False)
            detail = f"Send the LA the deletion return (off roll {off_roll}{why})"
            kind = DELETION
        if day > due:
            detail = f"OVERDUE since {day_text(due, year=False)}. {detail}"
        b.add(Who.of(change.pupil), kind, key_of(change), due, detail)


def close_roll_action(
    session: Session, *, action: Action, done: bool, note: str, user: User, now: datetime
) -> ActionOutcome:
    """Done records that the LA was told today (and the note); Dismiss only closes it."""
    from attendance_desk.followup.outcomes import close_action  # it imports this module

    outcome = close_action(session, action=action, done=done, note=note, user=user, now=now)
    if done:
        record_la_notified(
            session, change_id=change_id(action.key), notified_on=now.date(), user=user, now=now
        )
    return outcome
