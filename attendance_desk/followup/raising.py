"""Saving the worklist: what the rules raised is kept until a person closes it.

`raise_actions` (the Today tab, the `actions` command) saves each newly raised action, keeps
the latest wording of those still called for, notes those the rules stopped calling for
(they stay open, and the pupil's chronology says so), closes those a recorded act answered,
and records the school days swept. `worklist` works out what to save.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.followup.actions import Action
from attendance_desk.followup.answered import Answer
from attendance_desk.followup.kinds import KIND_LABELS
from attendance_desk.followup.worklist import Saved, Worklist, days_to_derive, last_swept, work_out
from attendance_desk.models import ActionOutcome, ActionSweep, RaisedAction, User
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.followup_policy import Policy, current_policy
from attendance_desk.store.upsert import insert_ignoring_duplicates


def raise_actions(
    session: Session,
    *,
    day: date,
    user: User,
    now: datetime,
    policy: Policy | None = None,
    pupil_ids: Collection[int] | None = None,
) -> list[Action]:
    """Save what the rules raise up to `day` and return the worklist for `day`.

    Saves each newly raised action, notes in the pupil's record an action the rules no
    longer call for (it stays open), closes those a recorded act answered, and records as
    swept the school days before today (`now`), whose actions are then all kept.

    With `pupil_ids`, only those pupils' actions are worked out, saved and returned (what
    one change touched); no day is recorded as swept, since the rest were not raised.
    """
    policy = policy or current_policy(session)
    days = [] if pupil_ids is not None else days_to_derive(session, day)
    if pupil_ids is None and last_swept(session) is None:
        # The first refresh: earlier days are history the worklist never raised, so the
        # sweeps start from the school day before this one.
        before = load_calendar(session).previous_school_day(day)
        days = [before, *days] if before is not None and before < now.date() else days
    work = work_out(session, day, policy, pupil_ids)
    insert_ignoring_duplicates(
        session,
        RaisedAction,
        [
            {
                "pupil_id": a.pupil_id,
                "kind": a.kind,
                "key": a.key,
                "raised_on": a.raised_on or day,
                "due": a.due,
                "day": a.day,
                "detail": a.detail[:500],
                "open_detail": a.open_detail[:500],
                "called_for_on": day,
            }
            for a in work.new
        ],
    )
    _refresh_rows(session, work, day)
    _close_answered(session, work.answers, user, now)
    insert_ignoring_duplicates(
        session,
        ActionSweep,
        [{"day": d, "swept_at": now} for d in days if d < now.date()],
    )
    session.flush()
    return work.open


def _refresh_rows(session: Session, work: Worklist, day: date) -> None:
    """Keep each saved action's latest wording (once a day); note when the rules stopped
    calling for it."""
    current = {a.ident: a for a in work.open}
    answered = {a.action.ident for a in work.answers}
    reworded: list[dict[str, object]] = []
    superseded: list[dict[str, object]] = []
    for ident, row in work.rows.items():
        action = current.get(ident)
        if ident in work.called_for and action is not None and row.called_for_on < day:
            reworded.append(
                {
                    "id": row.id,
                    "called_for_on": day,
                    "due": action.due,
                    "day": action.day,
                    "detail": action.detail[:500],
                    "open_detail": action.open_detail[:500],
                }
            )
        elif (
            ident not in work.called_for
            and ident not in answered
            and row.superseded_on is None
            and row.called_for_on < day
        ):
            superseded.append(
                {"id": row.id, "superseded_on": day, "superseded_by": _superseded_by(work, row)}
            )
    for changes in (reworded, superseded):
        if changes:
            session.execute(update(RaisedAction), changes)  # by primary key, in bulk


def _superseded_by(work: Worklist, row: Saved) -> str:
    later = sorted({KIND_LABELS[k].lower() for (p, k, _) in work.called_for if p == row.pupil_id})
    if later:
        return f"the rules moved on to: {', '.join(later)}"
    return "the record no longer calls for it"


def _close_answered(session: Session, answers: list[Answer], user: User, now: datetime) -> None:
    for answer in answers:
        action = answer.action
        insert_ignoring_duplicates(
            session,
            ActionOutcome,
            [
                {
                    "pupil_id": action.pupil_id,
                    "kind": action.kind,
                    "key": action.key,
                    "status": "done",
                    "note": answer.note[:500],
                    "at": answer.at,
                    "user_id": answer.user_id,
                    "user_name": answer.user_name,
                }
            ],
        )
        mark_closed(session, action.pupil_id, action.kind, action.key, answer.at)
        audit.record(
            session,
            user=user,
            now=now,
            action="answered",
            entity="action",
            kind=action.kind,
            pupil_id=action.pupil_id,
            key=action.key,
            by=answer.user_name,
            note=answer.note,
        )


def mark_closed(session: Session, pupil_id: int, kind: str, key: str, at: datetime) -> None:
    """Note on the saved action (if it was saved) that it was closed at `at`."""
    session.execute(
        update(RaisedAction)
        .where(
            RaisedAction.pupil_id == pupil_id,
            RaisedAction.kind == kind,
            RaisedAction.key == key,
            RaisedAction.closed_at.is_(None),
        )
        .values(closed_at=at)
    )
