"""Reports → MIS check, driven from the keyboard: the MIS's summary compared for the range."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.interop.mis_import import import_mis_file
from attendance_desk.ui.figures.reports_tab import ReportsTab
from tests.helpers.builders import build_school

MIS = Path(__file__).parents[2] / "interop" / "mis"
NOW = datetime(2026, 1, 10, 12, 0)


@pytest.fixture
def school(factory: sessionmaker[Session]) -> None:
    """The SIMS pupils and their marks for 8-12 September 2025."""
    with factory() as session:
        _, user = build_school(session)
        import_mis_file(session, MIS / "sims-students.csv", kind="pupils", user=user, now=NOW)
        import_mis_file(
            session, MIS / "sims-marks.csv", kind="marks", user=user, now=NOW, legacy=True
        )
        session.commit()


def _open_on_the_week(qtbot: QtBot, factory: sessionmaker[Session]) -> ReportsTab:
    tab = ReportsTab(factory, lambda: NOW)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    qtbot.waitUntil(lambda: tab.report is not None)
    tab.from_edit.setDate(QDate(2025, 9, 8))
    tab.to_edit.setDate(QDate(2025, 9, 12))
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    qtbot.keyClick(tab, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert tab.sections.currentWidget() is tab.mis
    return tab


def test_comparing_lists_who_differs_and_the_sessions_that_explain_it(
    qtbot: QtBot, factory: sessionmaker[Session], school: None
) -> None:
    """Alt+M, the summary's path and Enter: the pupils who differ are listed, the first
    chosen with its sessions; Down shows the next; Enter opens the pupil."""
    tab = _open_on_the_week(qtbot, factory)
    page = tab.mis
    qtbot.keyClick(tab, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.summary_edit
    qtbot.keyClicks(page.summary_edit, str(MIS / "sims-summary.csv"))
    qtbot.keyClick(page.summary_edit, Qt.Key.Key_Return)
    assert page.result.text().startswith(
        "Mon 8 Sep 2025 to Fri 12 Sep 2025: 6 pupils in the MIS summary, 2 agree, 3 differ, "
        "1 in one list only."
    )
    rows = [page.table.model().index(r, 0).data() for r in range(page.table.model().rowCount())]
    assert rows == ["Kuba Nowak", "Seun Adeyemi", "Zoë Müller", "Lewis Hughes"]
    assert QApplication.focusWidget() is page.table
    assert page.sessions.item(0).text() == (
        "Tue 9 Sep 2025 AM: here N (no reason yet here: the MIS may have been given it)"
    )
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert (
        page.sessions.item(0).text() == "Tue 9 Sep 2025 PM: here Y7 (not a possible session here)"
    )
    with qtbot.waitSignal(tab.open_pupil, timeout=2000) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args and isinstance(opened.args[0], int)


def test_with_the_marks_export_and_a_summary_for_other_dates(
    qtbot: QtBot, factory: sessionmaker[Session], school: None, tmp_path: Path
) -> None:
    """With the MIS's marks each session shows both codes; a summary for other dates is
    refused with the dates it covers."""
    tab = _open_on_the_week(qtbot, factory)
    page = tab.mis
    qtbot.keyClicks(page.summary_edit, str(MIS / "sims-summary.csv"))
    qtbot.keyClicks(page.marks_edit, str(MIS / "sims-marks-mis.csv"))
    qtbot.mouseClick(page.compare_button, Qt.MouseButton.LeftButton)
    assert page.sessions.item(0).text() == ("Tue 9 Sep 2025 AM: here N, MIS I (coded differently)")
    tab.from_edit.setDate(QDate(2025, 9, 1))
    qtbot.mouseClick(page.compare_button, Qt.MouseButton.LeftButton)
    assert page.result.text() == "These files cannot be compared:"
    assert page.model.rowCount() == 0
    assert (
        page.sessions.item(0)
        .text()
        .startswith(
            "line 2: dates: the summary covers Mon 8 Sep 2025 to Fri 12 Sep 2025, not Mon 1 Sep"
        )
    )
