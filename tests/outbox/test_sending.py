"""Sending the outbox to real loopback servers: once only, with growing waits, failed never
dropped, held absence texts only after the register check, and "not set up" kept apart."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import Mark, OutboxMessage
from attendance_desk.outbox import messages as messaging
from attendance_desk.outbox import sending
from attendance_desk.outbox.senders import (
    NOT_SET_UP,
    HttpSmsSender,
    SenderSetup,
    SmtpSender,
    senders_from_settings,
)
from tests.helpers.builders import add_pupil, build_school, mark_days
from tests.helpers.mail import FROM, TEXT_DOMAIN, free_port, smtp_server, text_gateway, use_smtp

MON = date(2025, 9, 8)
NOW = datetime(2025, 9, 8, 9, 35)


def email(session: Session, to: str = "head@hillside.example", at: datetime = NOW) -> int:
    message = messaging.queue(
        session, channel="email", recipient=to, subject="Attendance", body="96.1%", now=at
    )
    session.commit()
    return message.id


def smtp_setup(port: int) -> SenderSetup:
    return SenderSetup({"email": SmtpSender("127.0.0.1", port, FROM, starttls=False)}, {})


def stored(session: Session, message_id: int) -> OutboxMessage:
    session.expire_all()
    message = session.get(OutboxMessage, message_id)
    assert message is not None
    return message


def test_down_then_up_delivers_once_the_wait_is_over(
    factory: sessionmaker[Session], session: Session
) -> None:
    """With the server down the email waits a minute and says why; once it is up and the
    minute has passed it is delivered, with its From, To and Subject."""
    message_id = email(session)
    report = sending.send_due(factory, clock=lambda: NOW, setup=smtp_setup(free_port()))
    assert [a.outcome for a in report.attempts] == ["retry"] and not report.ok
    message = stored(session, message_id)
    assert (message.status, message.attempts) == ("queued", 1)
    assert "cannot be reached" in (message.last_error or "")
    assert message.next_attempt_at == NOW + timedelta(minutes=1)
    with smtp_server() as server:
        early = sending.send_due(factory, clock=lambda: NOW, setup=smtp_setup(server.port))
        assert early.attempts == () and server.received == []
        later = NOW + timedelta(minutes=1)
        report = sending.send_due(factory, clock=lambda: later, setup=smtp_setup(server.port))
    assert report.ok and report.count("sent") == 1
    message = stored(session, message_id)
    assert (message.status, message.sent_at, message.last_error) == ("sent", later, None)
    (received,) = server.received
    assert (received["From"], received["To"], received["Subject"]) == (
        FROM,
        "head@hillside.example",
        "Attendance",
    )


def test_waits_grow_then_the_message_is_failed_with_its_error(
    factory: sessionmaker[Session], session: Session
) -> None:
    """Each failed try waits longer (1, 2, 5, 15, 60, 60, 60 minutes); the eighth marks
    the message failed with the last error, still in the outbox for the office."""
    message_id = email(session)
    dead = smtp_setup(free_port())
    when, waits = NOW, []
    for _ in range(sending.MAX_TRIES):
        report = sending.send_due(factory, clock=lambda at=when: at, setup=dead)
        assert len(report.attempts) == 1
        message = stored(session, message_id)
        if message.status == "queued":
            waits.append(int((message.next_attempt_at - when).total_seconds() // 60))
            when = message.next_attempt_at
    assert waits == [1, 2, 5, 15, 60, 60, 60]
    assert report.attempts[0].outcome == "failed"
    message = stored(session, message_id)
    assert (message.status, message.attempts) == ("failed", sending.MAX_TRIES)
    assert "cannot be reached" in (message.last_error or "")
    later = sending.send_due(factory, clock=lambda: when + timedelta(days=1), setup=dead)
    assert later.attempts == ()  # failed stays failed until someone presses Retry


def test_two_senders_at_once_send_each_message_once(
    factory: sessionmaker[Session], session: Session
) -> None:
    """The window and a scheduled `outbox send` running together: every message reaches
    the server exactly once, whoever claimed it."""
    ids = [email(session, to=f"parent{n}@example.org") for n in range(8)]
    reports: list[sending.SendReport] = []
    with smtp_server(delay=0.05) as server:
        setup = smtp_setup(server.port)
        runs = [
            threading.Thread(
                target=lambda: reports.append(
                    sending.send_due(factory, clock=lambda: NOW, setup=setup)
                )
            )
            for _ in range(2)
        ]
        for run in runs:
            run.start()
        for run in runs:
            run.join(timeout=60)
    assert len(reports) == 2
    assert sorted(server.recipients) == sorted(f"parent{n}@example.org" for n in range(8))
    assert sum(report.count("sent") for report in reports) == 8
    assert {stored(session, i).status for i in ids} == {"sent"}


def test_a_claimed_message_is_not_sent_by_another_run(
    factory: sessionmaker[Session], session: Session
) -> None:
    """A message another PC is sending right now is left alone."""
    message_id = email(session)
    session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id).values(status="sending")
    )
    session.commit()
    with smtp_server() as server:
        report = sending.send_due(factory, clock=lambda: NOW, setup=smtp_setup(server.port))
    assert report.attempts == () and server.received == []


def test_a_claim_left_by_a_stopped_program_becomes_failed_not_resent(
    factory: sessionmaker[Session], session: Session
) -> None:
    """A message left `sending` for longer than any send takes is shown as failed (it may
    have gone), never sent again without someone choosing Retry."""
    message_id = email(session)
    session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id).values(status="sending")
    )
    session.commit()
    later = NOW + sending.STALE_CLAIM + timedelta(minutes=1)
    with smtp_server() as server:
        sending.send_due(factory, clock=lambda: later, setup=smtp_setup(server.port))
    message = stored(session, message_id)
    assert (message.status, message.last_error) == ("failed", sending.INTERRUPTED)
    assert server.received == []


def test_not_set_up_waits_without_using_up_tries(
    factory: sessionmaker[Session], session: Session
) -> None:
    """With nothing in Settings → Messaging a text is not failed: it waits, tries 0, and
    says what to set up."""
    build_school(session)
    text = messaging.queue(session, channel="sms", recipient="07700 900001", body="x", now=NOW)
    session.commit()
    setup = senders_from_settings(session)
    assert setup.senders == {} and setup.missing == NOT_SET_UP
    report = sending.send_due(factory, clock=lambda: NOW)
    assert [(a.outcome, a.error) for a in report.attempts] == [("not_set_up", NOT_SET_UP["sms"])]
    assert not report.ok
    message = stored(session, text.id)
    assert (message.status, message.attempts) == ("queued", 0)
    assert (message.last_error or "").startswith("not set up: Settings → Messaging")


def test_unreachable_server_fails_the_others_on_that_channel_without_waiting(
    factory: sessionmaker[Session], session: Session
) -> None:
    """When the email server cannot be reached, the other emails due count the same failed
    try instead of each waiting for its own timeout."""
    ids = [email(session, to=f"p{n}@example.org") for n in range(3)]
    report = sending.send_due(factory, clock=lambda: NOW, setup=smtp_setup(free_port()))
    assert [a.outcome for a in report.attempts] == ["retry"] * 3
    assert len({a.error for a in report.attempts}) == 1
    assert {stored(session, i).attempts for i in ids} == {1}


def test_absence_texts_go_by_email_to_text_only_after_the_register_check(
    factory: sessionmaker[Session], session: Session
) -> None:
    """Held texts are not sent; "Register checked" releases the absent child's text, which
    reaches the email-to-text gateway, and the child on a trip never gets one."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    ben = add_pupil(session, 2, surname="Baker", forename="Ben")
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
    session.commit()
    with smtp_server() as server:
        use_smtp(session, user, server.port, now=NOW, text_domain=TEXT_DOMAIN)
        assert sending.send_due(factory, clock=lambda: NOW).attempts == ()
        trip = session.scalars(select(Mark).where(Mark.pupil_id == ben.id)).one()
        trip.code = "V"
        messaging.review_session(session, day=MON, session_name="AM", user=user, now=NOW)
        session.commit()
        report = sending.send_due(factory, clock=lambda: NOW)
    assert report.ok and report.count("sent") == 1
    assert server.recipients == [f"07700900001@{TEXT_DOMAIN}"]
    (received,) = server.received
    assert "Hillside: Amy was not in school this morning" in received.get_payload()
    statuses = dict(session.execute(select(OutboxMessage.pupil_id, OutboxMessage.status)).all())
    assert statuses == {amy.id: "sent", ben.id: "cancelled"}


def test_http_gateway_gets_the_number_and_text_and_a_refusal_is_that_message_only(
    factory: sessionmaker[Session], session: Session
) -> None:
    """A text gateway URL is called with the number and text; when the gateway refuses a
    message (HTTP 400) only that message waits, with the gateway's answer as its error."""
    text = messaging.queue(
        session, channel="sms", recipient="07700 900001", body="Amy absent & no reason", now=NOW
    )
    session.commit()
    with text_gateway() as gateway:
        url = f"http://127.0.0.1:{gateway.port}/send?to={{to}}&text={{text}}"
        setup = SenderSetup({"sms": HttpSmsSender(url)}, {})
        assert sending.send_due(factory, clock=lambda: NOW, setup=setup).ok
        assert gateway.texts == [("07700 900001", "Amy absent & no reason")]
        assert stored(session, text.id).status == "sent"
        gateway.answer = 400
        refused = messaging.queue(session, channel="sms", recipient="0", body="y", now=NOW)
        session.commit()
        report = sending.send_due(factory, clock=lambda: NOW, setup=setup)
    assert [a.outcome for a in report.attempts] == ["retry"]
    assert "answered 400" in (stored(session, refused.id).last_error or "")


def test_network_back_makes_waiting_messages_due_now(session: Session) -> None:
    """When the network returns, a message waiting an hour after failed tries is due now;
    a message never tried is untouched."""
    waiting = messaging.queue(session, channel="email", recipient="a@b.example", body="x", now=NOW)
    waiting.attempts, waiting.next_attempt_at = 5, NOW + timedelta(hours=1)
    fresh = messaging.queue(
        session, channel="email", recipient="c@d.example", body="y", now=NOW + timedelta(hours=2)
    )
    session.flush()
    assert sending.wake_waiting(session, now=NOW) == 1
    assert waiting.next_attempt_at == NOW
    assert fresh.next_attempt_at == NOW + timedelta(hours=2)
