"""What the safe-and-well wizard reads and prints around the pages it saves (`checks`).

The wizard opens the pupil's check (resuming an unfinished one) and shows its context; it
keeps a copy of the check as stored to fill each page; it prints the letter to leave at the
door with the staff names typed on the visit page before that page is saved; and it prints
the CME notification and the police request summary from the check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from attendance_desk.models import SafeAndWellCheck, User
from attendance_desk.safeguarding.check_context import CheckContext, check_context
from attendance_desk.safeguarding.checks import CheckError, default_decision, open_check
from attendance_desk.safeguarding.documents import visit_letter

#: A document printed from a check: `documents.cme_notice` or `documents.police_summary`.
Document = Callable[[Session, SafeAndWellCheck, User, datetime], bytes]


@dataclass(frozen=True, slots=True)
class OpenedCheck:
    """A check opened for the wizard, with what its first page and the decision show."""

    check_id: int
    user_name: str
    default_decision: str
    context: CheckContext


def begin_check(session: Session, *, pupil_id: int, user: User, now: datetime) -> OpenedCheck:
    """Open the pupil's check for `user` (the unfinished one, or a new one for this absence;
    safeguarding roles only) with the child's context for its first page."""
    check = open_check(session, pupil_id=pupil_id, user=user, now=now)
    return OpenedCheck(
        check.id,
        user.full_name,
        default_decision(session, check),
        check_context(session, check, now),
    )


def _stored(session: Session, check_id: int) -> SafeAndWellCheck:
    check = session.get(SafeAndWellCheck, check_id)
    if check is None:
        raise CheckError("that check does not exist")
    return check


def check_as_saved(session: Session, check_id: int) -> SafeAndWellCheck:
    """The check as stored, its next steps loaded, detached from `session`: the wizard's
    pages read it after the session has closed."""
    check = _stored(session, check_id)
    _ = check.next_steps  # loaded while the session is open
    session.expunge_all()
    return check


def draft_visit_letter(
    session: Session, *, check_id: int, staff: tuple[str, str], now: datetime
) -> bytes:
    """The letter to leave at the property, naming the `staff` typed on the visit page;
    nothing is kept (the page is saved with Next). `DocumentIncomplete` says what is missing."""
    check = _stored(session, check_id)
    try:
        check.staff_one, check.staff_two = staff
        return visit_letter(session, check, now)
    finally:
        session.rollback()


def check_document(
    session: Session, build: Document, *, check_id: int, user: User, now: datetime
) -> bytes:
    """A document for the check's pupil, printed by `user` (who the document checks may)."""
    return build(session, _stored(session, check_id), user, now)
