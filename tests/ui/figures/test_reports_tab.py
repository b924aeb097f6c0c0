"""The Reports tab: ranges change the figures, lists open pupils and export, charts save."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDateEdit, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.figures.formatting import pct
from attendance_desk.figures.ranges import DateRange
from attendance_desk.models import Pupil
from attendance_desk.register import stats
from attendance_desk.ui.figures.report_table_model import MUTED_TEXT, ReportTableModel
from attendance_desk.ui.figures.reports_columns import SMALL_TIP, group_model
from attendance_desk.ui.figures.reports_tab import ReportsTab
from tests.figures.conftest import CALENDAR
from tests.helpers.builders import add_pupil, build_school, mark_days
from tests.printing.pdftext import pages

NOW = datetime(2025, 10, 8, 15, 0)  # a Wednesday
WEEK_START = date(2025, 10, 6)
YEAR_START = date(2025, 9, 3)


@pytest.fixture
def school(factory: sessionmaker[Session]) -> dict[str, int]:
    """Five pupils present every session to date, except Amy, away all of today."""
    with factory() as session:
        _, user = build_school(session)
        slots = [(d, s) for d in CALENDAR.school_days(YEAR_START, NOW.date()) for s in ("AM", "PM")]
        ids = {}
        for n, name in enumerate(["Amy", "Ben", "Cal", "Dan", "Eve"], start=1):
            pupil = add_pupil(session, n, forename=name, surname=f"Pupil{n}")
            marks = {slot: "/" if slot[1] == "AM" else "\\" for slot in slots}
            if name == "Amy":
                marks.update({slot: "O" for slot in slots if slot[0] == NOW.date()})
            mark_days(session, pupil, user, marks)
            ids[name] = pupil.id
        session.commit()
    return ids


def _open(qtbot: QtBot, factory: sessionmaker[Session]) -> ReportsTab:
    tab = ReportsTab(factory, lambda: NOW)
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    tab.show()
    qtbot.waitUntil(lambda: tab.report is not None)
    return tab


def _attendance(factory: sessionmaker[Session], start: date, end: date) -> str:
    with factory() as session:
        return pct(stats.school_figures(session, start, end).totals.attendance_pct)


def test_loads_when_first_shown(
    qtbot: QtBot, factory: sessionmaker[Session], school: dict[str, int]
) -> None:
    """Nothing is worked out until the tab is shown; then this year is."""
    tab = ReportsTab(factory, lambda: NOW)
    qtbot.addWidget(tab)
    assert tab.objectName() == "tab_reports" and tab.report is None
    tab.show()
    qtbot.waitUntil(lambda: tab.report is not None)
    assert tab.range_box.currentText() == "This year"
    assert (tab.report.range.start, tab.report.range.end) == (YEAR_START, NOW.date())
    assert tab.headline.attendance.value.text() == _attendance(factory, YEAR_START, NOW.date())


def test_changing_the_range_changes_the_figures(
    qtbot: QtBot, factory: sessionmaker[Session], school: dict[str, int]
) -> None:
    """Choosing "This week" from the keyboard, then typing a from-date, recomputes the
    headline and the PA list for each range."""
    tab = _open(qtbot, factory)
    year_text = tab.headline.attendance.value.text()
    assert tab.pa_model.rowCount() == 0  # Amy's day away is under 10 % of the year
    tab.range_box.setFocus()
    qtbot.keyClick(tab.range_box, Qt.Key.Key_Home)
    assert tab.range_box.currentText() == "This week"
    assert tab.report is not None and tab.report.range.start == WEEK_START
    week_text = tab.headline.attendance.value.text()
    assert week_text == _attendance(factory, WEEK_START, NOW.date()) == "93.3%"
    assert week_text != year_text
    assert [p.name for p in tab.pa_model.rows()] == ["Amy Pupil1"]
    assert "below target" in tab.headline.attendance.note.text()

    tab.from_edit.setFocus()
    # As a click on the day part of the date does: the day is selected, typing replaces it.
    tab.from_edit.setSelectedSection(QDateEdit.Section.DaySection)
    qtbot.keyClicks(tab.from_edit, "01")
    assert tab.range_box.currentText() == "Custom range"
    qtbot.waitUntil(lambda: tab.report is not None and tab.report.range.start == date(2025, 10, 1))
    custom = _attendance(factory, date(2025, 10, 1), NOW.date())
    assert tab.headline.attendance.value.text() == custom
    assert custom not in (week_text, year_text)


def test_a_backwards_range_is_not_loaded(
    qtbot: QtBot, factory: sessionmaker[Session], school: dict[str, int]
) -> None:
    """A to-date before the from-date says so and keeps the last figures."""
    tab = _open(qtbot, factory)
    shown = tab.report
    tab.to_edit.setDate(tab.from_edit.date().addDays(-3))
    tab.reload()
    assert tab.report is shown
    assert "ends before it starts" in tab.range_label.text()


def _row_of(table: QTableView, pupil_id: int) -> QModelIndex:
    model = table.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(ReportTableModel.PupilIdRole) == pupil_id:
            return index
    raise AssertionError(f"pupil {pupil_id} is not listed")


def test_double_click_or_enter_opens_the_pupil(
    qtbot: QtBot, factory: sessionmaker[Session], school: dict[str, int]
) -> None:
    """Double-clicking a listed pupil, or Enter on them, emits open_pupil with their id."""
    tab = _open(qtbot, factory)
    tab.range_box.setCurrentIndex(0)
    tab.sections.setCurrentIndex(3)
    index = _row_of(tab.pa_table, school["Amy"])
    rect = tab.pa_table.visualRect(index)
    with qtbot.waitSignal(tab.open_pupil) as opened:
        qtbot.mouseClick(tab.pa_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(tab.pa_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [school["Amy"]]
    tab.pa_table.setFocus()
    with qtbot.waitSignal(tab.open_pupil) as entered:
        qtbot.keyClick(tab.pa_table, Qt.Key.Key_Return)
    assert entered.args == [school["Amy"]]


def test_export_csv_writes_the_list(
    qtbot: QtBot,
    factory: sessionmaker[Session],
    school: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "Export CSV…" writes the PA list where the user chose, and says so."""
    target = tmp_path / "pa"
    monkeypatch.setattr(
        "attendance_desk.ui.figures.reports_pages.QFileDialog.getSaveFileName",
        lambda *args, **kwargs: (str(target), "CSV files (*.csv)"),
    )
    tab = _open(qtbot, factory)
    tab.range_box.setCurrentIndex(0)
    qtbot.mouseClick(tab.pa_export, Qt.MouseButton.LeftButton)
    written = tmp_path / "pa.csv"
    with written.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["name"], r["attendance_pct"], r["unauthorised_sessions"]) for r in rows] == [
        ("Amy Pupil1", "66.7", "2")
    ]
    assert str(written) in tab.status.text()


def test_charts_draw_and_save_as_png(
    qtbot: QtBot,
    factory: sessionmaker[Session],
    school: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each chart has its series (the weekly one a target line) and saves as a PNG."""
    tab = _open(qtbot, factory)
    weekly = tab.charts["weekly"].chart()
    assert [s.name() for s in weekly.series()] == ["Attendance", "Target 96.0%"]
    assert weekly.series()[0].count() == len(tab.report.weeks) == 6
    saved = tmp_path / "weekly.png"
    monkeypatch.setattr(
        "attendance_desk.ui.figures.chart_views.QFileDialog.getSaveFileName",
        lambda *args, **kwargs: (str(saved), "PNG images (*.png)"),
    )
    qtbot.mouseClick(tab.charts["weekly"].save_button, Qt.MouseButton.LeftButton)
    assert saved.read_bytes().startswith(b"\x89PNG")
    tab.range_box.setCurrentIndex(0)
    names = [s.name() for s in tab.charts["weekly"].chart().series()]
    assert names[0] == "Weeks chosen"  # this week, shaded within the year


def test_small_groups_are_muted(qtbot: QtBot, factory: sessionmaker[Session]) -> None:
    """In the groups table a group under five pupils is grey italic, with a tooltip."""
    with factory() as session:
        _, user = build_school(session)
        pupil = add_pupil(session, 1, group="3Z")
        mark_days(session, pupil, user, {(date(2025, 9, 8), "AM"): "/"})
        session.commit()
        group_id = session.get(Pupil, pupil.id).reg_group_id
    tab = _open(qtbot, factory)
    tab.group_box.setCurrentIndex(tab.group_box.findData("reg_group"))
    model = tab.group_model
    assert [g.key for g in model.rows()] == [str(group_id)]
    index = model.index(0, 1)
    assert index.data() == "1 *"
    assert index.data(Qt.ItemDataRole.ForegroundRole) == MUTED_TEXT
    assert SMALL_TIP in index.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).italic()
    assert group_model().rowCount() == 0


def test_weekly_pack_defaults_to_the_last_complete_school_week(
    qtbot: QtBot,
    factory: sessionmaker[Session],
    school: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With "This year" ending on a Wednesday, "Weekly SLT pack…" renders last week's pack,
    not this unfinished week's."""
    saved: list[tuple[bytes, str]] = []

    def save(pdf: bytes, parent: object, suggested: str) -> Path:
        saved.append((pdf, suggested))
        return tmp_path / suggested

    monkeypatch.setattr("attendance_desk.ui.figures.reports_tab.save_pdf", save)
    tab = _open(qtbot, factory)
    qtbot.mouseClick(tab.pack_button, Qt.MouseButton.LeftButton)
    [(pdf, suggested)] = saved
    assert tab.range_box.currentText() == "This year"
    assert suggested == "slt-pack-2025-09-29.pdf"
    assert "Attendance: week of Monday 29 September 2025" in pages(pdf)[0]
    assert "slt-pack" in tab.status.text()


def test_last_week_and_last_half_term_ranges(
    qtbot: QtBot, factory: sessionmaker[Session], school: dict[str, int]
) -> None:
    """Choosing "Last week" shows Monday to Friday of the week before; "Last half-term" on
    a Wednesday in the first half-term is this one so far (none has finished yet)."""
    tab = _open(qtbot, factory)
    tab.range_box.setFocus()
    qtbot.keyClick(tab.range_box, Qt.Key.Key_Home)
    qtbot.keyClick(tab.range_box, Qt.Key.Key_Down)
    assert tab.range_box.currentText() == "Last week"
    assert tab.current_range() == DateRange(date(2025, 9, 29), date(2025, 10, 3))
    qtbot.waitUntil(lambda: tab.report is not None and tab.report.range.end == date(2025, 10, 3))
    assert tab.range_label.text().startswith("Mon 29 Sep – Fri 3 Oct 2025 · 5 school days")
    qtbot.keyClick(tab.range_box, Qt.Key.Key_Down)
    qtbot.keyClick(tab.range_box, Qt.Key.Key_Down)
    assert tab.range_box.currentText() == "Last half-term"
    assert tab.current_range() == DateRange(YEAR_START, NOW.date())


def test_year_group_chart_names_reception_in_full_words_that_fit(
    qtbot: QtBot, factory: sessionmaker[Session]
) -> None:
    """The year group axis reads "Rec", "Y1": short enough never to be cut to "Recepti…"."""
    from PySide6.QtCharts import QBarCategoryAxis

    with factory() as session:
        _, user = build_school(session)
        for n, year in enumerate(("R", "1"), start=1):
            pupil = add_pupil(session, n, year=year, group=f"{year}A")
            mark_days(session, pupil, user, {(date(2025, 10, 6), "AM"): "/"})
        session.commit()
    tab = _open(qtbot, factory)
    chart = tab.charts["year_group"].chart()
    [axis] = [a for a in chart.axes(Qt.Orientation.Horizontal) if isinstance(a, QBarCategoryAxis)]
    assert axis.categories() == ["Rec", "Y1"]
