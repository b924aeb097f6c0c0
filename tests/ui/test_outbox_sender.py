"""The background sender sends from its own thread and reports what is left."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk import messaging
from attendance_desk.models import OutboxMessage
from attendance_desk.ui.outbox_sender import OutboxSender, describe

NOW = datetime(2025, 9, 8, 10)


def test_offline_sender_reports_waiting(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """With no sender set up, a queued email stays queued and the status line says so."""
    messaging.queue(session, channel="email", recipient="a@b.example", body="x", now=NOW)
    session.commit()
    sender = OutboxSender(factory, lambda: NOW)
    with qtbot.waitSignal(sender.status, timeout=5000) as signal:
        sender.send_now()
    assert signal.args == ["Outbox: 1 waiting to send"]
    session.expire_all()
    message = session.scalars(select(OutboxMessage)).one()
    assert message.attempts == 1 and "no email sender" in (message.last_error or "")


def test_describe() -> None:
    """The status line names each pending state, and is empty when nothing is pending."""
    assert describe({"sent": 4}) == ""
    assert describe({"queued": 2, "held": 1, "failed": 1}) == (
        "Outbox: 2 waiting to send, 1 held until the register is checked, 1 failed: see Settings"
    )
