"""After a change made in the window, Today works out again only the children it touched;
Refresh (F5) works out the whole school, taking in another PC's changes too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.desk.calls import log_attempt
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.main_window import MainWindow
from tests.helpers.builders import add_pupil, build_school, mark_days

TUE = date(2025, 9, 9)


@pytest.fixture(autouse=True)
def _office_acts() -> Iterator[None]:
    set_user(None)
    yield
    set_user(None)


def _call_detail(window: MainWindow, name: str) -> str:
    tree = window.today_tab.tree
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        for j in range(group.childCount()):
            row = group.child(j)
            if row.text(0) == name and group.text(0).startswith("First-day"):
                return row.text(4)
    raise AssertionError(f"no first-day call for {name}")


def test_a_call_logged_here_reworks_that_child_and_refresh_the_rest(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Amy's failed call shows at once; Ben's call logged on another PC shows after Refresh."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    ben = add_pupil(session, 2, surname="Baker", forename="Ben")
    for pupil in (amy, ben):
        mark_days(session, pupil, user, {(TUE, "AM"): "N"})
    session.commit()
    now = datetime(2025, 9, 9, 9, 40)
    window = MainWindow(factory, today=lambda: TUE, now=lambda: now)
    qtbot.addWidget(window)
    window.show()
    assert "(0 of 2 tried)" in _call_detail(window, "Ben Baker")
    log_attempt(  # the other PC: nothing on this one hears of it
        session,
        pupil_id=ben.id,
        contact_id=ben.contacts[0].id,
        outcome="no_answer",
        user=user,
        now=now,
    )
    session.commit()
    window.tabs.setCurrentWidget(window.calls_tab)
    row = window.calls_tab.current_row()
    assert row is not None and row.name == "Amy Adams"
    button = window.calls_tab.findChild(QPushButton, f"no_answer_{amy.contacts[0].id}")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "(1 of 2 tried)" in _call_detail(window, "Amy Adams")
    assert "(0 of 2 tried)" in _call_detail(window, "Ben Baker")  # not worked out again
    window.tabs.setCurrentWidget(window.today_tab)
    qtbot.mouseClick(window.today_tab.refresh_button, Qt.MouseButton.LeftButton)
    assert "(1 of 2 tried)" in _call_detail(window, "Ben Baker")
    assert "(1 of 2 tried)" in _call_detail(window, "Amy Adams")
