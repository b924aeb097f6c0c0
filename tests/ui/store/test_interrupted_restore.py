"""Starting the window on a database whose restore was killed: it is settled first, and the
person is told how, before the login."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from attendance_desk.store import restore_journal
from attendance_desk.ui import app as app_module
from attendance_desk.ui.access.login_dialog import LoginDialog
from tests.helpers.modal import answering
from tests.store.test_instance_lock import finished_pid
from tests.ui.test_app import factory_for_login  # noqa: F401  (a school with a login)

pytestmark = pytest.mark.sqlite_only("a restore of the SQLite file")


def test_the_window_says_a_killed_restore_was_undone(
    qapp: QApplication,
    qtbot: QtBot,
    factory_for_login: Path,  # noqa: F811
) -> None:
    """A journal left by a restore killed before its rename: the copy is removed, the
    database is untouched, a warning says so, then the login comes up."""
    db = factory_for_login
    partial = db.with_name(".school.db.restoring-copy")
    shutil.copy(db, partial)
    journal = {
        "holder": {
            "pid": finished_pid(),
            "host": socket.gethostname(),
            "since": "2026-01-10T12:00:00",
        },
        "backup": "/media/stick/hillside-primary-2026-01-09-090000.backup.enc",
        "partial": str(partial),
        "aside": str(db.with_name("school.replaced-20260110-120000.db")),
        "step": "copying",
    }
    restore_journal.journal_path(db).write_text(json.dumps(journal))
    told: list[str] = []

    def read_then_close(box: QMessageBox) -> None:
        told.append(box.text())
        box.accept()

    with (
        answering(qtbot, QMessageBox, read_then_close),
        answering(qtbot, LoginDialog, lambda dialog: dialog.reject()),
    ):
        assert app_module.run(db) == 0
    assert (
        "hillside-primary-2026-01-09-090000.backup.enc was interrupted before it changed" in told[0]
    )
    assert not partial.exists() and not restore_journal.journal_path(db).exists()
    with closing(sqlite3.connect(db)) as conn:  # the same school, its login still there
        assert conn.execute("SELECT username FROM users").fetchall() == [("pat",)]
