"""Starting the app: a database that cannot be opened is explained; a good one opens the window."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from attendance_desk.ui import app as app_module
from attendance_desk.ui.access.login_dialog import LoginDialog
from attendance_desk.ui.main_window import MainWindow
from attendance_desk.ui.school.welcome_wizard import WelcomeWizard
from tests.helpers.modal import answering
from tests.helpers.welcome import walk


def test_unreadable_database_shows_why_and_exits_2(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A file that is not a database gets a critical message and exit status 2."""
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a shopping list, not a database" * 100)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _parent, title, text: shown.append((title, text))
    )
    assert app_module.run(path) == 2
    ((title, text),) = shown
    assert "cannot open the database" in title
    assert str(path) in text and "not an Attendance Desk database" in text


def test_run_opens_the_window_on_the_database(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """run() names the application, sets a new database up with the welcome wizard, shows
    the main window for the file, and returns exec()."""
    monkeypatch.setattr(QSettings, "value", lambda *_args, **_kwargs: None)
    monkeypatch.setattr(QSettings, "setValue", lambda *_args, **_kwargs: None)
    path = tmp_path / "new.db"
    seen: list[MainWindow] = []

    def look_then_quit() -> None:
        seen.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        QCoreApplication.exit(0)

    def first_launch(wizard: WelcomeWizard) -> None:
        walk(qtbot, wizard)
        QTimer.singleShot(0, look_then_quit)

    with answering(qtbot, WelcomeWizard, first_launch):
        assert app_module.run(path, today=lambda: date(2025, 9, 12)) == 0
    assert path.exists()
    (window,) = [w for w in seen if w.db_path == path]
    assert window.windowTitle() == "Attendance Desk — Oakfield Primary"
    assert window.user_label.text() == "Pat Morgan (Administrator)"
    assert QCoreApplication.applicationName() == "Attendance Desk"
    assert QCoreApplication.organizationName() == "Attendance Desk"
    window.close()
    window.deleteLater()


def test_cancelled_login_opens_nothing(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, factory_for_login: Path
) -> None:
    """Cancelling the login closes the app without a window (exit 0)."""

    def cancel(dialog: LoginDialog) -> None:
        assert "Demo school" not in dialog.message.text()
        dialog.reject()

    with answering(qtbot, LoginDialog, cancel):
        assert app_module.run(factory_for_login) == 0
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]


@pytest.fixture
def factory_for_login(tmp_path: Path) -> Path:
    """A database with an administrator, so the app asks for a login."""
    from datetime import datetime

    from attendance_desk.access import auth
    from attendance_desk.store.db import open_database, transaction

    path = tmp_path / "school.db"
    with transaction(open_database(path)) as session:
        auth.create_user(
            session,
            username="pat",
            full_name="Pat",
            position="Office",
            role="admin",
            password="long password",
            now=datetime(2025, 9, 8),
        )
    return path
