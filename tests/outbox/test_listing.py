"""The outbox list and counts, and the office's Retry and Cancel: checked, audited, and
safe against another PC changing the same message."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.models import AuditEvent, OutboxMessage
from attendance_desk.outbox import listing
from attendance_desk.outbox import messages as messaging
from attendance_desk.outbox.senders import NOT_SET_UP
from tests.helpers.builders import add_pupil, add_staff, build_school
from tests.helpers.mail import use_smtp

NOW = datetime(2025, 9, 8, 9, 35)


def queue(session: Session, status: str, *, to: str = "a@b.example", tries: int = 0) -> int:
    message = messaging.queue(session, channel="email", recipient=to, body="x", now=NOW)
    message.status, message.attempts = status, tries
    if status == "sent":
        message.sent_at = NOW
    session.flush()
    return message.id


def test_summary_counts_waiting_and_failed_and_names_what_is_not_set_up(
    session: Session,
) -> None:
    """Waiting is queued + held + sending; failed is separate; sent and cancelled are not
    counted; with no text sender the queued text is 'blocked' on Settings."""
    _, user = build_school(session)
    for status in ("queued", "held", "sending", "failed", "sent", "cancelled"):
        queue(session, status)
    messaging.queue(session, channel="sms", recipient="07700 900001", body="x", now=NOW)
    use_smtp(session, user, 2525, now=NOW)
    summary = listing.outbox_summary(session)
    assert (summary.queued, summary.held, summary.sending, summary.failed) == (2, 1, 1, 1)
    assert summary.waiting == 4
    assert summary.missing == {"sms": NOT_SET_UP["sms"]} and summary.blocked == 1


def test_rows_and_json_shape(session: Session) -> None:
    """`outbox list --json`'s keys, the pupil's UPN, pending only unless everything; a text
    waiting on a channel not set up says so."""
    build_school(session)
    amy = add_pupil(session, 1)
    text = messaging.queue(
        session, channel="sms", recipient="07700 900001", body="Amy", now=NOW, pupil_id=amy.id
    )
    queue(session, "sent")
    (row,) = listing.outbox_rows(session)
    data = json.loads(json.dumps(row.as_json()))
    assert {"id", "kind", "to", "status", "tries", "last_error"} <= set(data)
    assert data["id"] == text.id and data["kind"] == "sms" and data["to"] == "07700 900001"
    assert (data["status"], data["tries"], data["upn"]) == ("queued", 0, amy.upn)
    assert data["last_error"] == NOT_SET_UP["sms"]
    assert row.pupil == "Amy Smith"
    assert [r.status for r in listing.outbox_rows(session, everything=True)] == [
        "queued",
        "sent",
    ]


def test_retry_makes_a_failed_message_due_now_and_is_audited(session: Session) -> None:
    """Retry on a failed message queues it for now, keeps its tries, and audits who."""
    _, user = build_school(session)
    message_id = queue(session, "failed", tries=8)
    later = NOW + timedelta(hours=5)
    listing.retry(session, message_id=message_id, user=user, now=later)
    message = session.get(OutboxMessage, message_id)
    assert message is not None
    assert (message.status, message.next_attempt_at, message.attempts) == ("queued", later, 8)
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity == "outbox")).one()
    assert (event.action, event.entity_id, event.user_name) == (
        "retry",
        message_id,
        "School office",
    )
    assert json.loads(event.detail)["was"] == "failed"


def test_cancel_keeps_the_message_marked_and_audited(session: Session) -> None:
    """Cancel marks a held text cancelled by whom (it is kept), audited; it is then out of
    the pending list and cannot be cancelled or retried again."""
    _, user = build_school(session)
    message_id = queue(session, "held", to="07700 900001")
    listing.cancel(session, message_id=message_id, user=user, now=NOW)
    message = session.get(OutboxMessage, message_id)
    assert message is not None and message.status == "cancelled"
    assert message.last_error == "cancelled by School office at 09:35 on Mon 08 Sep"
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity == "outbox")).one()
    assert event.action == "cancel" and json.loads(event.detail)["to"] == "07700 900001"
    assert listing.outbox_rows(session) == []
    with pytest.raises(listing.OutboxError, match="was cancelled: it cannot be cancelled"):
        listing.cancel(session, message_id=message_id, user=user, now=NOW)
    with pytest.raises(listing.OutboxError, match="nothing to retry"):
        listing.retry(session, message_id=message_id, user=user, now=NOW)


@pytest.mark.parametrize(
    ("status", "tries", "action", "problem"),
    [
        ("sent", 1, listing.cancel, "was sent at 09:35 on Mon 08 Sep: it cannot be cancelled"),
        ("sending", 0, listing.cancel, "is being sent right now"),
        ("held", 0, listing.retry, "is held until the register is checked"),
        ("queued", 0, listing.retry, "is waiting for its first try"),
    ],
)
def test_what_cannot_be_retried_or_cancelled_says_why(
    session: Session, status: str, tries: int, action: object, problem: str
) -> None:
    """Retry and Cancel refuse messages they cannot apply to, saying why."""
    _, user = build_school(session)
    message_id = queue(session, status, tries=tries)
    with pytest.raises(listing.OutboxError, match=problem):
        action(session, message_id=message_id, user=user, now=NOW)  # type: ignore[operator]


def test_a_class_teacher_may_not_cancel(session: Session) -> None:
    """Retry and Cancel are for the office staff who log calls, not class teachers."""
    build_school(session)
    teacher = add_staff(session, pat="admin", tom="teacher")["tom"]
    message_id = queue(session, "failed", tries=8)
    with pytest.raises(NotAllowed):
        listing.cancel(session, message_id=message_id, user=teacher, now=NOW)


def test_a_message_changed_by_another_pc_meanwhile_is_not_overwritten(
    factory: sessionmaker[Session], session: Session
) -> None:
    """If the message was sent (by this PC's sender or another) after the list was read,
    Cancel is refused and the message stays sent."""
    _, user = build_school(session)
    message_id = queue(session, "queued", tries=1)
    session.commit()
    read = session.get(OutboxMessage, message_id)  # the list is read here …
    assert read is not None and read.status == "queued"
    with factory() as other:
        other.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(status="sent", sent_at=NOW)
        )
        other.commit()  # … and the message is sent meanwhile
    with pytest.raises(listing.OutboxError, match="changed on another PC"):
        listing.cancel(session, message_id=message_id, user=user, now=NOW)
