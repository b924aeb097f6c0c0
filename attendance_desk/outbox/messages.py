"""The outbox: texts and emails are written here first and sent when the network is up.

Nothing is lost offline: a message stays `queued` until a sender succeeds (the
`attendance_desk.outbox` package claims, sends and retries it). Messages to parents about an
absence are `held` until the office has reviewed that session's register; if the review
shows the child was not absent after all (a trip coded `V`, a late arrival), the message is
cancelled instead of sent.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.followup.episodes import UNEXPLAINED
from attendance_desk.models import Contact, Mark, OutboxMessage, Pupil, SessionReview, User

ABSENCE_TEXT = (
    "$school: $pupil was not in school this $session_word ($date) and we have no reason. "
    "Please call the office today."
)


def merge(template: str, fields: Mapping[str, str]) -> str:
    """Fill `$name` merge fields; an unknown field is left visible rather than dropped."""
    return string.Template(template).safe_substitute(fields)


def queue(
    session: Session,
    *,
    channel: str,
    recipient: str,
    body: str,
    now: datetime,
    subject: str = "",
    pupil_id: int | None = None,
    hold_for: tuple[date, str] | None = None,
) -> OutboxMessage:
    """Put a message in the outbox; held until its session is reviewed if `hold_for`."""
    if channel not in ("email", "sms"):
        raise ValueError(f"a message goes by email or sms, not {channel!r}")
    if not recipient.strip():
        raise ValueError("the message has no recipient (no phone number or email address)")
    reviewed = hold_for is not None and _reviewed(session, *hold_for)
    message = OutboxMessage(
        channel=channel,
        recipient=recipient.strip(),
        subject=subject,
        body=body,
        pupil_id=pupil_id,
        hold_date=hold_for[0] if hold_for else None,
        hold_session=hold_for[1] if hold_for else None,
        status="held" if hold_for and not reviewed else "queued",
        created_at=now,
        next_attempt_at=now,
    )
    session.add(message)
    session.flush()
    return message


def _reviewed(session: Session, day: date, session_name: str) -> bool:
    return (
        session.scalar(
            select(SessionReview.id).where(
                SessionReview.date == day, SessionReview.session == session_name
            )
        )
        is not None
    )


@dataclass(frozen=True, slots=True)
class ReviewResult:
    released: int
    cancelled: int


def review_session(
    session: Session, *, day: date, session_name: str, user: User, now: datetime
) -> ReviewResult:
    """Confirm a session's register; release its held messages for pupils still absent
    without a reason, cancel those for pupils who turned out to be in or accounted for."""
    if not _reviewed(session, day, session_name):
        session.add(
            SessionReview(date=day, session=session_name, reviewed_at=now, user_name=user.full_name)
        )
    held = list(
        session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.status == "held",
                OutboxMessage.hold_date == day,
                OutboxMessage.hold_session == session_name,
            )
        )
    )
    codes_now = {
        pupil_id: code
        for pupil_id, code in session.execute(
            select(Mark.pupil_id, Mark.code).where(Mark.date == day, Mark.session == session_name)
        )
    }
    released = cancelled = 0
    for message in held:
        if codes_now.get(message.pupil_id or -1) in UNEXPLAINED:
            message.status, message.next_attempt_at = "queued", now
            released += 1
        else:
            message.status = "cancelled"
            message.last_error = (
                "not sent: the reviewed register shows the pupil was not absent without a reason"
            )
            cancelled += 1
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="review",
        entity="session",
        day=day,
        register_session=session_name,
        released=released,
        cancelled=cancelled,
    )
    return ReviewResult(released, cancelled)


def queue_absence_text(
    session: Session,
    *,
    pupil: Pupil,
    contact: Contact,
    day: date,
    session_name: str,
    school_name: str,
    now: datetime,
) -> OutboxMessage:
    """The first-day text to a contact, held until the office reviews that session."""
    if contact.do_not_contact:
        raise ValueError(f"{contact.name} must not be contacted")
    body = merge(
        ABSENCE_TEXT,
        {
            "school": school_name,
            "pupil": pupil.preferred_forename or pupil.legal_forename,
            "session_word": "morning" if session_name == "AM" else "afternoon",
            "date": f"{day:%a %d %b}",
        },
    )
    return queue(
        session,
        channel="sms",
        recipient=contact.phone or "",
        body=body,
        now=now,
        pupil_id=pupil.id,
        hold_for=(day, session_name),
    )
