"""The window comes back at its size, and the Register tab on each user's last group."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from attendance_desk.access import auth
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.main_window import MainWindow
from tests.helpers.builders import NOW, add_pupil, build_school
from tests.ui.conftest import TODAY


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path) -> Iterator[None]:
    """This test's QSettings live in its temp folder, not the PC's."""
    formats = (QSettings.Format.NativeFormat, QSettings.Format.IniFormat)
    for fmt in formats:
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "config"))
    yield
    set_user(None)


@pytest.fixture
def two_groups(session: Session) -> dict[str, int]:
    build_school(session)
    add_pupil(session, 1, surname="Adams", group="2K", year="2")
    add_pupil(session, 2, surname="Brown", group="3A", year="3")
    people = {"password": "long password", "position": "Office", "now": NOW}
    pat = auth.create_user(session, username="pat", full_name="Pat", role="admin", **people)
    rita = auth.create_user(
        session, username="rita", full_name="Rita", role="receptionist", by=pat, **people
    )
    session.commit()
    return {"pat": pat.id, "rita": rita.id}


def open_as(qtbot: QtBot, factory, user_id: int) -> MainWindow:  # type: ignore[no-untyped-def]
    set_user(user_id)
    window = MainWindow(factory, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.started)
    return window


def test_size_and_last_group_come_back(qtbot: QtBot, factory, two_groups: dict[str, int]):  # type: ignore[no-untyped-def]
    """Closed 700 pixels high on group 3A, the next window opens 700 high on 3A; another
    user on the same PC still starts on the first group. (The offscreen test screen is
    800 pixels square and narrower than the window, so only the height can be compared.)"""
    first = open_as(qtbot, factory, two_groups["pat"])
    assert first.register_tab.group_box.currentText() == "2K"
    first.resize(1180, 700)
    first.show_tab("register")
    first.register_tab.group_box.setFocus()
    qtbot.keyClick(first.register_tab.group_box, Qt.Key.Key_Down)
    assert first.register_tab.group_box.currentText() == "3A"
    first.close()

    second = open_as(qtbot, factory, two_groups["pat"])
    assert second.height() == 700  # new windows start 760 high
    assert second.register_tab.group_box.currentText() == "3A"
    second.close()

    other = open_as(qtbot, factory, two_groups["rita"])
    assert other.register_tab.group_box.currentText() == "2K"
    other.close()
