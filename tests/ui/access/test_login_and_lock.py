"""Logging in, locking (by hand and when idle) without losing unsaved work, the Desk menu."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access import auth
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.access.login_dialog import LoginDialog
from attendance_desk.ui.desk.late_desk_dialog import LateDeskDialog
from tests.helpers.builders import add_pupil, build_school
from tests.helpers.modal import answering
from tests.ui.conftest import OpenWindow

NOW = datetime(2025, 9, 12, 8, 0)


@pytest.fixture
def staff(session: Session) -> dict[str, int]:
    build_school(session)
    add_pupil(session, 1, surname="Adams")
    boss = auth.create_user(
        session,
        username="pat",
        full_name="Pat Morgan",
        position="Office",
        role="admin",
        password="long password",
        now=NOW,
    )
    dsl = auth.create_user(
        session,
        username="dana",
        full_name="Dana Singh",
        position="DSL",
        role="dsl",
        password="another one",
        now=NOW,
        by=boss,
    )
    session.commit()
    yield {"pat": boss.id, "dana": dsl.id}
    set_user(None)


def log_in(qtbot: QtBot, username: str, password: str) -> Callable[[LoginDialog], None]:
    """An answer for `answering`: type the name and password into the login, press Enter."""

    def fill(dialog: LoginDialog) -> None:
        dialog.username.setText(username)
        qtbot.keyClicks(dialog.password, password)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        assert dialog.user_id is not None, dialog.message.text()

    return fill


def test_wrong_password_says_so(qtbot: QtBot, factory: sessionmaker[Session], staff: dict) -> None:
    """A wrong password keeps the dialog open with a message and clears the password."""
    dialog = LoginDialog(factory, lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "pat")
    qtbot.keyClicks(dialog.password, "guess")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.user_id is None and dialog.isVisible()
    assert dialog.message.text() == "Wrong user name or password."
    assert dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, "long password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.user_id == staff["pat"]


def test_lock_keeps_unsaved_register_and_changes_user(
    qtbot: QtBot, open_window: OpenWindow, staff: dict
) -> None:
    """Ctrl+Shift+L locks; Dana logs in; the unsaved register edit is still there."""
    set_user(staff["pat"])
    window = open_window()
    assert window.user_label.text() == "Pat Morgan (Administrator)"
    register = window.show_tab("register")
    try:
        register.grid.setFocus()
        qtbot.keyClicks(register.grid, "/")
        assert register.model.pending_count() == 1
        with answering(qtbot, LoginDialog, log_in(qtbot, "dana", "another one")):
            qtbot.keyClick(
                window,
                Qt.Key.Key_L,
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
            )
        assert window.user_label.text() == "Dana Singh (Designated Safeguarding Lead)"
        assert window.centralWidget().isVisible()
        assert register.model.pending_count() == 1
    finally:
        register.model.set_sheet(register.model.sheet)  # discard, so closing asks nothing


def test_idle_window_locks_itself(qtbot: QtBot, open_window: OpenWindow, staff: dict) -> None:
    """After the idle time with no input the login appears; logging in carries on."""
    set_user(staff["pat"])
    window = open_window()

    def back_to_ten_minutes_then_log_in(dialog: LoginDialog) -> None:
        window.idle.set_interval_ms(600_000)  # so it cannot lock again as the test ends
        log_in(qtbot, "pat", "long password")(dialog)

    with answering(qtbot, LoginDialog, back_to_ten_minutes_then_log_in):
        window.idle.set_interval_ms(100)
    assert window.centralWidget().isVisible()
    assert window.user_label.text() == "Pat Morgan (Administrator)"


def test_a_login_left_on_screen_is_not_stacked(
    qtbot: QtBot, open_window: OpenWindow, staff: dict
) -> None:
    """While the lock's login is up, the idle time passing again opens no second login."""
    set_user(staff["pat"])
    window = open_window()
    logins: list[int] = []

    def wait_then_log_in(dialog: LoginDialog) -> None:
        qtbot.keyClicks(dialog.username, "p")  # typing, then four idle spells
        qtbot.wait(400)
        logins.extend(
            1
            for w in QApplication.topLevelWidgets()
            if isinstance(w, LoginDialog) and w.isVisible()
        )
        window.idle.set_interval_ms(600_000)  # so it cannot lock again as the test ends
        log_in(qtbot, "pat", "long password")(dialog)

    with answering(qtbot, LoginDialog, wait_then_log_in):
        window.idle.set_interval_ms(100)
    assert logins == [1]
    assert window.centralWidget().isVisible()


def test_ctrl_l_opens_the_late_desk(qtbot: QtBot, open_window: OpenWindow, staff: dict) -> None:
    """The late-arrival desk is one shortcut away from any tab."""
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialogs = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, LateDeskDialog) and w.isVisible()
    ]
    assert len(dialogs) == 1
    dialogs[0].close()
