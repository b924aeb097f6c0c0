"""Recording and granting leave from the dialog fills the register ahead."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import LeaveRequest, Mark
from attendance_desk.ui.desk.leave_dialog import LeaveDialog
from tests.helpers.builders import add_pupil, build_school


def test_request_then_grant(qtbot: QtBot, factory: sessionmaker[Session], session: Session) -> None:
    """A request typed in and granted as M fills both sessions of that day with M."""
    build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    session.commit()
    dialog = LeaveDialog(factory, lambda: datetime(2025, 9, 8, 11))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.pupil_edit, "ada")
    assert dialog.pupil_box.currentData() == amy.id
    dialog.start_edit.setDate(QDate(2025, 9, 10))
    dialog.end_edit.setDate(QDate(2025, 9, 10))
    qtbot.keyClicks(dialog.reason_edit, "hospital appointment")
    qtbot.keyClicks(dialog.requested_by_edit, "Sarah Adams")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert dialog.pending.count() == 1
    dialog.pending.setCurrentRow(0)
    dialog.code_box.setCurrentIndex(dialog.code_box.findData("M"))
    qtbot.mouseClick(dialog.grant_button, Qt.MouseButton.LeftButton)
    assert "2 sessions filled" in dialog.status.text()
    assert dialog.pending.count() == 0
    marks = session.scalars(select(Mark).where(Mark.date == date(2025, 9, 10))).all()
    assert sorted(m.code for m in marks) == ["M", "M"]
    assert session.scalars(select(LeaveRequest.decided_by_name)).one() == "School office"


def test_dates_are_dd_mm_yyyy_and_the_note_has_room(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """The date boxes read 10/09/2025 and the decision note is as wide as the form."""
    build_school(session)
    session.commit()
    dialog = LeaveDialog(factory, lambda: datetime(2025, 9, 10, 11))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # Alt+letter reaches only the active window
    assert dialog.start_edit.text() == "10/09/2025" and dialog.end_edit.text() == "10/09/2025"
    assert dialog.note_edit.width() > dialog.width() // 2
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert dialog.note_edit.hasFocus()
