"""Signing out and back in at the desk changes the on-site list and the evacuation PDF."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.ui.on_site_dialog import OnSiteDialog
from tests.helpers.builders import add_pupil, build_school, mark_days
from tests.printing.pdftext import pages

MON = date(2025, 9, 8)


def test_sign_out_and_back(qtbot: QtBot, factory: sessionmaker[Session], session: Session) -> None:
    """Amy leaves for the dentist: she drops off the list and the PDF lists her as out."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    ben = add_pupil(session, 2, surname="Baker", forename="Ben")
    mark_days(session, amy, user, {(MON, "AM"): "/"})
    mark_days(session, ben, user, {(MON, "AM"): "L"})
    session.commit()
    clock = {"now": datetime(2025, 9, 8, 10, 30)}
    dialog = OnSiteDialog(factory, lambda: clock["now"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.summary.text() == "On site at 10:30: 2 pupils in 1 group"
    qtbot.keyClicks(dialog.name_edit, "amy")
    qtbot.keyClicks(dialog.reason_edit, "dentist")
    qtbot.keyClicks(dialog.collected_edit, "Mum")
    qtbot.mouseClick(dialog.out_button, Qt.MouseButton.LeftButton)
    assert "Amy Adams signed out at 10:30" in dialog.message.text()
    assert dialog.summary.text().startswith("On site at 10:30: 1 pupil ")
    text = "".join(pages(dialog.evacuation_pdf()))
    assert "Signed out" in text and "dentist" in text
    clock["now"] = datetime(2025, 9, 8, 11, 45)
    dialog.out_list.setCurrentRow(0)
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text().startswith("On site at 11:45: 2 pupils")
