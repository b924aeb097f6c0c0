"""Sends the outbox in the background: every minute, at once when asked (a text was
queued, Retry was pressed), and when the network comes back (see `PeriodicRunner`).

Each run claims and sends in its own database sessions (`outbox.sending.send_due`), so
another PC or a scheduled `outbox send` never sends the same message too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.outbox.sending import send_due, wake_waiting
from attendance_desk.ui.operations.background import in_background
from attendance_desk.ui.workers.periodic_runner import PeriodicRunner

INTERVAL_MS = 60_000


class OutboxSender(PeriodicRunner):
    """`start` it once; `finished` carries each run's `SendReport` (or why it could not run)."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(factory, now, parent, interval_ms=INTERVAL_MS, failed="could not send")
        self._wake = False

    def send_now(self) -> None:
        self.run_now()

    def _back_online(self) -> None:
        """What waits after a failed try is due now: the next run wakes it first."""
        self._wake = True

    def _work(self) -> Callable[[], object]:
        factory, clock = self._factory, self._now
        wake, self._wake = self._wake, False

        def send() -> object:
            if wake:
                in_background(factory, lambda session: wake_waiting(session, now=clock()))
            return send_due(factory, clock=clock)

        return send
