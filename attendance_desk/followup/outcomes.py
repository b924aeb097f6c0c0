"""Completing or dismissing a worklist action: how a person takes one off the list.

Only the roles the kind catalogue names may close a kind (safeguarding actions: the DSL,
the deputy DSL and the head), checked here whatever screen or command asks.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.followup.actions import Action
from attendance_desk.followup.errors import FollowupError
from attendance_desk.followup.kinds import kind_of, require_may_close
from attendance_desk.followup.raising import mark_closed
from attendance_desk.models import ActionOutcome, User


class OutcomeError(FollowupError):
    """An outcome that cannot be recorded (no reason for a dismissal, already closed)."""


def close_action(
    session: Session,
    *,
    action: Action,
    done: bool,
    note: str,
    user: User,
    now: datetime,
) -> ActionOutcome:
    """Record that `action` was done (with what happened) or dismissed (with why).

    Raises `NotAllowed` when the user's role may not close this kind of action.
    """
    try:
        kind_of(action.kind)
    except ValueError as exc:
        raise OutcomeError(str(exc)) from None
    require_may_close(user, action.kind)
    if not note.strip():
        raise OutcomeError("say what was done" if done else "a dismissal needs a reason")
    exists = session.scalar(
        select(ActionOutcome).where(
            ActionOutcome.pupil_id == action.pupil_id,
            ActionOutcome.kind == action.kind,
            ActionOutcome.key == action.key,
        )
    )
    if exists is not None:
        raise OutcomeError(
            f"this action was already closed by {exists.user_name} at {exists.at:%H:%M}"
        )
    outcome = record_outcome(
        session,
        pupil_id=action.pupil_id,
        kind=action.kind,
        key=action.key,
        done=done,
        note=note.strip(),
        user=user,
        now=now,
    )
    audit.record(
        session,
        user=user,
        now=now,
        action=outcome.status,
        entity="action",
        entity_id=outcome.id,
        kind=action.kind,
        pupil_id=action.pupil_id,
        note=note,
    )
    return outcome


def record_outcome(
    session: Session,
    *,
    pupil_id: int,
    kind: str,
    key: str,
    done: bool,
    note: str,
    user: User,
    now: datetime,
) -> ActionOutcome:
    """Write the outcome row and mark the saved action closed; the caller has checked the
    user may, and audits the step that closed it."""
    outcome = ActionOutcome(
        pupil_id=pupil_id,
        kind=kind,
        key=key,
        status="done" if done else "dismissed",
        note=note,
        at=now,
        user_id=user.id,
        user_name=user.full_name,
    )
    session.add(outcome)
    session.flush()
    mark_closed(session, pupil_id, kind, key, now)
    return outcome
