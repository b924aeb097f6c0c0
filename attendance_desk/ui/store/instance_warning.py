"""Telling the office that another Attendance Desk has the same database open.

Nothing is blocked: two windows on one database are safe because every mark is checked
against the version loaded before it is saved. The warning is there so that nobody is
surprised when a register changes under them, and so that a restore waits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QLabel, QMainWindow

from attendance_desk.store import instance_lock
from attendance_desk.store.instance_lock import InstanceLock, LockInfo
from attendance_desk.ui.widgets.style import alert
from attendance_desk.uk_dates import moment_text


def warning_text(info: LockInfo, now: datetime) -> str:
    """'Another Attendance Desk is open on this database (PC, since HH:MM): …'."""
    return (
        f"Another Attendance Desk is open on this database ({_where(info, now)}): "
        "changes are still safe (each mark is checked before saving)"
    )


def badge_text(info: LockInfo, now: datetime) -> str:
    """The same, short enough for the status bar of a 1366-pixel screen."""
    return f"Also open on {_where(info, now).replace(', since', ' since')}: changes are still safe"


def _where(info: LockInfo, now: datetime) -> str:
    where = "this PC" if info.here else info.host
    same_day = info.since.date() == now.date()
    when = f"{info.since:%H:%M}" if same_day else moment_text(info.since, year=False)
    return f"{where}, since {when}"


def claim_database(
    window: QMainWindow, db_path: Path, *, now: Callable[[], datetime] = datetime.now
) -> InstanceLock | None:
    """Take the database's lock file for this window, or show who else holds it.

    Returns the lock to `release()` when the window closes (None when another instance
    has it; a warning badge named `instance_warning` is then first in the status bar, with
    the whole `warning_text` as its tooltip and accessible name).
    """
    lock = instance_lock.acquire(db_path, now=now())
    if lock is not None:
        return lock
    info = instance_lock.holder(db_path)
    if info is None:  # it was released a moment ago
        return instance_lock.acquire(db_path, now=now())
    label = alert(QLabel(badge_text(info, now())))
    label.setObjectName("instance_warning")
    label.setAccessibleName(warning_text(info, now()))
    label.setToolTip(
        f"{warning_text(info, now())}.\n\nLock file: {instance_lock.lock_path(db_path)}. If "
        "that PC crashed, the warning clears once Attendance Desk is opened and closed there."
    )
    window.statusBar().insertWidget(0, label)
    return None
