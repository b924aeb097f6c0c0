"""The lock file beside the database: taken once, stale locks taken over, the warning shown."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from attendance_desk.store import instance_lock
from attendance_desk.ui.store.instance_warning import claim_database, warning_text

SINCE = datetime(2025, 9, 12, 8, 15)


def finished_pid() -> int:
    """The id of a process that has already exited."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(child.stdout)


def write_lock(db_path: Path, *, pid: int, host: str) -> Path:
    path = instance_lock.lock_path(db_path)
    path.write_text(json.dumps({"pid": pid, "host": host, "since": SINCE.isoformat()}))
    return path


def test_first_takes_the_lock_and_the_second_is_told_who(tmp_path: Path) -> None:
    """The first window holds the lock; a second gets None and can read who holds it, since when."""
    db = tmp_path / "attendance.db"
    first = instance_lock.acquire(db, now=SINCE)
    assert first is not None
    assert instance_lock.lock_path(db) == tmp_path / "attendance.db.lock"
    assert instance_lock.acquire(db) is None
    holder = instance_lock.holder(db)
    assert holder == instance_lock.LockInfo(first.info.pid, socket.gethostname(), SINCE)
    first.release()
    assert not instance_lock.lock_path(db).exists()
    assert instance_lock.holder(db) is None
    again = instance_lock.acquire(db)
    assert again is not None
    again.release()


def test_a_lock_left_by_a_crashed_process_is_taken_over(tmp_path: Path) -> None:
    """A lock naming a process on this computer that is no longer running is stale."""
    db = tmp_path / "attendance.db"
    write_lock(db, pid=finished_pid(), host=socket.gethostname())
    assert instance_lock.holder(db) is None
    with instance_lock.acquire(db) as lock:
        assert lock is not None and instance_lock.read(lock.path) == lock.info
    assert not instance_lock.lock_path(db).exists()


def test_a_lock_from_another_computer_is_believed(tmp_path: Path) -> None:
    """A process on another PC cannot be tested from here, so its lock stands."""
    db = tmp_path / "attendance.db"
    write_lock(db, pid=finished_pid(), host="office-pc-2")
    assert instance_lock.acquire(db) is None
    holder = instance_lock.holder(db)
    assert holder is not None and holder.host == "office-pc-2" and holder.since == SINCE


def test_an_unreadable_lock_is_replaced(tmp_path: Path) -> None:
    """A lock file with nonsense in it (a half-written file from a crash) is taken over."""
    db = tmp_path / "attendance.db"
    path = instance_lock.lock_path(db)
    path.write_text("{not json")
    os.utime(path, (0, 0))  # written long ago, so not one being written this very moment
    lock = instance_lock.acquire(db)
    assert lock is not None
    lock.release()


def test_release_leaves_a_lock_someone_else_took_over(tmp_path: Path) -> None:
    """Releasing removes the file only while it still holds this process's lock."""
    db = tmp_path / "attendance.db"
    lock = instance_lock.acquire(db)
    assert lock is not None
    write_lock(db, pid=lock.info.pid, host="office-pc-2")
    lock.release()
    assert instance_lock.lock_path(db).exists()


def test_pid_running() -> None:
    """This process is running; an exited one and a nonsense id are not."""
    assert instance_lock.pid_running(os.getpid())
    assert not instance_lock.pid_running(finished_pid())
    assert not instance_lock.pid_running(0)


def test_warning_text() -> None:
    """The window's warning names the PC and the time (the date too when not today)."""
    other = instance_lock.LockInfo(4242, "office-pc-2", SINCE)
    assert warning_text(other, SINCE + timedelta(hours=2)) == (
        "Another Attendance Desk is open on this database (office-pc-2, since 08:15): "
        "changes are still safe (each mark is checked before saving)"
    )
    mine = instance_lock.LockInfo(4242, socket.gethostname(), SINCE)
    assert "(this PC, since Fri 12 Sep 08:15)" in warning_text(mine, SINCE + timedelta(days=1))


def test_second_window_shows_the_warning(qtbot: QtBot, tmp_path: Path) -> None:
    """The first window takes the lock quietly; the second shows the badge in its status bar."""
    db = tmp_path / "attendance.db"
    first, second = QMainWindow(), QMainWindow()
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    lock = claim_database(first, db, now=lambda: SINCE)
    assert lock is not None and first.findChild(QLabel, "instance_warning") is None
    assert claim_database(second, db, now=lambda: SINCE) is None
    badge = second.findChild(QLabel, "instance_warning")
    assert badge is not None and badge.text() == (
        "Also open on this PC since 08:15: changes are still safe"
    )
    assert badge.toolTip().startswith(warning_text(lock.info, SINCE))
    lock.release()
