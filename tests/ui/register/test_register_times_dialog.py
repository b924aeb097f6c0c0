"""Changing register times: saved and used by the late desk; a long window is warned about."""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import YearGroup
from attendance_desk.register.arrivals import arrival_mark
from attendance_desk.ui.register.register_times_dialog import RegisterTimesDialog
from tests.helpers.builders import add_pupil, build_school

NOW = datetime(2025, 9, 8, 7, 30)


def test_new_times_are_used_and_long_window_warned(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Year 3's morning set to 09:00-10:00 (as an AP centre's): saved with a 30-minute warning."""
    build_school(session)
    add_pupil(session, 1, year="3", group="3A")
    session.commit()
    dialog = RegisterTimesDialog(factory, lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    am_open, am_close = dialog.edits["3"][:2]
    am_open.setTime(QTime(9, 0))
    am_close.setTime(QTime(10, 0))
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert "stays open 60 minutes" in dialog.message.text()
    session.expire_all()
    year = session.query(YearGroup).filter_by(code="3").one()
    assert (year.am_open, year.am_close) == (time(9, 0), time(10, 0))
    assert arrival_mark(year, datetime(2025, 9, 8, 9, 40)).code == "L"


def test_window_closing_before_it_opens_is_refused(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """A register that closes before it opens is refused and nothing is saved."""
    build_school(session)
    add_pupil(session, 1, year="3", group="3A")
    session.commit()
    dialog = RegisterTimesDialog(factory, lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.edits["3"][1].setTime(QTime(8, 0))
    dialog.save()
    assert "must close after it opens" in dialog.message.text()
    session.expire_all()
    assert session.query(YearGroup).filter_by(code="3").one().am_close == time(9, 5)
