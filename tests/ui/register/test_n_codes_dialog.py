"""Resolving N codes from the dialog with clicks and keys."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import Mark
from attendance_desk.ui.register.n_codes_dialog import NCodesDialog
from tests.helpers.builders import add_pupil, build_school, mark_days


def test_resolve_overdue_n_to_o(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """The overdue N is listed; selecting it, typing a reason and clicking Resolve makes it O."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    ben = add_pupil(session, 2, surname="Baker")
    mark_days(session, amy, user, {(date(2025, 9, 8), "AM"): "N"})
    mark_days(session, ben, user, {(date(2025, 9, 12), "AM"): "N"})
    session.commit()
    dialog = NCodesDialog(factory, lambda: datetime(2025, 9, 15, 14))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 2
    assert "1 overdue" in dialog.summary.text()
    assert dialog.table.item(0, 4).text() == "overdue"
    qtbot.mouseClick(
        dialog.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=dialog.table.visualItemRect(dialog.table.item(0, 0)).center(),
    )
    qtbot.keyClicks(dialog.reason_edit, "no reason after 5 days")
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1
    codes = {m.pupil_id: m.code for m in session.scalars(select(Mark))}
    assert codes == {amy.id: "O", ben.id: "N"}


def test_only_the_due_cell_of_an_overdue_code_is_coloured(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Rows stay plain, the Due cell says overdue in colour, sessions fit on one line and the
    Reason box has room to type in."""
    from attendance_desk.ui.register.n_codes_dialog import OVERDUE

    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    mark_days(session, amy, user, {(date(2025, 9, 8), "AM"): "N"})
    session.commit()
    dialog = NCodesDialog(factory, lambda: datetime(2025, 9, 15, 14))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.item(0, 4).background().color() == OVERDUE
    for column in range(4):
        assert dialog.table.item(0, column).background().style() == Qt.BrushStyle.NoBrush
    session_text = dialog.table.item(0, 2).text()
    assert session_text == "Mon 8 Sep AM"
    metrics = dialog.table.fontMetrics()
    assert dialog.table.columnWidth(2) > metrics.horizontalAdvance(session_text)
    assert dialog.reason_edit.width() > dialog.width() // 2
    assert dialog.summary.text().startswith("1 open N code, 1 overdue (it must")
