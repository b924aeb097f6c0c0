"""Completing or dismissing a worklist action: the only way one leaves the list early."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk import audit
from attendance_desk.followup.rules import ROLE_OF, Action
from attendance_desk.models import ActionOutcome, User


class OutcomeError(ValueError):
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
    """Record that `action` was done (with what happened) or dismissed (with why)."""
    if action.kind not in ROLE_OF:
        raise OutcomeError(f"'{action.kind}' is not a worklist action")
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
    outcome = ActionOutcome(
        pupil_id=action.pupil_id,
        kind=action.kind,
        key=action.key,
        status="done" if done else "dismissed",
        note=note.strip(),
        at=now,
        user_id=user.id,
        user_name=user.full_name,
    )
    session.add(outcome)
    session.flush()
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
