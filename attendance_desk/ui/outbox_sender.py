"""Sends the outbox in the background every minute, off the UI thread.

Each run opens its own database session, sends what is due (texts and emails held for a
session review are not due) and commits; a network that is down only means another try
later. The status line it emits tells the office what is waiting or has failed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk import messaging
from attendance_desk.db import transaction

INTERVAL_MS = 60_000


class _Signals(QObject):
    finished = Signal(str)


class _SendRun(QRunnable):
    def __init__(self, factory: sessionmaker[Session], now: datetime, signals: _Signals) -> None:
        super().__init__()
        self._factory, self._now, self._signals = factory, now, signals

    def run(self) -> None:
        try:
            with transaction(self._factory) as session:
                messaging.send_due(session, messaging.senders_from_settings(session), self._now)
                counts = messaging.outbox_counts(session)
        except Exception as exc:  # a background failure must never take the window down
            self._signals.finished.emit(f"Outbox: could not send ({exc})")
            return
        self._signals.finished.emit(describe(counts))


def describe(counts: dict[str, int]) -> str:
    """'Outbox: 3 waiting, 1 held for review, 1 failed' (empty when nothing is pending)."""
    parts = []
    if waiting := counts.get("queued", 0):
        parts.append(f"{waiting} waiting to send")
    if held := counts.get("held", 0):
        parts.append(f"{held} held until the register is checked")
    if failed := counts.get("failed", 0):
        parts.append(f"{failed} failed: see Settings")
    return "Outbox: " + ", ".join(parts) if parts else ""


class OutboxSender(QObject):
    """Start it once; `status` carries the outbox summary after each run."""

    status = Signal(str)

    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        super().__init__()
        self._factory, self._now = factory, now
        self._signals = _Signals()
        self._signals.finished.connect(self.status)
        self._timer = QTimer(self, interval=INTERVAL_MS)
        self._timer.timeout.connect(self.send_now)

    def start(self) -> None:
        self._timer.start()
        self.send_now()

    def send_now(self) -> None:
        QThreadPool.globalInstance().start(_SendRun(self._factory, self._now(), self._signals))
