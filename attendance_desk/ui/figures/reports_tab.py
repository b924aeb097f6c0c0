"""The Reports tab: the school's figures for a range, against the target, for the head and SLT.

A range (this week, this half-term, this year, or two dates) at the top; the headline figures
under it; then charts, groups, half-terms, the pupils to watch (PA and at-risk lists, each
exported to CSV) and the codes used. Everything comes from `figures.report.load_report` in
one call; the tab loads when it is first shown, not when the window opens. The MIS check
page compares the range with the MIS's own attendance summary.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.figures.ranges import (
    PRESET_LABELS,
    DateRange,
    Preset,
    last_week_range,
    preset_range,
)
from attendance_desk.figures.report import Report, load_report
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.ui.figures import chart_views
from attendance_desk.ui.figures.chart_views import ChartPanel
from attendance_desk.ui.figures.report_table_model import ReportTableModel
from attendance_desk.ui.figures.reports_columns import CODE_COLUMNS, HALF_TERM_COLUMNS
from attendance_desk.ui.figures.reports_headline import HeadlineRow
from attendance_desk.ui.figures.reports_pages import GroupsPage, TablePage, WatchListsPage
from attendance_desk.ui.interop.reconcile_page import ReconcilePage
from attendance_desk.ui.operations.run import read, read_as
from attendance_desk.ui.widgets.date_editors import date_edit
from attendance_desk.ui.widgets.pdf_output import save_pdf
from attendance_desk.ui.widgets.style import muted
from attendance_desk.wording import plural

CUSTOM = "custom"
#: Typing a date waits this long before the figures are worked out again.
DATE_DELAY_MS = 500


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ReportsTab(QWidget):
    """Range pickers, headline figures and the report's pages."""

    #: A pupil in a list was opened (double-click or Enter): their id.
    open_pupil = Signal(int)
    #: A short message for the status bar (a file saved).
    message = Signal(str)

    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        super().__init__()
        self.setObjectName("tab_reports")
        self._factory = factory
        self._now = now
        self.report: Report | None = None
        self._stale = True

        self.range_box = QComboBox()
        self.range_box.setObjectName("report_range")
        self.range_box.setAccessibleName("Report range")
        for preset, label in PRESET_LABELS.items():
            self.range_box.addItem(label, preset.value)
        self.range_box.addItem("Custom range", CUSTOM)
        self.range_box.setCurrentIndex(list(Preset).index(Preset.YEAR))
        self.from_edit = self._date_edit("report_from", "First day of the range")
        self.to_edit = self._date_edit("report_to", "Last day of the range")
        self.refresh_button = QPushButton("&Refresh")
        self.pack_button = QPushButton("Weekly SLT &pack…")
        self.pack_button.setToolTip(
            "Save the PDF pack for the SLT meeting: the last complete school week of the range"
        )
        self.range_label = muted(QLabel())
        self.range_label.setObjectName("report_range_label")
        self.headline = HeadlineRow()
        self.status = muted(QLabel())
        self.status.setObjectName("report_status")

        self.charts = {
            "weekly": ChartPanel("weekly", "attendance-by-week"),
            "weekday": ChartPanel("weekday", "attendance-by-day"),
            "year_group": ChartPanel("year_group", "attendance-by-year-group"),
            "pa_trend": ChartPanel("pa_trend", "persistent-absence-by-half-term"),
        }
        self.groups = GroupsPage()
        self.half_terms = TablePage(
            ReportTableModel(HALF_TERM_COLUMNS),
            "half_term_table",
            "Each half-term on its own, from the start of the year: persistent absentees are "
            "pupils who missed 10 % or more of that half-term's sessions.",
        )
        self.codes = TablePage(
            ReportTableModel(CODE_COLUMNS),
            "code_table",
            "Codes that are not possible sessions (D, X, Q, Y1–Y7, Z, #) count in no "
            "percentage; their share is shown as a dash.",
        )
        self.watch = WatchListsPage()
        self.mis = ReconcilePage(factory, now, self.current_range)
        # The parts tests and the window reach for most.
        self.group_box, self.group_model = self.groups.box, self.groups.model
        self.pa_model, self.pa_table = self.watch.pa_model, self.watch.pa_table
        self.at_risk_model, self.pa_export = self.watch.at_risk_model, self.watch.pa_export

        self.sections = QTabWidget()
        self.sections.setObjectName("report_sections")
        self.sections.addTab(self._charts_page(), "&Charts")
        self.sections.addTab(self.groups, "&Groups")
        self.sections.addTab(self.half_terms, "&Half-terms")
        self.sections.addTab(self.watch, "Pupils to &watch")
        self.sections.addTab(self.codes, "C&odes used")
        self.sections.addTab(self.mis, "&MIS check")

        self._date_timer = QTimer(self, singleShot=True, interval=DATE_DELAY_MS)
        self._date_timer.timeout.connect(self.reload)
        self.range_box.currentIndexChanged.connect(self._preset_chosen)
        self.from_edit.dateChanged.connect(self._date_typed)
        self.to_edit.dateChanged.connect(self._date_typed)
        self.refresh_button.clicked.connect(self.reload)
        self.pack_button.clicked.connect(self.save_weekly_pack)
        self.watch.open_pupil.connect(self.open_pupil)
        self.mis.open_pupil.connect(self.open_pupil)
        self.watch.saved.connect(self._say)
        self._lay_out()
        self._preset_chosen(load=False)

    # --- building ----------------------------------------------------------------------
    def _date_edit(self, name: str, accessible: str) -> QDateEdit:
        edit = date_edit(name=accessible)
        edit.setObjectName(name)
        return edit

    def _charts_page(self) -> QWidget:
        """The four charts two by two, scrolling on a small screen (1366 x 768 office PCs)."""
        page = QWidget()
        grid = QGridLayout(page)
        for i, panel in enumerate(self.charts.values()):
            grid.addWidget(panel, i // 2, i % 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    def _lay_out(self) -> None:
        range_label = QLabel("&Range")
        range_label.setBuddy(self.range_box)
        controls = QHBoxLayout()
        for widget in (
            range_label,
            self.range_box,
            QLabel("from"),
            self.from_edit,
            QLabel("to"),
            self.to_edit,
            self.refresh_button,
        ):
            controls.addWidget(widget)
        controls.addSpacing(12)
        controls.addWidget(self.range_label, 1)
        controls.addWidget(self.pack_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.headline)
        layout.addWidget(self.sections, 1)
        layout.addWidget(self.status)

    # --- range -------------------------------------------------------------------------
    def current_range(self) -> DateRange | None:
        start, end = _pydate(self.from_edit.date()), _pydate(self.to_edit.date())
        return DateRange(start, end) if start <= end else None

    def _preset_chosen(self, _index: int = 0, *, load: bool = True) -> None:
        value = self.range_box.currentData()
        if value == CUSTOM:
            return
        calendar = read(self._factory, load_calendar)
        chosen = preset_range(calendar, self._now().date(), Preset(value))
        for edit, day in ((self.from_edit, chosen.start), (self.to_edit, chosen.end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self._date_timer.stop()
        if load:
            self.reload()

    def _date_typed(self) -> None:
        self.range_box.blockSignals(True)
        self.range_box.setCurrentIndex(self.range_box.findData(CUSTOM))
        self.range_box.blockSignals(False)
        self._date_timer.start()

    # --- loading -----------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self.reload)

    def reload(self) -> None:
        """Work the figures out again for the range in the date boxes."""
        self._date_timer.stop()
        span = self.current_range()
        if span is None:
            self.range_label.setText("The range ends before it starts: change one of the dates.")
            return
        self._stale = False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = read_as(
                self._factory,
                self._now,
                lambda session, viewer, now: load_report(
                    session, span.start, span.end, now=now, viewer=viewer
                ),
            )
        finally:
            QApplication.restoreOverrideCursor()
        self.show_report(report)

    def show_report(self, report: Report) -> None:
        """Fill every figure, chart and table from a loaded report."""
        self.report = report
        headline = report.headline
        days = sum(p.days for p in report.weekdays)
        self.range_label.setText(
            f"{report.range.describe()} · {plural(days, 'school day')} · "
            f"{plural(headline.summary.pupils, 'pupil')}"
        )
        self.headline.show_headline(headline)
        target = headline.target
        charts: dict[str, Any] = {
            "weekly": chart_views.weekly_chart(report.weeks, target, report.range),
            "weekday": chart_views.weekday_chart(report.weekdays, target),
            "year_group": chart_views.year_group_chart(report.breakdown("year_group"), target),
            "pa_trend": chart_views.pa_trend_chart(report.half_terms),
        }
        for name, chart in charts.items():
            self.charts[name].set_chart(chart)
        self.groups.show_breakdowns(report.breakdowns)
        self.half_terms.model.set_rows(report.half_terms)
        self.codes.model.set_rows(report.codes)
        self.watch.show_lists(report.lists)

    # --- actions -----------------------------------------------------------------------
    def export_csv(self, *, persistent: bool) -> Path | None:
        """Ask where to save the PA (or at-risk) list and write it as CSV."""
        return self.watch.export_csv(persistent=persistent)

    def pack_week(self) -> DateRange | None:
        """The week the SLT pack is for: the last complete school week up to the range's end
        (so "This year", ending today, gives last week, not this unfinished one)."""
        span = self.current_range()
        if span is None:
            return None
        calendar = read(self._factory, load_calendar)
        end = min(span.end, self._now().date())
        return last_week_range(calendar, end + timedelta(days=1))

    def save_weekly_pack(self) -> Path | None:
        """Render the SLT pack for the last complete school week of the range and save it."""
        chosen = self.pack_week()
        if chosen is None:
            self._say("There is no complete school week in the range yet.")
            return None
        week = chosen.start
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            from attendance_desk.figures.slt_pack import weekly_pack  # PDF: when asked

            pdf = read_as(
                self._factory,
                self._now,
                lambda session, viewer, now: weekly_pack(session, week, now, viewer=viewer),
            )
        finally:
            QApplication.restoreOverrideCursor()
        path = save_pdf(pdf, self, f"slt-pack-{week}.pdf")
        if path is not None:
            self._say(f"Saved the weekly SLT pack to {path}")
        return path

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)
