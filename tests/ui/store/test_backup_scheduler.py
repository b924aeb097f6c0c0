"""The backup scheduler backs up off the UI thread and says how recent the last backup is."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.auth import office_user
from attendance_desk.school import settings
from attendance_desk.store import backup
from attendance_desk.ui.widgets.style import ALERT
from attendance_desk.ui.workers.backup_scheduler import (
    BackupOutcome,
    BackupScheduler,
    BackupStatusLabel,
    ago,
    attach,
    status_line,
)

pytestmark = pytest.mark.sqlite_only("the scheduler backs up the SQLite file")

NOW = datetime(2025, 9, 12, 9, 2)


def test_a_backup_lands_in_the_folder_beside_the_database(
    qtbot: QtBot, factory: sessionmaker[Session], db_path: Path
) -> None:
    """With no folder set, the backup goes to Backups beside the database; the line says when."""
    scheduler = BackupScheduler(factory, lambda: NOW)
    with qtbot.waitSignal(scheduler.status, timeout=10000) as signal:
        assert scheduler.back_up_now()
    assert signal.args[:2] == ["Backed up 09:02", False]
    [made] = backup.list_backups(db_path.parent / "Backups")
    assert made.at == NOW and str(made.path) in signal.args[2]
    assert scheduler.last_success == NOW and not scheduler.due()


def test_the_folder_comes_from_settings(
    qtbot: QtBot, factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """A backup folder set in Settings is used on the next run."""
    with factory() as session:
        settings.put(
            session,
            settings.BACKUP_FOLDER,
            str(tmp_path / "usb"),
            user=office_user(session),
            now=NOW,
        )
        session.commit()
    scheduler = BackupScheduler(factory, lambda: NOW)
    with qtbot.waitSignal(scheduler.status, timeout=10000):
        scheduler.back_up_now()
    assert len(backup.list_backups(tmp_path / "usb")) == 1


def test_a_failed_backup_with_an_old_one_warns(
    qtbot: QtBot, factory: sessionmaker[Session], db_path: Path
) -> None:
    """When today's backup cannot be written and the newest is 3 days old, it is a warning."""
    folder = db_path.parent / "Backups"
    backup.backup_to(db_path, folder, NOW - timedelta(days=3))
    (folder / f".{backup.backup_name(None, NOW)}.partial").mkdir()  # in the copy's way
    scheduler = BackupScheduler(factory, lambda: NOW)
    with qtbot.waitSignal(scheduler.status, timeout=10000) as signal:
        scheduler.back_up_now()
    assert signal.args[:2] == ["Last backup 3 days ago: check the backup folder", True]
    assert signal.args[2].startswith("The backup at 09:02 failed: could not back up")
    assert scheduler.due()  # so the next hourly look tries again


def test_no_backup_at_all_warns(
    qtbot: QtBot, factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """A backup folder that cannot be made, and no backup anywhere: a warning."""
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")
    with factory() as session:
        settings.put(
            session,
            settings.BACKUP_FOLDER,
            str(blocked / "sub"),
            user=office_user(session),
            now=NOW,
        )
        session.commit()
    scheduler = BackupScheduler(factory, lambda: NOW)
    with qtbot.waitSignal(scheduler.status, timeout=10000) as signal:
        scheduler.back_up_now()
    assert signal.args[:2] == ["No backup yet: check the backup folder", True]
    assert "cannot use the backup folder" in signal.args[2]


def test_due_after_a_day(qtbot: QtBot, factory: sessionmaker[Session]) -> None:
    """The hourly look starts a backup only once a day has passed since the last one."""
    clock = [NOW]
    scheduler = BackupScheduler(factory, lambda: clock[0])
    with qtbot.waitSignal(scheduler.status, timeout=10000):
        scheduler.start()
    clock[0] = NOW + timedelta(hours=23)
    with qtbot.assertNotEmitted(scheduler.status, wait=50):
        scheduler.tick()
    clock[0] = NOW + timedelta(hours=24)
    with qtbot.waitSignal(scheduler.status, timeout=10000) as signal:
        scheduler.tick()
    assert signal.args[0] == "Backed up 09:02"
    scheduler.stop()


def test_one_run_at_a_time(qtbot: QtBot, factory: sessionmaker[Session]) -> None:
    """A second request while a backup is running is turned down."""
    scheduler = BackupScheduler(factory, lambda: NOW)
    with qtbot.waitSignal(scheduler.status, timeout=10000):
        assert scheduler.back_up_now()
        assert not scheduler.back_up_now()


def test_status_lines() -> None:
    """Quiet after a backup; a warning only when the newest backup is over 24 hours old."""
    done = BackupOutcome(NOW, Path("/b/x.backup.db"), None, timedelta(0))
    assert status_line(done) == ("Backed up 09:02", False, "Latest backup: /b/x.backup.db")
    old = BackupOutcome(NOW, None, "disk full", timedelta(days=3, hours=2))
    assert status_line(old) == (
        "Last backup 3 days ago: check the backup folder",
        True,
        "The backup at 09:02 failed: disk full",
    )
    recent = BackupOutcome(NOW, None, "disk full", timedelta(hours=5))
    assert status_line(recent)[:2] == ("Backup failed; last backup 5 hours ago", False)
    assert ago(timedelta(minutes=1)) == "1 minute ago"
    assert ago(timedelta(hours=25)) == "25 hours ago"


def test_attach_puts_the_line_in_the_status_bar(
    qtbot: QtBot, factory: sessionmaker[Session]
) -> None:
    """`attach` adds the label to the window's status bar and shows the first run's result."""
    window = QMainWindow()
    qtbot.addWidget(window)
    scheduler = attach(window, factory, lambda: NOW)
    label = window.findChild(BackupStatusLabel, "backup_status")
    assert label is not None
    qtbot.waitUntil(lambda: label.text() == "Backed up 09:02", timeout=10000)
    label.show_status("Last backup 3 days ago: check the backup folder", True, "")
    assert label.styleSheet() == ALERT
    scheduler.stop()


def test_backup_age_agrees() -> None:
    """The status bar says 1 hour ago and 1 minute ago, not 1 hours or 1 minutes."""
    assert ago(timedelta(hours=1, minutes=5)) == "1 hour ago"
    assert ago(timedelta(minutes=1)) == "1 minute ago"
    assert ago(timedelta(days=3)) == "3 days ago"
