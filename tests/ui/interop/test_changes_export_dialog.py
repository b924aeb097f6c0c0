"""File → Export changes for the MIS: the count, the file, the batch."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import ChangeExport
from attendance_desk.register.marks import record_mark
from attendance_desk.ui.interop.changes_export_dialog import ChangesExportDialog
from tests.helpers.builders import add_pupil, build_school

NOW = datetime(2025, 9, 10, 16, 0)


def test_export_from_the_dialog_then_the_next_starts_where_it_ended(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """Since 8 Sep 08:00: one mark to export; Export writes it and records the batch; a
    second dialog starts at the batch's end with nothing to export."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    for day, at in (
        (date(2025, 9, 5), datetime(2025, 9, 5, 9)),
        (date(2025, 9, 8), datetime(2025, 9, 8, 9)),
    ):
        record_mark(session, pupil=amy, day=day, session_name="AM", code="/", user=user, now=at)
    session.commit()
    dialog = ChangesExportDialog(factory, lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.last_label.text() == "Nothing exported yet."
    dialog.since_edit.setDateTime(QDateTime(datetime(2025, 9, 8, 8, 0)))
    assert dialog.count_label.text() == "1 mark to export"
    out = tmp_path / "outage.csv"
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text().startswith("Done: 1 changed mark")
    assert out.read_text() == f"upn,date,session,code,reason\n{amy.upn},2025-09-08,AM,/,\n"
    assert session.scalar(select(func.count()).select_from(ChangeExport)) == 1

    again = ChangesExportDialog(factory, lambda: NOW)
    qtbot.addWidget(again)
    assert again.since() == NOW
    assert again.last_label.text() == "The last export ended Wed 10 Sep 2025 16:00."
    assert again.count_label.text() == "0 marks to export"


def test_a_folder_that_does_not_exist_writes_nothing(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """An unwritable path: the message says so and no batch is recorded."""
    build_school(session)
    dialog = ChangesExportDialog(factory, lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "missing" / "out.csv"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text().startswith("Nothing exported:")
    assert session.scalar(select(func.count()).select_from(ChangeExport)) == 0
