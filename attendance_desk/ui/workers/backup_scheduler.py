"""Backs the database up at start-up and daily while the window is open, off the UI thread.

Every hour it asks whether a day has passed since the last backup it made (a PC that slept
through the night catches up when it wakes); a backup that failed is tried again the next
hour, so a USB stick plugged in later is used. The status line says when the last backup
was made, and turns into a warning when no backup is younger than 24 hours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.store import backup
from attendance_desk.store.db import NotAFile
from attendance_desk.ui.operations.background import in_background
from attendance_desk.ui.widgets.style import ALERT, MUTED
from attendance_desk.wording import plural

CHECK_MS = 60 * 60 * 1000
DAY = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class BackupOutcome:
    """What one run did: the file made, or why none was, and the age of the newest backup."""

    at: datetime
    path: Path | None
    error: str | None
    age: timedelta | None


def status_line(outcome: BackupOutcome) -> tuple[str, bool, str]:
    """The status bar text, whether it is a warning, and its tooltip."""
    if outcome.path is not None:
        return f"Backed up {outcome.at:%H:%M}", False, f"Latest backup: {outcome.path}"
    tip = f"The backup at {outcome.at:%H:%M} failed: {outcome.error}"
    if outcome.age is None:
        return "No backup yet: check the backup folder", True, tip
    if outcome.age > DAY:
        return f"Last backup {ago(outcome.age)}: check the backup folder", True, tip
    return f"Backup failed; last backup {ago(outcome.age)}", False, tip


def ago(age: timedelta) -> str:
    """`3 days ago`, `5 hours ago`, `12 minutes ago`."""
    if age >= timedelta(days=2):
        return f"{plural(age.days, 'day')} ago"
    if age >= timedelta(hours=1):
        return f"{plural(int(age.total_seconds() // 3600), 'hour')} ago"
    return f"{plural(int(age.total_seconds() // 60), 'minute')} ago"


class _Signals(QObject):
    finished = Signal(object)


class _BackupRun(QRunnable):
    def __init__(self, factory: sessionmaker[Session], now: datetime, signals: _Signals) -> None:
        super().__init__()
        self._factory, self._now, self._signals = factory, now, signals

    def run(self) -> None:
        engine = self._factory.kw["bind"]
        db_path = Path(str(engine.url.database))
        folder = backup.default_folder(db_path)
        try:
            folder = in_background(self._factory, lambda s: backup.backup_folder(s, db_path))
            made = backup.backup_to(engine, folder, self._now)
        except Exception as exc:  # a background failure must never take the window down
            age = backup.last_backup_age(folder, self._now)
            self._signals.finished.emit(BackupOutcome(self._now, None, str(exc), age))
            return
        self._signals.finished.emit(BackupOutcome(self._now, made, None, timedelta(0)))


class BackupScheduler(QObject):
    """`start` it once; `status` carries (text, is_warning, tooltip) after each run."""

    status = Signal(str, bool, str)

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._factory, self._now = factory, now
        self.last_success: datetime | None = None
        self.running = False
        self._signals = _Signals()
        self._signals.finished.connect(self._finished)
        self._timer = QTimer(self, interval=CHECK_MS)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        """Back up now, then look every hour whether the next one is due."""
        self._timer.start()
        self.back_up_now()

    def stop(self) -> None:
        self._timer.stop()

    def due(self) -> bool:
        """True when no backup has succeeded in this window for a day (or at all)."""
        return self.last_success is None or self._now() - self.last_success >= DAY

    def tick(self) -> None:
        if self.due():
            self.back_up_now()

    def back_up_now(self) -> bool:
        """Start a backup in the thread pool; False when one is already running."""
        if self.running:
            return False
        self.running = True
        QThreadPool.globalInstance().start(_BackupRun(self._factory, self._now(), self._signals))
        return True

    def _finished(self, outcome: BackupOutcome) -> None:
        self.running = False
        if outcome.path is not None:
            self.last_success = outcome.at
        self.status.emit(*status_line(outcome))


class BackupStatusLabel(QLabel):
    """The status bar's backup line: quiet when all is well, a red badge when overdue."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backup_status")
        self.setAccessibleName("Backup status")
        self.setStyleSheet(MUTED)

    def show_status(self, text: str, warning: bool, tip: str) -> None:
        self.setText(text)
        self.setToolTip(tip)
        self.setStyleSheet(ALERT if warning else MUTED)


def attach(
    window: QMainWindow, factory: sessionmaker[Session], now: Callable[[], datetime]
) -> BackupScheduler:
    """Put the backup line in `window`'s status bar and start backing up."""
    label = BackupStatusLabel(window)
    window.statusBar().addWidget(label)
    scheduler = BackupScheduler(factory, now, window)
    if factory.kw["bind"].dialect.name != "sqlite":  # a server: backed up where it runs
        label.show_status("Backups: on the database server", False, str(NotAFile()))
        return scheduler
    scheduler.status.connect(label.show_status)
    scheduler.start()
    return scheduler
