"""The background sender: runs off the UI thread one at a time, and sends at once when the
network comes back instead of waiting out the retry delay."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtNetwork import QNetworkInformation
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import OutboxMessage
from attendance_desk.outbox import messages as messaging
from attendance_desk.outbox.sending import SendReport
from attendance_desk.ui.workers.outbox_sender import OutboxSender
from tests.helpers.builders import build_school
from tests.helpers.mail import smtp_server, use_smtp

NOW = datetime(2025, 9, 8, 10)


def test_asking_during_a_run_runs_once_more_after_it(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Two requests in a row make two runs, one after the other, each with a report."""
    build_school(session)
    sender = OutboxSender(factory, lambda: NOW)
    reports: list[object] = []
    sender.finished.connect(reports.append)
    sender.send_now()
    assert sender.running
    sender.send_now()
    qtbot.waitUntil(lambda: len(reports) == 2 and not sender.running, timeout=15_000)
    assert all(isinstance(report, SendReport) for report in reports)
    sender.stop()


def test_network_back_sends_what_waits_after_a_failed_try(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """An email waiting an hour after failed tries goes as soon as the network is back;
    a stopped sender ignores the network."""
    _, user = build_school(session)
    message = messaging.queue(session, channel="email", recipient="a@b.example", body="x", now=NOW)
    message.attempts, message.next_attempt_at = 5, NOW + timedelta(hours=1)
    with smtp_server() as server:
        use_smtp(session, user, server.port, now=NOW)
        sender = OutboxSender(factory, lambda: NOW)
        with qtbot.waitSignal(sender.finished, timeout=15_000):
            sender.start()
        assert server.recipients == []  # not due for an hour
        with qtbot.waitSignal(sender.finished, timeout=15_000):
            sender.network_changed(QNetworkInformation.Reachability.Online)
        assert server.recipients == ["a@b.example"]
    session.expire_all()
    assert session.get(OutboxMessage, message.id).status == "sent"  # type: ignore[union-attr]
    sender.stop()
    with qtbot.assertNotEmitted(sender.finished, wait=200):
        sender.network_changed(QNetworkInformation.Reachability.Online)
