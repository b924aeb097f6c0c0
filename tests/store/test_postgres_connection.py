"""Pointing a PC at the shared database: `attendance-desk connect` and Settings → This PC's
database. Run on both backends: the address is this test's database, file or server."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.cli import main
from attendance_desk.store import connection_config
from attendance_desk.store.db import ENV_VAR, Location, as_location, default_location
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.school.settings_tab import SettingsTab
from tests.helpers.builders import add_staff, build_school


@pytest.fixture(autouse=True)
def _this_pc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_connect_tries_then_saves_the_address(
    db_path: Location, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["connect", str(db_path)]) == 0
    assert "this PC opens it from now on" in capsys.readouterr().out
    assert default_location() == as_location(str(db_path))
    assert main(["connect", "--forget"]) == 0
    assert connection_config.read() is None


def test_connect_refuses_a_password_and_a_missing_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["connect", "postgresql://office:s3cret@/school?host=/nowhere"]) == 1
    err = capsys.readouterr().err
    assert "~/.pgpass" in err and "s3cret" not in err
    (tmp_path / "empty").mkdir()
    assert main(["connect", f"postgresql://office@/school?host={tmp_path / 'empty'}"]) == 1
    assert "cannot open postgresql+psycopg://office@/school" in capsys.readouterr().err
    assert connection_config.read() is None


def test_a_damaged_choice_stops_the_pc_instead_of_opening_its_own_file(
    db_path: Location, capsys: pytest.CaptureFixture[str]
) -> None:
    """A PC meant for the shared server must not quietly take registers on its own file."""
    assert main(["connect", str(db_path)]) == 0
    connection_config.config_file().write_text('database = "unterminated\n')
    capsys.readouterr()
    assert main(["stats", "--from", "2025-09-01", "--to", "2025-09-30"]) == 2
    err = capsys.readouterr().err
    assert "cannot be read" in err and "connect --forget" in err
    assert main(["connect", "--forget"]) == 0  # the way out still works
    assert connection_config.read() is None


def test_the_administrator_connects_this_pc_in_settings(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, db_path: Location
) -> None:
    """A receptionist sees This PC's database read-only; the administrator connects the PC."""
    build_school(session)
    staff = add_staff(session, pat="admin", rita="receptionist")
    session.commit()
    set_user(staff["rita"].id)
    tab = SettingsTab(factory, lambda: datetime(2025, 9, 8, 16))
    qtbot.addWidget(tab)
    tab.show()
    field = tab.findChild(type(tab.database_edit), "this_pc_database")
    assert field.isReadOnly() and not tab.connect_button.isEnabled()  # a receptionist may not
    qtbot.keyClicks(field, str(db_path))
    assert field.text() == "" and connection_config.read() is None
    set_user(staff["pat"].id)
    tab.hide()  # the next user to log in at the lock screen: the tab matches them when shown
    tab.show()
    qtbot.keyClicks(field, str(db_path))
    qtbot.mouseClick(tab.connect_button, Qt.MouseButton.LeftButton)
    assert tab.message.text().endswith("from its next start.")
    assert connection_config.read() == str(db_path)


def test_file_tools_on_a_server_name_the_servers_backups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """backup, restore and check are for a database file: on a server they say what applies."""
    server = "postgresql://office@db.school.internal/school"
    for command in (["backup", str(tmp_path)], ["restore", str(tmp_path / "x.db")], ["check"]):
        assert main(["--db", server, *command]) == 1
        assert "pg_dump" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_the_window_names_its_database_and_locks_only_a_file(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, db_path: Location
) -> None:
    """The status bar shows the file or the server; a server, shared by design, gets no
    one-window lock file."""
    from attendance_desk.store.db import describe
    from attendance_desk.ui.main_window import MainWindow

    build_school(session)
    staff = add_staff(session, pat="admin")
    session.commit()
    set_user(staff["pat"].id)
    window = MainWindow(factory, today=lambda: datetime(2025, 9, 12).date())
    qtbot.addWidget(window)
    assert window.db_label.text() == f"Database: {describe(db_path)}"
    assert (window.instance_lock is None) == isinstance(db_path, str)
    if isinstance(db_path, str):  # the window backs up no server: it says who does
        from attendance_desk.ui.workers.backup_scheduler import attach

        scheduler = attach(window, factory, lambda: datetime(2025, 9, 12, 9))
        label = window.findChild(QLabel, "backup_status")
        assert label.text() == "Backups: on the database server" and not scheduler.running
        assert "pg_dump" in label.toolTip()
    window.close()
