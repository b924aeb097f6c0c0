"""The outbox: held absence texts, review releases or cancels, SMTP delivery and retries."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk import messaging
from attendance_desk.models import Mark, OutboxMessage
from tests.helpers.builders import add_pupil, build_school, mark_days

MON = date(2025, 9, 8)
NOW = datetime(2025, 9, 8, 9, 35)


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.received: list = []

    def handle_message(self, message) -> None:  # type: ignore[no-untyped-def]
        self.received.append(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_texts_are_held_until_review_and_trip_is_cancelled(session: Session) -> None:
    """Two absence texts are held; after review the child recoded V gets none, the other is sent."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    ben = add_pupil(session, 2, surname="Baker")
    mark_days(session, amy, user, {(MON, "AM"): "N"})
    mark_days(session, ben, user, {(MON, "AM"): "N"})
    for pupil in (amy, ben):
        messaging.queue_absence_text(
            session,
            pupil=pupil,
            contact=pupil.contacts[0],
            day=MON,
            session_name="AM",
            school_name="Hillside",
            now=NOW,
        )
    assert {m.status for m in session.scalars(select(OutboxMessage))} == {"held"}
    trip = session.scalars(select(Mark).where(Mark.pupil_id == ben.id)).one()
    trip.code = "V"
    result = messaging.review_session(session, day=MON, session_name="AM", user=user, now=NOW)
    assert (result.released, result.cancelled) == (1, 1)
    status = {m.pupil_id: m.status for m in session.scalars(select(OutboxMessage))}
    assert status == {amy.id: "queued", ben.id: "cancelled"}
    body = session.scalars(select(OutboxMessage.body).where(OutboxMessage.pupil_id == amy.id)).one()
    assert "Hillside: Amy was not in school this morning (Mon 08 Sep)" in body


def test_after_review_new_texts_go_straight_to_queue(session: Session) -> None:
    """Once a session is reviewed, a text about it is not held."""
    _, user = build_school(session)
    amy = add_pupil(session, 1)
    messaging.review_session(session, day=MON, session_name="AM", user=user, now=NOW)
    message = messaging.queue_absence_text(
        session,
        pupil=amy,
        contact=amy.contacts[0],
        day=MON,
        session_name="AM",
        school_name="Hillside",
        now=NOW,
    )
    assert message.status == "queued"


def test_offline_then_online_delivers_by_smtp(session: Session, smtp_server: tuple) -> None:
    """With the server down the email waits and retries later; once it is up it is delivered."""
    inbox, port = smtp_server
    message = messaging.queue(
        session,
        channel="email",
        recipient="head@school.example",
        subject="Daily attendance",
        body="96.1% today",
        now=NOW,
    )
    dead = messaging.SmtpSender(
        "127.0.0.1", free_port(), "office@school.example", starttls=False, timeout=2
    )
    assert messaging.send_due(session, {"email": dead}, NOW) == (0, 1)
    assert message.status == "queued" and message.attempts == 1 and message.last_error
    assert message.next_attempt_at == NOW + timedelta(minutes=1)
    live = messaging.SmtpSender("127.0.0.1", port, "office@school.example", starttls=False)
    assert messaging.send_due(session, {"email": live}, NOW) == (0, 0)  # not due yet
    later = NOW + timedelta(minutes=2)
    assert messaging.send_due(session, {"email": live}, later) == (1, 0)
    assert message.status == "sent"
    (received,) = inbox.received
    assert received["To"] == "head@school.example"
    assert received["Subject"] == "Daily attendance"


def test_gives_up_after_many_failures(session: Session) -> None:
    """After the last retry a message is marked failed, with the error, for the office to see."""
    message = messaging.queue(session, channel="sms", recipient="07700 900001", body="x", now=NOW)
    when = NOW
    for _ in range(messaging.MAX_ATTEMPTS):
        messaging.send_due(session, {}, when)
        when += messaging.LONGEST_WAIT
    assert message.status == "failed"
    assert "no sms sender" in (message.last_error or "")
    assert messaging.outbox_counts(session) == {"failed": 1}


def test_http_gateway_fills_the_template(session: Session) -> None:
    """The text gateway is called with the number and text escaped into the URL."""
    calls: list[str] = []
    sender = messaging.HttpSmsSender(
        "http://gateway.invalid/send?to={to}&msg={text}",
        opener=lambda request, timeout: calls.append(request.full_url),
    )
    message = messaging.queue(
        session, channel="sms", recipient="07700 900001", body="Amy absent & no reason", now=NOW
    )
    messaging.send_due(session, {"sms": sender}, NOW)
    assert message.status == "sent"
    assert calls == [
        "http://gateway.invalid/send?to=07700%20900001&msg=Amy%20absent%20%26%20no%20reason"
    ]


def test_merge_leaves_unknown_fields_visible() -> None:
    """A template field with no value stays visible instead of vanishing."""
    assert messaging.merge("$pupil at $school", {"pupil": "Amy"}) == "Amy at $school"


def test_daily_summary_lists_absent_and_late(session: Session) -> None:
    """The summary email gives the figure, each absentee by group, and the lates."""
    from attendance_desk import daily_summary, settings

    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    ben = add_pupil(session, 2, surname="Baker")
    mark_days(session, amy, user, {(MON, "AM"): "I", (MON, "PM"): "I"})
    mark_days(session, ben, user, {(MON, "AM"): "L", (MON, "PM"): "\\"})
    subject, body = daily_summary.summary_text(session, MON)
    assert subject == "Hillside Primary: attendance Mon 08 Sep"
    assert "Attendance on Monday 08 September 2025: 50.0%" in body
    assert "Amy Adams: AM I, PM I" in body and "Amy Smith" not in body
    assert "Amy Baker (3A) L 0 min" in body
    settings.put(
        session, settings.SUMMARY_RECIPIENTS, "head@x.example, slt@x.example", user=user, now=NOW
    )
    assert len(daily_summary.queue_summary(session, MON, NOW)) == 2
