"""Today's worklist kept between refreshes, so that one change is worked out for the pupils
it touched and not for the whole school.

The office refreshes Today after every call, save and letter. Every rule reads one pupil's
record plus a few things read whole (the day, the days already swept, the calendar, the
settings that hold the policy and the letters pathway, the days the whole school was
closed); the list for a pupil therefore depends only on that pupil's record while those
stay the same. `DayWorklist.refresh` with the pupils a change touched works out, saves and
replaces just their actions (`raise_actions` with `pupil_ids`); anything else (no pupils
given, another day, any of the whole-school inputs changed, the first refresh) works out
the whole school. The result is the same list a whole-school refresh would give
(tests/followup/test_incremental.py checks that after random changes).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.followup.actions import Action
from attendance_desk.followup.raising import raise_actions
from attendance_desk.followup.worklist import last_swept, sort_key
from attendance_desk.models import Setting, User
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.calendar_store import closed_to_all, load_calendar

#: How far back a whole-school closure can still change a pupil's absence (the longest
#: look-back of the rules is a half-term of school days).
CLOSURE_LOOKBACK = timedelta(days=200)


@dataclass(frozen=True)
class _Basis:
    """What every pupil's actions depend on besides the pupil's own record."""

    day: date
    swept: date | None
    calendar: SchoolCalendar
    settings: frozenset[tuple[str, str]]
    closed: frozenset[date]


def _basis(session: Session, day: date) -> _Basis:
    return _Basis(
        day=day,
        swept=last_swept(session),
        calendar=load_calendar(session),
        settings=frozenset((k, v) for k, v in session.execute(select(Setting.key, Setting.value))),
        closed=closed_to_all(session, day - CLOSURE_LOOKBACK, day),
    )


class DayWorklist:
    """The worklist as last worked out, by pupil, and what it was worked out on."""

    def __init__(self) -> None:
        self._basis: _Basis | None = None
        self._by_pupil: dict[int, list[Action]] = {}
        #: Whether the last refresh worked out the whole school (for the benchmark's figures).
        self.whole_school = False

    def refresh(
        self,
        session: Session,
        *,
        user: User,
        now: datetime,
        pupils: Collection[int] | None = None,
    ) -> list[Action]:
        """Save what the rules raise today and return today's worklist, most urgent first;
        with `pupils` (those a change touched) only theirs is worked out again, when
        nothing else the list depends on has changed since the last refresh."""
        day = now.date()
        basis = _basis(session, day)
        self.whole_school = pupils is None or basis != self._basis
        if pupils is not None and not self.whole_school:
            found = raise_actions(session, day=day, user=user, now=now, pupil_ids=set(pupils))
            for pupil_id in pupils:
                self._by_pupil.pop(pupil_id, None)
        else:
            found = raise_actions(session, day=day, user=user, now=now)
            self._by_pupil = {}
            basis = _basis(session, day)  # the refresh has swept the days before today
        for action in found:
            self._by_pupil.setdefault(action.pupil_id, []).append(action)
        self._basis = basis
        return sorted((a for found in self._by_pupil.values() for a in found), key=sort_key)

    def forget(self) -> None:
        """Work out the whole school at the next refresh (after a rollback, say)."""
        self._basis = None
