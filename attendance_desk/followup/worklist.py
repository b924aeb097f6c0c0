"""The Today worklist: what the rules call for today, plus every action raised on an earlier
day that nobody has closed.

An action never vanishes because the day changed. Once the rules have called for it, it
stays until a person completes it (saying what was done) or dismisses it (saying why); when
the rules stop calling for it (the child came back, a later step of the ladder took over) it
stays, marked "still open", and that is recorded in the pupil's chronology. A few kinds are
closed by the recorded act that answers them (see `answered`).

What was raised is kept in `raised_actions`; `action_sweeps` records the school days whose
actions have all been raised. `raising.raise_actions` (the Today tab, the `actions` command)
writes them; `actions_for_day` only reads, and works out in memory any day not swept yet, so
the list is the same whether or not anyone has saved it. Only days after the last sweep are
worked out, so a school that opens Today every day works out one day per refresh.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from attendance_desk.followup.actions import Action, Who, is_vulnerable
from attendance_desk.followup.answered import Answer, find_answers
from attendance_desk.followup.counts import pupils_named
from attendance_desk.followup.derive import derive_actions
from attendance_desk.models import ActionOutcome, ActionSweep, RaisedAction
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.followup_policy import Policy, current_policy
from attendance_desk.uk_dates import day_text

Ident = tuple[int, str, str]


class Saved(NamedTuple):
    """A saved raised action, as the worklist reads it (plain columns: quick to load)."""

    id: int
    pupil_id: int
    kind: str
    key: str
    raised_on: date
    due: date
    day: int | None
    detail: str
    open_detail: str
    called_for_on: date
    superseded_on: date | None


@dataclass
class Worklist:
    """One day's list and what saving it would write."""

    open: list[Action]
    new: list[Action]  # called for, not yet saved as raised
    called_for: set[Ident]
    rows: dict[Ident, Saved]  # saved and open as of the day
    answers: list[Answer]


def sort_key(a: Action) -> tuple[int, int, date, str, str, int, str]:
    """Most urgent first: vulnerable pupils, the longest absences, the oldest due date (then
    name, kind, pupil and occasion, so the order never depends on how the list was built)."""
    return (a.risk, -(a.day or 0), a.due, a.name, a.kind, a.pupil_id, a.key)


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time())


def last_swept(session: Session) -> date | None:
    """The latest school day whose actions have all been raised."""
    return session.scalar(select(func.max(ActionSweep.day)))


def days_to_derive(session: Session, day: date) -> list[date]:
    """The school days after the last sweep, up to `day`, and `day` itself."""
    swept = last_swept(session)
    if swept is None or swept >= day:
        return [day]
    calendar = load_calendar(session)
    days = [d for d in calendar.school_days(swept + timedelta(days=1), day) if d < day]
    return [*days, day]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Working out the list makes tens of thousands of short-lived objects; Python's cycle
    collector, started every few hundred of them, would scan the whole (in the window,
    large) heap again and again, a fifth of the time. Nothing here makes cycles, so it
    waits until the list is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def work_out(
    session: Session, day: date, policy: Policy, pupil_ids: Collection[int] | None = None
) -> Worklist:
    with _collector_paused():
        return _work_out_now(session, day, policy, pupil_ids)


def _work_out_now(
    session: Session, day: date, policy: Policy, pupil_ids: Collection[int] | None
) -> Worklist:
    called: dict[Ident, Action] = {}
    first_seen: dict[Ident, date] = {}
    for d in days_to_derive(session, day):
        for action in derive_actions(session, d, policy, pupil_ids=pupil_ids):
            first_seen.setdefault(action.ident, d)
            called[action.ident] = action
    today = {i for i, a in called.items() if a.raised_on == day}
    until = _end_of(day)
    columns = [getattr(RaisedAction, name) for name in Saved._fields]
    saved = select(*columns).where(
        RaisedAction.raised_on <= day,
        or_(RaisedAction.closed_at.is_(None), RaisedAction.closed_at >= until),
    )
    if pupil_ids is not None:
        saved = saved.where(RaisedAction.pupil_id.in_(pupil_ids))
    rows = {(r.pupil_id, r.kind, r.key): r for r in map(Saved._make, session.execute(saved))}
    idents = set(called) | set(rows)
    closed = _closed(session, idents, until)
    ids = {i[0] for i in idents if i not in closed and i not in called}
    pupils = pupils_named(session, ids) if ids else {}
    actions: dict[Ident, Action] = {}
    for ident, action in called.items():
        row = rows.get(ident)
        raised = row.raised_on if row else first_seen[ident]
        if ident not in today:  # called for on a day not yet saved, but not today
            if row is not None:  # as saved: the wording the rules last gave it then
                action = replace(
                    action,
                    due=row.due,
                    day=row.day,
                    detail=row.detail,
                    open_detail=row.open_detail,
                )
            action = _still_open(replace(action, raised_on=raised), day)
        elif raised != action.raised_on:
            action = replace(action, raised_on=raised)
        actions[ident] = action
    for ident, row in rows.items():
        if ident not in actions and (pupil := pupils.get(row.pupil_id)):
            actions[ident] = _from_row(row, pupil, day)
    earlier = [a for i, a in actions.items() if i not in today and i not in closed]
    answers = find_answers(session, earlier, until)
    answered = {a.action.ident for a in answers}
    open_ = [a for i, a in actions.items() if i not in closed and i not in answered]
    # Saved with the wording the rules gave it, on the first day they called for it.
    new = [
        a if a.raised_on == first_seen[i] else replace(a, raised_on=first_seen[i])
        for i, a in called.items()
        if i not in rows and i not in closed
    ]
    return Worklist(sorted(open_, key=sort_key), new, today, rows, answers)


def _closed(session: Session, idents: set[Ident], until: datetime) -> set[Ident]:
    """Which of `idents` a person closed before `until`."""
    if not idents:
        return set()
    pupil_ids = {i[0] for i in idents}
    return {
        (o.pupil_id, o.kind, o.key)
        for o in session.execute(
            select(ActionOutcome.pupil_id, ActionOutcome.kind, ActionOutcome.key).where(
                ActionOutcome.pupil_id.in_(pupil_ids), ActionOutcome.at < until
            )
        )
    } & idents


def _from_row(row: Saved, pupil: Who, day: date) -> Action:
    """An action raised earlier that the rules no longer call for, still open."""
    action = Action(
        pupil_id=pupil.id,
        upn=pupil.upn,
        name=pupil.display_name,
        group=pupil.group,
        kind=row.kind,
        due=row.due,
        day=row.day,
        detail=row.detail,
        key=row.key,
        risk=0 if is_vulnerable(pupil) else 1,
        open_detail=row.open_detail,
        raised_on=row.raised_on,
        overdue=row.due < day,
    )
    return _still_open(action, day)


def _still_open(action: Action, day: date) -> Action:
    since = f"Still open since {day_text((action.raised_on or day), year=False)}: "
    return replace(
        action,
        detail=since + action.detail,
        open_detail=since + action.open_detail,
        still_open=True,
        overdue=action.due < day,
    )


def actions_for_day(session: Session, day: date, policy: Policy | None = None) -> list[Action]:
    """The worklist for `day`, most urgent first: vulnerable pupils, then the longest
    absences, then the oldest due date. Reads only; `raise_actions` saves it."""
    return work_out(session, day, policy or current_policy(session)).open


def open_keys(
    session: Session, pupil_id: int, day: date, kinds: Collection[str]
) -> set[tuple[str, str]]:
    """(kind, key) of one pupil's open actions of `kinds` on `day`: those the rules call for
    now and those raised earlier and not closed (what a safe-and-well step answers)."""
    found = {
        (a.kind, a.key)
        for a in derive_actions(
            session, day, current_policy(session), pupil_ids={pupil_id}, absence_only=True
        )
        if a.kind in kinds
    }
    found |= {
        (kind, key)
        for kind, key in session.execute(
            select(RaisedAction.kind, RaisedAction.key).where(
                RaisedAction.pupil_id == pupil_id,
                RaisedAction.kind.in_(kinds),
                RaisedAction.closed_at.is_(None),
            )
        )
    }
    closed = _closed(session, {(pupil_id, k, key) for k, key in found}, datetime.max)
    return {(k, key) for k, key in found if (pupil_id, k, key) not in closed}
