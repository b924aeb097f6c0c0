"""Logging a parent's report from the dialog codes today's N and stops the call."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.desk.calls import call_list
from attendance_desk.models import AbsenceReport, Mark
from attendance_desk.ui.desk.absence_report_dialog import ReportDialog
from tests.helpers.builders import add_pupil, build_school, mark_days

NOW = datetime(2025, 9, 8, 9, 20)


def test_report_by_phone(qtbot: QtBot, factory: sessionmaker[Session], session: Session) -> None:
    """Typing the name, reason and caller and pressing Save amends the N to I."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    mark_days(session, amy, user, {(date(2025, 9, 8), "AM"): "N"})
    session.commit()
    dialog = ReportDialog(factory, lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.pupil_edit, "adams")
    qtbot.keyClicks(dialog.reason_edit, "high temperature")
    qtbot.keyClicks(dialog.reported_by_edit, "Sarah Adams, mother")
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert session.scalars(select(Mark.code).where(Mark.session == "AM")).one() == "I"
    assert session.scalars(select(AbsenceReport.reported_by)).one() == "Sarah Adams, mother"
    assert call_list(session, NOW) == []


def test_half_filled_report_says_what_is_missing(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Saving with no reason keeps the dialog open with a message; nothing is stored."""
    build_school(session)
    add_pupil(session, 1, surname="Adams")
    session.commit()
    dialog = ReportDialog(factory, lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.pupil_edit, "adams")
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "needs the reason" in dialog.message.text()
    assert session.scalars(select(AbsenceReport)).first() is None
