"""File → Backup passphrase…: typed twice, the recovery sheet saved, backups then encrypted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import AuditEvent
from attendance_desk.store import backup_keys
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.store.backup_passphrase_dialog import BackupPassphraseDialog
from tests.helpers.builders import add_staff, build_school
from tests.printing.pdftext import pages

NOW = datetime(2025, 9, 12, 9, 0)
SECRET = "three blind mice see how they run"


@pytest.fixture
def dialog(qtbot: QtBot, factory: sessionmaker[Session], session: Session) -> Iterator:
    build_school(session)
    staff = add_staff(session, admin="admin")
    session.commit()
    set_user(staff["admin"].id)
    shown = BackupPassphraseDialog(factory, lambda: NOW)
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    set_user(None)


def type_twice(qtbot: QtBot, dialog: BackupPassphraseDialog, first: str, second: str) -> None:
    qtbot.keyClicks(dialog.passphrase, first)
    qtbot.keyClicks(dialog.again, second)
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)


def test_setting_the_passphrase_saves_the_sheet(
    qtbot: QtBot,
    dialog: BackupPassphraseDialog,
    session: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Set with two equal passphrases: the lock is stored and audited, the sheet saved
    (0600) with the passphrase and fingerprint on it, and printing is offered."""
    sheet = tmp_path / "sheet"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(sheet), ""))
    type_twice(qtbot, dialog, SECRET, SECRET)
    record = backup_keys.current(session)
    assert record is not None
    [text] = pages((tmp_path / "sheet.pdf").read_bytes())
    assert SECRET in text and record.fingerprint in text
    assert oct((tmp_path / "sheet.pdf").stat().st_mode & 0o777) == "0o600"
    assert "Backups are now encrypted" in dialog.message.text()
    assert dialog.print_button.isEnabled() and dialog.passphrase.text() == ""
    audited = session.query(AuditEvent).filter_by(action="set_backup_passphrase").one()
    assert record.fingerprint in audited.detail and SECRET not in audited.detail


def test_two_different_entries_change_nothing(
    qtbot: QtBot, dialog: BackupPassphraseDialog, session: Session
) -> None:
    """Typed differently, or too short: said so, nothing stored, no file asked for."""
    type_twice(qtbot, dialog, SECRET, SECRET + "!")
    assert "differ" in dialog.message.text()
    dialog.passphrase.clear()
    dialog.again.clear()
    type_twice(qtbot, dialog, "short", "short")
    assert "at least 12 characters" in dialog.message.text()
    assert backup_keys.current(session) is None
