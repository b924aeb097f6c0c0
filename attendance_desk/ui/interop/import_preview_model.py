"""The import wizard's preview table: the file's first rows under our columns, with what
importing each would do; a cell with a problem is red with the problem as its tooltip."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from attendance_desk.interop.column_mapping import EXPECTED
from attendance_desk.interop.import_preview import Preview, PreviewRow
from attendance_desk.interop.row_verdicts import Status
from attendance_desk.ui.widgets.row_table_model import Index, RowTableModel

#: How many rows the preview shows; the summary counts them all.
SHOWN = 50
ERROR_BACKGROUND = QColor("#f8d4cf")
CHANGED_BACKGROUND = QColor("#fff0c2")
#: A value that imports but deserves a look (a year group that does not fit the age).
WARNING_BACKGROUND = QColor("#fde0c5")
STATUS_TEXT = {
    Status.NEW: "new",
    Status.UPDATED: "updated",
    Status.UNCHANGED: "unchanged",
    Status.SKIPPED: "skipped",
    Status.ERROR: "problem",
}


class ImportPreviewModel(RowTableModel[PreviewRow]):
    """Line, what happens, then one column per mapped column of ours."""

    LINE, STATUS = 0, 1

    def __init__(self) -> None:
        super().__init__(["Line", "Import"])
        self._columns: tuple[str, ...] = ()
        self._labels: dict[str, str] = {}

    def set_preview(self, preview: Preview | None) -> None:
        """The preview's first rows, under the columns its file was mapped to."""
        self.beginResetModel()
        self._rows = preview.rows[:SHOWN] if preview else []
        self._columns = preview.columns if preview else ()
        kind = preview.kind if preview else ""
        self._labels = {c.name: c.label for c in EXPECTED.get(kind, ())}
        self._headers = ["Line", "Import", *(self._labels.get(n, n) for n in self._columns)]
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row, column)
        return None

    def _name(self, column: int) -> str:
        return self._columns[column - 2] if column >= 2 else ""

    def _display(self, row: PreviewRow, column: int) -> str:
        if column == self.LINE:
            return str(row.line)
        if column == self.STATUS:
            return STATUS_TEXT[row.verdict.status]
        return row.cells[self._name(column)]

    def _problems(self, row: PreviewRow, column: int) -> list[str]:
        """The cell's problems; the status column has all of the row's."""
        if column == self.STATUS:
            return [f"{field}: {problem}" for field, problem in row.verdict.problems]
        name = self._name(column)
        return [problem for field, problem in row.verdict.problems if field == name]

    def _warnings(self, row: PreviewRow, column: int) -> list[str]:
        """The cell's warnings; the status column has all of the row's."""
        name = self._name(column)
        return [
            text for field, text in row.verdict.warnings if column == self.STATUS or field == name
        ]

    def _tooltip(self, row: PreviewRow, column: int) -> str | None:
        if problems := self._problems(row, column):
            return "\n".join(problems)
        if column == self.STATUS and row.verdict.reason:
            return row.verdict.reason
        if warnings := self._warnings(row, column):
            return "\n".join(f"Check: {text}" for text in warnings)
        change = row.verdict.changes.get(self._name(column)) if column >= 2 else None
        if change is not None:
            old, new = change
            return f"was {_shown(old)}, becomes {_shown(new)}"
        if column == self.STATUS and row.verdict.changes:
            return "changes: " + ", ".join(
                self._labels.get(name, name) for name in row.verdict.changes
            )
        return None

    def _background(self, row: PreviewRow, column: int) -> QBrush | None:
        if self._problems(row, column):
            return QBrush(ERROR_BACKGROUND)
        if column >= 2 and self._warnings(row, column):
            return QBrush(WARNING_BACKGROUND)
        if column >= 2 and self._name(column) in row.verdict.changes:
            return QBrush(CHANGED_BACKGROUND)
        return None


def _shown(value: object) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(value)
