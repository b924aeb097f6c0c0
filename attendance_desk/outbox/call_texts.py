"""A text from the Calls panel: "Text sent" queues the absence text and logs the attempt.

Both in one transaction, text first: a contact who must not be contacted is refused before
anything is logged. The text is held until the office has checked that session's register
(`messages.review_session`), so a child on a trip never gets one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from attendance_desk.desk.calls import CallError, log_attempt
from attendance_desk.models import Contact, OutboxMessage, Pupil, User
from attendance_desk.outbox.messages import queue_absence_text
from attendance_desk.school.setup import school_name


def session_now(now: datetime) -> str:
    """The register session a moment falls in, for the texts it holds: AM before noon."""
    return "PM" if now.hour >= 12 else "AM"


def text_contact(
    session: Session, *, pupil_id: int, contact_id: int, user: User, now: datetime
) -> OutboxMessage:
    """Queue today's absence text to the pupil's contact, held for this session's review, and
    log "Text sent" against the contact; refused for another pupil's contact or one who
    must not be contacted."""
    pupil = session.get(Pupil, pupil_id)
    contact = session.get(Contact, contact_id)
    if pupil is None or contact is None or contact.pupil_id != pupil_id:
        raise CallError("that contact does not belong to this pupil")
    message = queue_absence_text(
        session,
        pupil=pupil,
        contact=contact,
        day=now.date(),
        session_name=session_now(now),
        school_name=school_name(session),
        now=now,
    )
    log_attempt(
        session, pupil_id=pupil_id, contact_id=contact_id, outcome="text_sent", user=user, now=now
    )
    return message
