"""The one guard every writer of a pupil's record calls: a pupil taken off roll is read-only.

Once the date of deletion has passed, the admission register entry, the contacts and the
marks of a removed pupil are the record the school keeps for six years; nothing may change
them. The check is cheap for pupils still on roll (no query), because a removal always sets
`on_roll_to`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.models import Pupil, RollChange
from attendance_desk.roll.grounds import BY_KEY
from attendance_desk.uk_dates import day_text


class RecordClosed(ValueError):
    """The pupil left the roll; their record can be read but not changed."""


def removal_of(session: Session, pupil: Pupil) -> RollChange | None:
    """The pupil's removal from roll, if there is one."""
    if pupil.on_roll_to is None:
        return None
    return session.scalar(
        select(RollChange)
        .where(RollChange.pupil_id == pupil.id, RollChange.kind == "removal")
        .order_by(RollChange.effective_on.desc())
        .limit(1)
    )


def ensure_record_open(session: Session, pupil: Pupil, *, today: date, what: str = "") -> None:
    """Raise `RecordClosed` when `pupil` was taken off roll before `today`.

    Args:
        what: the thing being changed ("marks", "contacts"…), for the message.
    """
    if pupil.on_roll_to is None or pupil.on_roll_to >= today:
        return
    removal = removal_of(session, pupil)
    if removal is None or removal.effective_on >= today:
        return
    ground = BY_KEY.get(removal.ground or "")
    why = f" ({ground.title})" if ground else ""
    thing = f"; {what} not changed" if what else ""
    raise RecordClosed(
        f"{pupil.display_name} ({pupil.upn}) left the roll on {day_text(removal.effective_on)}"
        f"{why}: their record is read-only{thing}"
    )
