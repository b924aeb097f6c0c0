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

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from attendance_desk.ui.widgets.row_table_model import Index, RowTableModel

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


class ReportTableModel(RowTableModel[RowT]):
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
        super().__init__([c.header for c in columns], [c.tip or None for c in columns])
        self._columns = list(columns)
        self._muted = muted
        self._muted_tip = muted_tip
        self._pupil_id = pupil_id

    # --- Qt model API ------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return _alignment(self._columns[section])
        return super().headerData(section, orientation, role)

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
