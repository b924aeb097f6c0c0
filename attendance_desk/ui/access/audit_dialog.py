"""The audit viewer: who did what, and when, filtered as you type; exported as CSV.

For the head and administrator (the service refuses anyone else, and the dialog then says
so instead of showing rows). Rows come from `audit_log.search`, newest first; narrowing
the filters reaches further back than the 500 rows shown at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.models import User
from attendance_desk.store import audit_log
from attendance_desk.store.audit_log import AuditRow
from attendance_desk.ui.operations.run import Done, change, read
from attendance_desk.ui.widgets.date_editors import date_edit
from attendance_desk.ui.widgets.style import muted
from attendance_desk.uk_dates import moment_text
from attendance_desk.wording import plural

Index = QModelIndex | QPersistentModelIndex
#: How far back the viewer looks when it opens.
DEFAULT_DAYS = 30
TYPING_PAUSE_MS = 250


class Column(IntEnum):
    AT = 0
    USER = 1
    ACTION = 2
    RECORD = 3
    DETAIL = 4


HEADERS = {
    Column.AT: "When",
    Column.USER: "Who",
    Column.ACTION: "Action",
    Column.RECORD: "Record",
    Column.DETAIL: "Detail",
}


class AuditTableModel(QAbstractTableModel):
    """Audit rows, newest first; `SortRole` gives the raw value for sorting."""

    SortRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditRow] = []

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[AuditRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS.get(Column(section)) if 0 <= section < len(Column) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _text(row, column)
        if role == self.SortRole:
            return _sort_key(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.DETAIL:
            return row.summary or None
        return None


def _text(row: AuditRow, column: Column) -> str:
    if column == Column.AT:
        return moment_text(row.at)
    if column == Column.USER:
        return row.user_name
    if column == Column.ACTION:
        return row.action.replace("_", " ")
    if column == Column.RECORD:
        kind = row.entity.replace("_", " ")
        return f"{kind} {row.entity_id}" if row.entity_id is not None else kind
    return row.summary


def _sort_key(row: AuditRow, column: Column) -> Any:
    if column == Column.AT:
        return row.at.isoformat()
    if column == Column.RECORD:
        return f"{row.entity}:{row.entity_id or 0:012d}"
    return _text(row, column).casefold()


class AuditDialog(QDialog):
    """Filters across the top, the trail below, Export CSV at the bottom.

    Args:
        factory: the session factory.
        now: the clock (for the default dates and the export's audit row).
        user: the acting user in a session (`acting_user`): the service checks their role.
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        user: Callable[[Session], User],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audit log")
        self.setObjectName("audit_dialog")
        self._factory, self._now, self._user = factory, now, user
        self.model = AuditTableModel(self)
        self._build()
        self.resize(980, 560)
        self._load_choices()
        self.reload()

    # --- building -------------------------------------------------------------------
    def _build(self) -> None:
        today = self._now().date()
        self.who_edit = QLineEdit(placeholderText="Any part of a name")
        self.who_edit.setAccessibleName("Filter by who")
        self.who_edit.setClearButtonEnabled(True)
        self.action_box = QComboBox(accessibleName="Filter by action")
        self.record_box = QComboBox(accessibleName="Filter by kind of record")
        self.since_edit = _date_edit(today - timedelta(days=DEFAULT_DAYS), "From date")
        self.until_edit = _date_edit(today, "To date")
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.reload)
        self.who_edit.textEdited.connect(lambda _text: self._typing.start())
        for box in (self.action_box, self.record_box):
            box.activated.connect(lambda _index: self.reload())
        for edit in (self.since_edit, self.until_edit):
            edit.dateChanged.connect(lambda _date: self.reload())

        filters = QHBoxLayout()
        for text, widget in (
            ("&Who", self.who_edit),
            ("&Action", self.action_box),
            ("Re&cord", self.record_box),
            ("&From", self.since_edit),
            ("&To", self.until_edit),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            label.setContentsMargins(0, 0, 2, 0)  # room for a kerned "To" to overhang
            filters.addWidget(label)
            filters.addWidget(widget, 2 if widget is self.who_edit else 0)

        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(AuditTableModel.SortRole)
        self.table = QTableView()
        self.table.setObjectName("audit_table")
        self.table.setAccessibleName("Audit events, newest first")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.AT, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.DETAIL, QHeaderView.ResizeMode.Stretch)

        self.summary = muted(QLabel())
        self.summary.setObjectName("audit_summary")
        self.export_button = QPushButton("&Export CSV…")
        self.export_button.setAccessibleName("Export the rows shown as a CSV file")
        self.export_button.setToolTip("Export the rows shown as a CSV file (Ctrl+S)")
        self.export_button.clicked.connect(self.choose_export_file)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.choose_export_file)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.who_edit.setFocus)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def _load_choices(self) -> None:
        try:
            actions, entities = read(
                self._factory,
                lambda session: audit_log.filter_choices(session, viewer=self._user(session)),
            )
        except NotAllowed:
            actions, entities = [], []
        for box, anything, values in (
            (self.action_box, "Any action", actions),
            (self.record_box, "Any record", entities),
        ):
            box.clear()
            box.addItem(anything, None)
            for value in values:
                box.addItem(value.replace("_", " "), value)

    # --- loading and exporting ------------------------------------------------------------
    def reload(self) -> None:
        """Search again with the filters as they stand."""
        self._typing.stop()
        try:
            rows = read(
                self._factory,
                lambda session: audit_log.search(
                    session,
                    viewer=self._user(session),
                    user_name=self.who_edit.text(),
                    action=self.action_box.currentData(),
                    entity=self.record_box.currentData(),
                    since=_day(self.since_edit),
                    until=_day(self.until_edit),
                ),
            )
        except NotAllowed as exc:
            self.model.set_rows([])
            self.summary.setText(str(exc))
            for widget in (self.export_button, self.who_edit, self.action_box, self.record_box):
                widget.setEnabled(False)
            return
        self.model.set_rows(rows)
        if len(rows) >= audit_log.LIMIT:
            self.summary.setText(
                f"The {len(rows)} most recent matching events: narrow the filters to see "
                "older ones."
            )
        else:
            self.summary.setText(f"{plural(len(rows), 'event')}.")

    def choose_export_file(self) -> None:
        if not self.export_button.isEnabled():
            return
        name = f"audit-{self._now():%Y-%m-%d}.csv"
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export the audit log", name, "CSV files (*.csv)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> int | None:
        """Write the rows shown to `path`; the export is itself recorded in the audit log."""
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, _user, now: audit_log.export_csv(
                session, viewer=self._user(session), now=now, rows=self.model.rows(), path=path
            ),
            refusals=(OSError, NotAllowed),
            say=lambda text: QMessageBox.warning(self, "Not exported", text),
        )
        if not isinstance(done, Done):
            return None
        count = done.value
        self.summary.setText(f"Wrote {plural(count, 'event')} to {path}.")
        return count


def _date_edit(day: date, name: str) -> QDateEdit:
    return date_edit(day, name=name)


def _day(edit: QDateEdit) -> date:
    qdate = edit.date()
    return date(qdate.year(), qdate.month(), qdate.day())
