"""Sends the outbox in the background, off the UI thread: every minute, at once when asked
(a text was queued, Retry was pressed), and when the network comes back.

Each run claims and sends in its own database sessions (`outbox.sending.send_due`), so
another PC or a scheduled `outbox send` never sends the same message too. One run at a
time: asking during a run starts another as soon as it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtNetwork import QNetworkInformation
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.outbox.sending import send_due, wake_waiting
from attendance_desk.store.db import transaction

INTERVAL_MS = 60_000
#: How long closing the window waits for a send in progress (longer than a sender's timeout).
STOP_WAIT_MS = 30_000


class _Signals(QObject):
    finished = Signal(object)


class _SendRun(QRunnable):
    def __init__(
        self,
        factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        signals: _Signals,
        *,
        wake: bool,
    ) -> None:
        super().__init__()
        self._factory, self._clock, self._signals, self._wake = factory, clock, signals, wake

    def run(self) -> None:
        try:
            if self._wake:
                with transaction(self._factory) as session:
                    wake_waiting(session, now=self._clock())
            report: object = send_due(self._factory, clock=self._clock)
        except Exception as exc:  # a background failure must never take the window down
            report = f"could not send: {exc}"
        self._signals.finished.emit(report)


class OutboxSender(QObject):
    """`start` it once; `finished` carries each run's `SendReport` (or why it could not run)."""

    finished = Signal(object)

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._factory, self._now = factory, now
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.running = False
        self._again = False
        self._wake = False
        # Not parented: a run still going when the window is deleted emits into nothing.
        self._signals = _Signals()
        self._signals.finished.connect(self._finished)
        self._timer = QTimer(self, interval=INTERVAL_MS)
        self._timer.timeout.connect(self.send_now)
        self._watch_network()
        if (app := QCoreApplication.instance()) is not None:  # quitting waits for a send
            app.aboutToQuit.connect(self.stop)

    def start(self) -> None:
        self._timer.start()
        self.send_now()

    def stop(self) -> None:
        """No more runs; wait (a little) for one in progress, so nothing is left half-sent."""
        self._timer.stop()
        self._again = False
        self._pool.waitForDone(STOP_WAIT_MS)

    def send_now(self) -> None:
        if self.running:
            self._again = True
            return
        self.running = True
        wake, self._wake = self._wake, False
        self._pool.start(_SendRun(self._factory, self._now, self._signals, wake=wake))

    def network_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        """Back online: what waits after a failed try is due now, and a run starts."""
        offline = (
            QNetworkInformation.Reachability.Disconnected,
            QNetworkInformation.Reachability.Unknown,
        )
        if reachability in offline or not self._timer.isActive():
            return
        self._wake = True
        self.send_now()

    def _watch_network(self) -> None:
        feature = QNetworkInformation.Feature.Reachability
        if QNetworkInformation.instance() is None:
            QNetworkInformation.loadBackendByFeatures(feature)
        info = QNetworkInformation.instance()
        if info is not None:  # no backend on this system: the minute timer still runs
            info.reachabilityChanged.connect(self.network_changed)

    def _finished(self, result: object) -> None:
        self.running = False
        self.finished.emit(result)
        if self._again:
            self._again = False
            self.send_now()
