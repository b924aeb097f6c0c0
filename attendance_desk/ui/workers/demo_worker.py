"""Building the demo school on a worker thread, committed only when it is complete."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QThread, Signal
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.ui.operations.background import in_background

DEMO_PUPILS = 300
DEMO_WEEKS = 12
DEMO_SEED = 1


class _Cancelled(Exception):
    """Raised inside the demo builder's progress callback to roll the transaction back."""


class DemoWorker(QThread):
    """Runs `demo.build_demo` in its own session; the signals arrive on the UI thread.

    `cancel()` takes effect at the builder's next progress report: the transaction rolls
    back, so a cancelled demo leaves the database exactly as it was.
    """

    progressed = Signal(int, int)  # done, total
    succeeded = Signal(object)  # the builder's DemoSummary
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        factory: sessionmaker[Session],
        today: date,
        *,
        pupils: int = DEMO_PUPILS,
        weeks: int = DEMO_WEEKS,
        seed: int = DEMO_SEED,
    ) -> None:
        super().__init__()
        self._factory = factory
        self._today = today
        self._options = {"pupils": pupils, "weeks": weeks, "seed": seed}
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:  # the worker thread
        try:
            build_demo = _builder()
        except ImportError:
            self.failed.emit("The demo school is not part of this version of Attendance Desk.")
            return

        def build(session: Session) -> object:
            summary = build_demo(
                session, **self._options, today=self._today, progress=self._progress
            )
            if self._stop.is_set():
                raise _Cancelled  # rolls the whole school back
            return summary

        try:
            summary = in_background(self._factory, build)
        except _Cancelled:
            self.cancelled.emit()
        except Exception as exc:  # shown to the user; the transaction has rolled back
            self.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.succeeded.emit(summary)

    def _progress(self, done: int, total: int) -> None:
        if self._stop.is_set():
            raise _Cancelled
        self.progressed.emit(done, total)


def _builder() -> Callable[..., object]:
    from attendance_desk.demo.school import build_demo

    return build_demo
