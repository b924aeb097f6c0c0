"""One read-only table model for every table on the Reports tab, configured by its columns.

The Reports tab shows several small tables (groups, half-terms, codes, the PA lists) of plain
rows from `attendance_desk.figures`; each is this model with its own column list (see
`reports_columns`), so sorting, muting small groups and carrying the pupil id work the same
everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

Index = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")

#: Text of rows to read with care (small groups): the muted grey, still 7:1 on white.
MUTED_TEXT = QColor("#545b62")


@dataclass(frozen=True)
class ReportColumn(Generic[RowT]):
    """One column: its header, the text shown, the raw value it sorts by, and a tooltip."""

    header: str
    text: Callable[[RowT], str]
    sort: Callable[[RowT], Any] | None = None
    tip: str = ""
    numeric: bool = False
    cell_tip: Callable[[RowT], str | None] | None = None
    bold: Callable[[RowT], bool] | None = None


class ReportTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows of one kind shown through `ReportColumn`s.

    Args:
        columns: what each column shows.
        muted: rows drawn grey and italic (small groups), with `muted_tip` as their tooltip.
        pupil_id: the pupil a row is about, returned for `PupilIdRole` (lists only).
    """

    SortRole = Qt.ItemDataRole.UserRole + 1
    PupilIdRole = Qt.ItemDataRole.UserRole + 2

    def __init__(
        self,
        columns: Sequence[ReportColumn[RowT]],
        *,
        muted: Callable[[RowT], bool] | None = None,
        muted_tip: str = "",
        pupil_id: Callable[[RowT], int] | None = None,
    ) -> None:
        super().__init__()
        self._columns = list(columns)
        self._muted = muted
        self._muted_tip = muted_tip
        self._pupil_id = pupil_id
        self._rows: list[RowT] = []

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[RowT]:
        return list(self._rows)

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

    # --- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == self.PupilIdRole:
            return self._pupil_id(row) if self._pupil_id else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == self.SortRole:
            return column.sort(row) if column.sort else column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column)
        muted = bool(self._muted and self._muted(row))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(row, column, muted)
        if role == Qt.ItemDataRole.ForegroundRole and muted:
            return MUTED_TEXT
        if role == Qt.ItemDataRole.FontRole:
            return self._font(row, column, muted)
        return None

    # --- role helpers ------------------------------------------------------------------
    def _tip(self, row: RowT, column: ReportColumn[RowT], muted: bool) -> str | None:
        tips = [column.cell_tip(row) if column.cell_tip else None]
        if muted:
            tips.append(self._muted_tip)
        return "\n".join(t for t in tips if t) or None

    @staticmethod
    def _font(row: RowT, column: ReportColumn[RowT], muted: bool) -> QFont | None:
        bold = bool(column.bold and column.bold(row))
        if not (bold or muted):
            return None
        font = QFont()
        font.setBold(bold)
        font.setItalic(muted)
        return font


def _alignment(column: ReportColumn[Any]) -> Qt.AlignmentFlag:
    horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
    return horizontal | Qt.AlignmentFlag.AlignVCenter
