"""Fetches the absence inbox in the background, off the UI thread: every two minutes, at
once when asked (Fetch now), and when the network comes back. Offline it waits.

Each run claims messages by UID in the database (`inbox.fetching.fetch_all`), so every
office PC running the window and a scheduled `inbox fetch` never keep a message twice.
One run at a time: asking during a run starts another as soon as it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtNetwork import QNetworkInformation
from sqlalchemy.orm import Session, sessionmaker

INTERVAL_MS = 120_000
#: How long closing the window waits for a fetch in progress (longer than its timeout).
STOP_WAIT_MS = 30_000


class _Signals(QObject):
    finished = Signal(object)


class _FetchRun(QRunnable):
    def __init__(
        self, factory: sessionmaker[Session], clock: Callable[[], datetime], signals: _Signals
    ) -> None:
        super().__init__()
        self._factory, self._clock, self._signals = factory, clock, signals

    def run(self) -> None:
        try:
            from attendance_desk.inbox.fetching import fetch_all  # mail libraries: when used

            result: object = fetch_all(self._factory, clock=self._clock)
        except Exception as exc:  # a background failure must never take the window down
            result = f"could not fetch: {exc}"
        self._signals.finished.emit(result)


class InboxFetcher(QObject):
    """`start` it once; `finished` carries each run's list of `FetchReport` (or why not)."""

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
        self._signals = _Signals()  # not parented: a late run emits into nothing
        self._signals.finished.connect(self._finished)
        self._timer = QTimer(self, interval=INTERVAL_MS)
        self._timer.timeout.connect(self.fetch_now)
        self._watch_network()
        if (app := QCoreApplication.instance()) is not None:
            app.aboutToQuit.connect(self.stop)

    def start(self) -> None:
        self._timer.start()
        self.fetch_now()

    def stop(self) -> None:
        self._timer.stop()
        self._again = False
        self._pool.waitForDone(STOP_WAIT_MS)

    def fetch_now(self) -> None:
        if self.running:
            self._again = True
            return
        self.running = True
        self._pool.start(_FetchRun(self._factory, self._now, self._signals))

    def network_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        """Back online: fetch now rather than at the next tick."""
        offline = (
            QNetworkInformation.Reachability.Disconnected,
            QNetworkInformation.Reachability.Unknown,
        )
        if reachability not in offline and self._timer.isActive():
            self.fetch_now()

    def _watch_network(self) -> None:
        feature = QNetworkInformation.Feature.Reachability
        if QNetworkInformation.instance() is None:
            QNetworkInformation.loadBackendByFeatures(feature)
        info = QNetworkInformation.instance()
        if info is not None:
            info.reachabilityChanged.connect(self.network_changed)

    def _finished(self, result: object) -> None:
        self.running = False
        self.finished.emit(result)
        if self._again:
            self._again = False
            self.fetch_now()
