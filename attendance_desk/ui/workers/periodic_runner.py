"""One background job run off the UI thread: on a timer, at once when asked, and when the
network comes back; offline it waits for the next tick.

One run at a time: asking during a run starts another as soon as it ends. A run that raises
reports why instead of taking the window down. The outbox's sender and the inbox's fetcher
are the two jobs; each says what one run does (`_work`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtNetwork import QNetworkInformation
from sqlalchemy.orm import Session, sessionmaker

#: How long closing the window waits for a run in progress (longer than a run's timeouts).
STOP_WAIT_MS = 30_000
OFFLINE = (QNetworkInformation.Reachability.Disconnected, QNetworkInformation.Reachability.Unknown)


class _Signals(QObject):
    finished = Signal(object)


class _Run(QRunnable):
    def __init__(self, work: Callable[[], object], failed: str, signals: _Signals) -> None:
        super().__init__()
        self._work, self._failed, self._signals = work, failed, signals

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # a background failure must never take the window down
            result = f"{self._failed}: {exc}"
        self._signals.finished.emit(result)


class PeriodicRunner(QObject):
    """`start` it once; `finished` carries each run's report (or, as text, why it failed)."""

    finished = Signal(object)

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        parent: QObject | None,
        *,
        interval_ms: int,
        failed: str,
    ) -> None:
        super().__init__(parent)
        self._factory, self._now, self._failed = factory, now, failed
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.running = False
        self._again = False
        # Not parented: a run still going when the window is deleted emits into nothing.
        self._signals = _Signals()
        self._signals.finished.connect(self._finished)
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.run_now)
        self._watch_network()
        if (app := QCoreApplication.instance()) is not None:  # quitting waits for a run
            app.aboutToQuit.connect(self.stop)

    def start(self) -> None:
        self._timer.start()
        self.run_now()

    def stop(self) -> None:
        """No more runs; wait (a little) for one in progress, so nothing is left half-done."""
        self._timer.stop()
        self._again = False
        self._pool.waitForDone(STOP_WAIT_MS)

    def run_now(self) -> None:
        if self.running:
            self._again = True
            return
        self.running = True
        self._pool.start(_Run(self._work(), self._failed, self._signals))

    def network_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        """Back online: run now rather than at the next tick."""
        if reachability in OFFLINE or not self._timer.isActive():
            return
        self._back_online()
        self.run_now()

    def _work(self) -> Callable[[], object]:
        """What one run does, in the worker thread: it may use the factory and the clock,
        never a widget."""
        raise NotImplementedError

    def _back_online(self) -> None:
        """Called on the UI thread before the run the network's return starts."""

    def _watch_network(self) -> None:
        feature = QNetworkInformation.Feature.Reachability
        if QNetworkInformation.instance() is None:
            QNetworkInformation.loadBackendByFeatures(feature)
        info = QNetworkInformation.instance()
        if info is not None:  # no backend on this system: the timer still runs
            info.reachabilityChanged.connect(self.network_changed)

    def _finished(self, result: object) -> None:
        self.running = False
        self.finished.emit(result)
        if self._again:
            self._again = False
            self.run_now()
