"""Case notes on a pupil's file: the running record beside the checks, in categories; a
finished safe-and-well check is corrected by a note, never edited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.models import CaseNote, User
from attendance_desk.safeguarding.checks import CheckError

#: Case note categories; a "safeguarding" note is restricted to the DSL, deputy and head.
NOTE_CATEGORIES = {
    "general": "General",
    "attendance": "Attendance",
    "health": "Health",
    "family": "Family",
    "safeguarding": "Safeguarding (restricted)",
}


def add_note(
    session: Session,
    *,
    pupil_id: int,
    text: str,
    user: User,
    now: datetime,
    category: str = "general",
    check_id: int | None = None,
) -> CaseNote:
    """A case note in a category; a safeguarding note is restricted, and may be written only
    by those who may read it."""
    if category not in NOTE_CATEGORIES:
        raise CheckError(f"'{category}' is not a note category")
    restricted = category == "safeguarding"
    if restricted:
        require(user, Permission.RECORD_SAFEGUARDING)
    if not text.strip():
        raise CheckError("the note is empty")
    note = CaseNote(
        pupil_id=pupil_id,
        at=now,
        user_id=user.id,
        user_name=user.full_name,
        restricted=restricted,
        category=category,
        check_id=check_id,
        text=text.strip(),
    )
    session.add(note)
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="note",
        entity="pupil",
        entity_id=pupil_id,
        category=category,
    )
    return note
