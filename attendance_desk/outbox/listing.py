"""The outbox as the office sees it: what waits, what failed and why; Retry and Cancel.

The status bar's counts, the outbox list and `outbox list --json` all come from here.
Retry makes a message due now (one more try; a failed one that fails again is failed
again at once). Cancel keeps the message, marked cancelled by whom; both are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.models import OutboxMessage, Pupil, User
from attendance_desk.outbox.senders import senders_from_settings
from attendance_desk.outbox.sending import rows_updated

STATUS_LABELS = {
    "held": "Held until the register is checked",
    "queued": "Waiting",
    "sending": "Sending",
    "sent": "Sent",
    "failed": "Failed",
    "cancelled": "Cancelled",
}
KIND_LABELS = {"email": "Email", "sms": "Text"}
PENDING = ("held", "queued", "sending", "failed")


class OutboxError(ValueError):
    """Retry or Cancel cannot apply to this message; the text says why."""


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One message in the outbox list."""

    id: int
    kind: str
    to: str
    subject: str
    body: str
    status: str
    tries: int
    last_error: str | None
    created: datetime
    next_try: datetime | None
    sent: datetime | None
    upn: str | None
    pupil: str | None

    @property
    def can_retry(self) -> bool:
        return self.status == "failed" or (self.status == "queued" and self.tries > 0)

    @property
    def can_cancel(self) -> bool:
        return self.status in ("held", "queued", "failed")

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "to": self.to,
            "status": self.status,
            "tries": self.tries,
            "last_error": self.last_error,
            "subject": self.subject,
            "created": self.created.isoformat(timespec="seconds"),
            "next_try": self.next_try.isoformat(timespec="seconds") if self.next_try else None,
            "sent": self.sent.isoformat(timespec="seconds") if self.sent else None,
            "upn": self.upn,
        }


def outbox_rows(session: Session, *, everything: bool = False) -> list[OutboxRow]:
    """Messages not yet sent (failed ones included), oldest first; with `everything`,
    the sent and cancelled ones too. A message waiting on a channel that is not set up
    says so as its last error, whether or not a send has been tried yet."""
    query = (
        select(
            OutboxMessage,
            Pupil.upn,
            Pupil.preferred_forename,
            Pupil.legal_forename,
            Pupil.legal_surname,
        )
        .outerjoin(Pupil, Pupil.id == OutboxMessage.pupil_id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    if not everything:
        query = query.where(OutboxMessage.status.in_(PENDING))
    missing = senders_from_settings(session).missing
    rows = []
    for message, upn, preferred, forename, surname in session.execute(query):
        waits_for_settings = message.status == "queued" and message.channel in missing
        rows.append(
            OutboxRow(
                id=message.id,
                kind=message.channel,
                to=message.recipient,
                subject=message.subject,
                body=message.body,
                status=message.status,
                tries=message.attempts,
                last_error=missing[message.channel] if waits_for_settings else message.last_error,
                created=message.created_at,
                next_try=message.next_attempt_at if message.status == "queued" else None,
                sent=message.sent_at,
                upn=upn,
                pupil=f"{preferred or forename} {surname}" if upn else None,
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class OutboxSummary:
    """The counts behind the status bar, and the channels that are not set up."""

    queued: int
    held: int
    sending: int
    failed: int
    #: channel → what to set up, for each channel with no sender
    missing: dict[str, str]
    #: queued messages on a channel that is not set up
    blocked: int

    @property
    def waiting(self) -> int:
        return self.queued + self.held + self.sending


def outbox_summary(session: Session) -> OutboxSummary:
    counts: dict[str, int] = {
        status: count
        for status, count in session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.status.in_(PENDING))
            .group_by(OutboxMessage.status)
        )
    }
    missing = senders_from_settings(session).missing
    blocked = (
        session.scalar(
            select(func.count()).where(
                OutboxMessage.status == "queued", OutboxMessage.channel.in_(missing)
            )
        )
        or 0
    )
    return OutboxSummary(
        counts.get("queued", 0),
        counts.get("held", 0),
        counts.get("sending", 0),
        counts.get("failed", 0),
        missing,
        blocked,
    )


def retry(session: Session, *, message_id: int, user: User, now: datetime) -> None:
    """Make a failed message, or one waiting after a failed try, due now (audited)."""
    require(user, Permission.LOG_CALLS)
    message = _message(session, message_id)
    row_status = message.status
    if not (row_status == "failed" or (row_status == "queued" and message.attempts > 0)):
        raise OutboxError(f"message {message_id} {_why_not(message)}: there is nothing to retry")
    _change(session, message, status="queued", next_attempt_at=now)
    audit.record(
        session,
        user=user,
        now=now,
        action="retry",
        entity="outbox",
        entity_id=message_id,
        to=message.recipient,
        was=row_status,
        tries=message.attempts,
    )


def cancel(session: Session, *, message_id: int, user: User, now: datetime) -> None:
    """Stop a message from being sent; it stays in the outbox, marked who cancelled it."""
    require(user, Permission.LOG_CALLS)
    message = _message(session, message_id)
    row_status = message.status
    if row_status not in ("held", "queued", "failed"):
        raise OutboxError(f"message {message_id} {_why_not(message)}: it cannot be cancelled")
    _change(
        session,
        message,
        status="cancelled",
        last_error=f"cancelled by {user.full_name} at {now:%H:%M on %a %d %b}",
    )
    audit.record(
        session,
        user=user,
        now=now,
        action="cancel",
        entity="outbox",
        entity_id=message_id,
        to=message.recipient,
        kind=message.channel,
        was=row_status,
    )


def _message(session: Session, message_id: int) -> OutboxMessage:
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise OutboxError(f"there is no message {message_id} in the outbox")
    return message


def _why_not(message: OutboxMessage) -> str:
    if message.status == "sent" and message.sent_at is not None:
        return f"was sent at {message.sent_at:%H:%M on %a %d %b}"
    return {
        "sending": "is being sent right now",
        "cancelled": "was cancelled",
        "held": "is held until the register is checked",
        "queued": "is waiting for its first try",
    }.get(message.status, f"is {message.status}")


def _change(session: Session, message: OutboxMessage, **values: Any) -> None:
    """Change a message only if nobody (another PC, the sender) changed it since it was read."""
    done = rows_updated(
        session,
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == message.status)
        .values(**values)
        .execution_options(synchronize_session=False),
    )
    if done != 1:
        raise OutboxError(
            f"message {message.id} changed on another PC meanwhile; look at the list again"
        )
    session.expire(message)
