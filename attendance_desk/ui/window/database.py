"""The window's database: a file on this PC or a server's address, and what only a file
allows (the lock file that warns of a second window, a restore from a backup).

A server is shared by design: it takes no lock file, and it is backed up and restored where
it runs, so File → Restore says so instead of asking for a backup.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMessageBox,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, allowed
from attendance_desk.models import User
from attendance_desk.store.db import Location, NotAFile
from attendance_desk.ui.operations.run import audited, read_as


def file_of(location: Location) -> Path | None:
    """The database file at `location`, or None for a server's address."""
    return location if isinstance(location, Path) else None


def may_change_settings(factory: sessionmaker[Session], now: Callable[[], datetime]) -> bool:
    """Whether the logged-in member of staff is the administrator (settings, backups)."""
    return read_as(factory, now, lambda _s, user, _n: allowed(user, Permission.CHANGE_SETTINGS))


class Backups:
    """File → Restore from a backup (choose, confirm, restore, restart on the restored file)
    and File → Backup passphrase."""

    def __init__(
        self,
        window: QMainWindow,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        location: Location,
    ) -> None:
        self._window, self._factory, self._now = window, factory, now
        self._file = file_of(location)

    def ask(self) -> None:
        """Choose a backup, confirm, restore it, and restart on the restored database."""
        window = self._window
        if self._file is None:
            QMessageBox.information(window, "Restore", str(NotAFile()))
            return
        if not may_change_settings(self._factory, self._now):
            QMessageBox.information(window, "Restore", "Only the administrator can restore.")
            return
        from attendance_desk.store import backup

        file = self._file
        folder = read_as(self._factory, self._now, lambda s, _u, _n: backup.backup_folder(s, file))
        name, _ = QFileDialog.getOpenFileName(
            window, "Restore from a backup", str(folder), "Attendance Desk backups (*.db *.enc)"
        )
        if not name:
            return
        answer = QMessageBox.question(
            window,
            "Restore from a backup",
            f"Replace the school's database with {Path(name).name}?\n\nThe current database is "
            "kept beside it, not deleted. Attendance Desk then restarts.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            aside = self.restore(Path(name))
        except (backup.BackupError, OSError) as exc:
            QMessageBox.warning(window, "Not restored", str(exc))
            return
        QMessageBox.information(
            window, "Restored", f"Restored. The previous database is kept as {aside}."
        )
        QProcess.startDetached(sys.executable, sys.argv)
        window.close()

    def restore(self, backup_file: Path) -> Path | None:
        """Close every connection, then put the checked backup in place (audited in the
        kept-aside database before, and in the restored one after)."""
        from attendance_desk.store import restoring
        from attendance_desk.store.restore_audit import record_restore

        if self._file is None:
            raise NotAFile()

        def record(session: Session, user: User, now: datetime) -> str:
            audit.record(
                session,
                user=user,
                now=now,
                action="restore",
                entity="database",
                backup=str(backup_file),
            )
            return user.username

        username = audited(self._factory, self._now, record)
        self._factory.kw["bind"].dispose()
        aside = restoring.restore(
            backup_file, self._file, self._now(), passphrase=self._ask_passphrase
        )
        record_restore(
            self._file, backup_file=backup_file, username=username, aside=aside, now=self._now()
        )
        return aside

    def passphrase(self) -> QDialog | None:
        """The administrator's dialog for the passphrase that encrypts backups."""
        if not may_change_settings(self._factory, self._now):
            QMessageBox.information(
                self._window, "Backup passphrase", "Only the administrator can set it."
            )
            return None
        from attendance_desk.ui.store.backup_passphrase_dialog import BackupPassphraseDialog

        dialog = BackupPassphraseDialog(self._factory, self._now, self._window)
        dialog.show()
        return dialog

    def _ask_passphrase(self) -> str | None:
        """The backup passphrase for an encrypted backup (None when the person cancels)."""
        text, ok = QInputDialog.getText(
            self._window,
            "Encrypted backup",
            "This backup is encrypted. Type the backup passphrase (it is on the school's "
            "recovery sheet):",
            QLineEdit.EchoMode.Password,
        )
        return text if ok and text else None
