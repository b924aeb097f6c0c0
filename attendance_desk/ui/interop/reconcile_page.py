"""Reports → MIS check: this register against the MIS's attendance summary for the range.

The office exports the MIS's attendance summary (and, to see every session, its marks)
for the range chosen at the top of the Reports tab, picks the files here and compares.
Every pupil whose figures differ is listed, then those in one list only; choosing one
shows the sessions that explain it. Nothing is changed: the office corrects whichever
side is wrong, there or here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.figures.ranges import DateRange
from attendance_desk.interop.mis_summary import SummaryRefused
from attendance_desk.interop.reconcile import Difference, Reconciliation, reconcile
from attendance_desk.interop.reconcile_cli import counts_text, session_text
from attendance_desk.interop.reconcile_sessions import Counts
from attendance_desk.ui.figures.report_table_model import ReportColumn, ReportTableModel
from attendance_desk.ui.figures.reports_pages import make_table
from attendance_desk.ui.interop.import_choice_pages import ERROR_STYLE, short_problem
from attendance_desk.ui.operations.run import read
from attendance_desk.ui.widgets.style import muted
from attendance_desk.uk_dates import day_text
from attendance_desk.wording import plural


def _side(d: Difference) -> str:
    if d.ours is None:
        return "MIS only"
    return "here only" if d.mis is None else "differ"


def _gap(d: Difference) -> str:
    if d.ours is None or d.mis is None:
        return d.note
    parts = []
    for name in ("possible", "present", "authorised", "unauthorised"):
        change = getattr(d.ours, name) - getattr(d.mis, name)
        if change:
            parts.append(f"{name} {change:+d}")
    return "here " + ", ".join(parts) if parts else d.note


def _short_counts(counts: Counts | None) -> str:
    """ "10 · 5 · 3 · 2 (50.0 %)": possible, present, authorised, unauthorised, attendance."""
    if counts is None:
        return "—"
    pct = "—" if counts.attendance_pct is None else f"{counts.attendance_pct:.1f} %"
    numbers = (counts.possible, counts.present, counts.authorised, counts.unauthorised)
    return " · ".join(str(n) for n in numbers) + f" ({pct})"


COUNTS_TIP = (
    "Possible · present (here or an approved activity) · authorised · unauthorised sessions, "
    "and attendance"
)


COLUMNS: list[ReportColumn[Difference]] = [
    ReportColumn("Pupil", lambda d: d.name),
    ReportColumn("Group", lambda d: d.group),
    ReportColumn("UPN", lambda d: d.upn or f"Adno {d.admission_number}"),
    ReportColumn("Lists", _side, tip="differ: in both lists; or in one list only"),
    ReportColumn(
        "Here",
        lambda d: _short_counts(d.ours),
        tip=COUNTS_TIP,
        cell_tip=lambda d: counts_text(d.ours) if d.ours else None,
    ),
    ReportColumn(
        "MIS",
        lambda d: _short_counts(d.mis),
        tip=COUNTS_TIP,
        cell_tip=lambda d: counts_text(d.mis) if d.mis else None,
    ),
    ReportColumn("What differs", _gap),
]


class ReconcilePage(QWidget):
    """The files to compare, the pupils who differ, and the sessions of the one chosen."""

    open_pupil = Signal(int)

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        current_range: Callable[[], DateRange | None],
    ) -> None:
        super().__init__()
        self._factory, self._now, self._range = factory, now, current_range
        self.found: Reconciliation | None = None
        self.summary_edit = self._path_edit("mis_summary_path", "The MIS's attendance summary")
        self.marks_edit = self._path_edit("mis_marks_path", "The MIS's marks export (optional)")
        self.compare_button = QPushButton("Compar&e")
        self.compare_button.setObjectName("mis_compare")
        self.compare_button.setToolTip("Compare the files with this register for the range above")
        self.compare_button.clicked.connect(self.compare)
        self.result = QLabel()
        self.result.setObjectName("mis_result")
        self.result.setWordWrap(True)
        self.model: ReportTableModel[Difference] = ReportTableModel(
            COLUMNS, pupil_id=lambda d: d.pupil_id or 0
        )
        self.table = make_table(self.model, "mis_table", stretch_last=True)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        self.table.activated.connect(self._activated)
        self.sessions = QListWidget()
        self.sessions.setObjectName("mis_sessions")
        self.sessions.setAccessibleName("Sessions that explain the difference")
        self._lay_out()

    def _path_edit(self, name: str, accessible: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText("Type the file's path, or choose Browse")
        edit.returnPressed.connect(self.compare)
        return edit

    def _lay_out(self) -> None:
        grid = QGridLayout()
        for row, (text, edit, title) in enumerate(
            (
                ("MIS attendance &summary:", self.summary_edit, "The MIS's attendance summary"),
                ("MIS mar&ks export (optional):", self.marks_edit, "The MIS's marks export"),
            )
        ):
            label = QLabel(text)
            label.setBuddy(edit)
            browse = QPushButton("Browse…")
            browse.setAccessibleName(f"Browse for {title.lower()}")
            browse.clicked.connect(lambda _c=False, e=edit, t=title: self._browse(e, t))
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(browse, row, 2)
        grid.addWidget(self.compare_button, 0, 3, 2, 1)
        grid.setColumnStretch(1, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.sessions)
        split.setSizes([400, 160])
        note = muted(
            QLabel(
                "Export the MIS's attendance summary (possible, present, authorised and "
                "unauthorised sessions per pupil) for the range above. With its marks export "
                "too, every session that differs is named; without it, the sessions here that "
                "could explain a difference are. Double-click a pupil to open them."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.result)
        layout.addWidget(split, 1)
        layout.addWidget(note)

    def _browse(self, edit: QLineEdit, title: str) -> None:
        start = edit.text().strip() or str(Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self, title, start, "CSV files (*.csv *.txt);;All files (*)"
        )
        if name:
            edit.setText(name)

    def compare(self) -> Reconciliation | None:
        """Compare the chosen files with the register for the Reports tab's range."""
        span = self._range()
        summary = self.summary_edit.text().strip().strip('"')
        if span is None or not summary:
            self._say("Choose the MIS's attendance summary, and a range that ends after it starts.")
            return None
        marks = self.marks_edit.text().strip().strip('"')
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            today = self._now().date()
            found = read(
                self._factory,
                lambda session: reconcile(
                    session,
                    Path(summary),
                    start=span.start,
                    end=span.end,
                    today=today,
                    marks=Path(marks) if marks else None,
                ),
            )
        except SummaryRefused as exc:
            self._refused(summary, exc.errors)
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.show_result(found)
        return found

    def show_result(self, found: Reconciliation) -> None:
        self.found = found
        differ = sum(1 for d in found.differences if d.ours and d.mis)
        text = (
            f"{day_text(found.start)} to {day_text(found.end)}: "
            f"{plural(found.compared, 'pupil')} in the MIS summary, {found.agree} agree, "
            f"{differ} differ, {len(found.differences) - differ} in one list only."
        )
        self._say(" ".join([text, *found.notes]), error=False)
        self.model.set_rows(found.differences)
        self.sessions.clear()
        if found.differences:
            self.table.selectRow(0)
            self.table.setFocus()

    def _refused(self, summary: str, errors: list[str]) -> None:
        self.found = None
        self.model.set_rows([])
        self.sessions.clear()
        self.sessions.addItems([short_problem(e, summary) for e in errors])
        self._say("These files cannot be compared:", error=True)

    def _say(self, text: str, *, error: bool = True) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(ERROR_STYLE if error else "")

    def _difference(self, index: QModelIndex) -> Difference | None:
        proxy = self.table.model()
        source = proxy.mapToSource(index)  # type: ignore[attr-defined]
        return self.model.row_at(source.row()) if source.isValid() else None

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.sessions.clear()
        found = self._difference(current)
        if found is None:
            return
        self.sessions.addItems([session_text(note) for note in found.sessions])
        if found.note:
            self.sessions.addItem(found.note)

    def _activated(self, index: QModelIndex) -> None:
        found = self._difference(index)
        if found is not None and found.pupil_id is not None:
            self.open_pupil.emit(found.pupil_id)
