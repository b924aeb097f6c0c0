"""The Reports tab's table pages: groups, a plain table with a note, and the pupils to watch.

Each page takes plain values from `attendance_desk.figures` and shows them through a
`ReportTableModel`; the lists page also opens pupils and exports its lists to CSV.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from attendance_desk.figures import lists
from attendance_desk.figures.breakdowns import SMALL_GROUP, Breakdown
from attendance_desk.figures.lists import ConcernLists, ListedPupil
from attendance_desk.ui.figures.report_table_model import ReportTableModel
from attendance_desk.ui.figures.reports_columns import group_model, pupil_model
from attendance_desk.ui.widgets.style import muted
from attendance_desk.wording import plural


def make_table(
    model: ReportTableModel[Any], name: str, *, stretch_last: bool = False
) -> QTableView:
    """A read-only, sortable table over `model` (sorted by its raw values, not its text)."""
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(name.replace("_", " ").capitalize())
    # Owned by the view it sorts for (a proxy parented to a Python-owned model is freed
    # twice when the tab goes, and crashes).
    proxy = QSortFilterProxyModel(table)
    proxy.setSourceModel(model)
    proxy.setSortRole(ReportTableModel.SortRole)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setMinimumSectionSize(72)
    # Figures stay beside their labels; only free text (the last action) takes the rest.
    header.setStretchLastSection(stretch_last)
    return table


def _note(text: str) -> QLabel:
    label = muted(QLabel(text))
    label.setWordWrap(True)
    return label


class TablePage(QWidget):
    """One table and a note under it saying how to read it."""

    def __init__(self, model: ReportTableModel[Any], name: str, note: str) -> None:
        super().__init__()
        self.model = model
        self.table = make_table(model, name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(_note(note))


class GroupsPage(QWidget):
    """One breakdown at a time, chosen from a list; small groups grey and italic."""

    def __init__(self) -> None:
        super().__init__()
        self.model = group_model()
        self.box = QComboBox()
        self.box.setObjectName("report_group_by")
        self.box.setAccessibleName("Break the figures down by")
        self.table = make_table(self.model, "group_table")
        self._breakdowns: dict[str, Breakdown] = {}
        self.box.currentIndexChanged.connect(self._show)
        label = QLabel("&Break down by")
        label.setBuddy(self.box)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.box)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(
            _note(
                f"* Fewer than {SMALL_GROUP} pupils: shown in grey italics, as one child's "
                "absence moves these figures a lot. Pupils are grouped by what their record "
                "says today (year group, form, flags)."
            )
        )

    def show_breakdowns(self, breakdowns: Sequence[Breakdown]) -> None:
        """Offer every breakdown, keeping the one chosen (year group at first)."""
        chosen = self.box.currentData() or "year_group"
        self._breakdowns = {b.name: b for b in breakdowns}
        self.box.blockSignals(True)
        self.box.clear()
        for breakdown in breakdowns:
            self.box.addItem(breakdown.title, breakdown.name)
        self.box.setCurrentIndex(max(0, self.box.findData(chosen)))
        self.box.blockSignals(False)
        self._show()

    def _show(self) -> None:
        breakdown = self._breakdowns.get(self.box.currentData() or "")
        self.model.set_rows(breakdown.groups if breakdown else [])


class WatchListsPage(QWidget):
    """The PA list over the at-risk list, each with "Export CSV…"; Enter or a double-click
    on a pupil opens them."""

    open_pupil = Signal(int)
    #: A file was written: what to tell the user.
    saved = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.lists: ConcernLists | None = None
        self.pa_model, self.at_risk_model = pupil_model(), pupil_model()
        self.pa_table = make_table(self.pa_model, "pa_table", stretch_last=True)
        self.at_risk_table = make_table(self.at_risk_model, "at_risk_table", stretch_last=True)
        self.pa_label, self.at_risk_label = QLabel(), QLabel()
        self.pa_export = QPushButton("Export CSV…")
        self.pa_export.setAccessibleName("Export the persistent absence list as CSV")
        self.at_risk_export = QPushButton("Export CSV…")
        self.at_risk_export.setAccessibleName("Export the at-risk list as CSV")
        self.pa_export.clicked.connect(lambda: self.export_csv(persistent=True))
        self.at_risk_export.clicked.connect(lambda: self.export_csv(persistent=False))
        split = QSplitter(Qt.Orientation.Vertical)
        for label, button, table in (
            (self.pa_label, self.pa_export, self.pa_table),
            (self.at_risk_label, self.at_risk_export, self.at_risk_table),
        ):
            table.activated.connect(self._activated)
            label.setWordWrap(True)
            top = QHBoxLayout()
            top.addWidget(label, 1)
            top.addWidget(button)
            part = QWidget()
            inner = QVBoxLayout(part)
            inner.setContentsMargins(0, 4, 0, 4)
            inner.addLayout(top)
            inner.addWidget(table, 1)
            split.addWidget(part)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(_note("Double-click a pupil, or press Enter, to open them."))

    def show_lists(self, found: ConcernLists) -> None:
        self.lists = found
        self.pa_model.set_rows(found.persistent)
        self.at_risk_model.set_rows(found.at_risk)
        self.pa_label.setText(
            f"<b>Persistent absence</b>: {plural(len(found.persistent), 'pupil')} missed "
            "10 % or more of their sessions (severe absence in bold)"
        )
        self.at_risk_label.setText(
            f"<b>At risk</b>: {plural(len(found.at_risk), 'pupil')} missed "
            f"{lists.AT_RISK_FROM:g} % to under 10 % (attendance above 90 %, at most "
            f"{100 - lists.AT_RISK_FROM:g} %)"
        )

    def _activated(self, index: QModelIndex) -> None:
        pupil_id = index.data(ReportTableModel.PupilIdRole)
        if pupil_id is not None:
            self.open_pupil.emit(int(pupil_id))

    def export_csv(self, *, persistent: bool) -> Path | None:
        """Ask where to save the PA (or at-risk) list and write it as CSV."""
        if self.lists is None:
            return None
        rows: Sequence[ListedPupil] = self.lists.persistent if persistent else self.lists.at_risk
        stem = "persistent-absence" if persistent else "at-risk"
        suggested = f"{stem}-{self.lists.start}-to-{self.lists.end}.csv"
        name, _ = QFileDialog.getSaveFileName(self, "Export CSV", suggested, "CSV files (*.csv)")
        if not name:
            return None
        path = Path(name if name.lower().endswith(".csv") else f"{name}.csv")
        count = lists.write_csv(path, rows)
        self.saved.emit(f"Saved {plural(count, 'pupil')} to {path}")
        return path
