"""The Pupils tab's table: one row per pupil on roll, attendance coloured when persistent."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from attendance_desk.pupils.directory import FLAG_MEANINGS, PupilRow
from attendance_desk.register.stats import percent_text
from attendance_desk.ui.widgets.row_table_model import Index, RowTableModel

#: Persistent absence (10 % or more of sessions missed): a soft red that prints legibly.
PERSISTENT_BACKGROUND = QColor("#f8d7d3")
PERSISTENT_FOREGROUND = QColor("#8c1d12")
#: Severe absence (50 % or more missed) is the same hue, stronger.
SEVERE_BACKGROUND = QColor("#eeaaa2")


class Column(IntEnum):
    NAME = 0
    UPN = 1
    YEAR = 2
    GROUP = 3
    FLAGS = 4
    ATTENDANCE = 5


HEADERS = {
    Column.NAME: "Name",
    Column.UPN: "UPN",
    Column.YEAR: "Year",
    Column.GROUP: "Group",
    Column.FLAGS: "Flags",
    Column.ATTENDANCE: "Attendance %",
}

HEADER_TIPS = {
    Column.NAME: "The name the school uses: preferred forename and surname",
    Column.UPN: "Unique Pupil Number",
    Column.FLAGS: "; ".join(f"{flag}: {meaning}" for flag, meaning in FLAG_MEANINGS.items()),
    Column.ATTENDANCE: "Attendance this academic year up to today; "
    "red when 10 % or more of sessions were missed (persistent absence)",
}


def attendance_text(pct: float | None) -> str:
    """A percentage to one decimal place, half up like `stats --json`; a dash for none."""
    return percent_text(pct)


class PupilTableModel(RowTableModel[PupilRow]):
    """Plain `PupilRow`s from `pupil_directory`, read-only."""

    SortRole = Qt.ItemDataRole.UserRole + 1
    PupilIdRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self) -> None:
        super().__init__([HEADERS[c] for c in Column], [HEADER_TIPS.get(c) for c in Column])

    # --- Qt model API ------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and orientation == Qt.Orientation.Horizontal
            and section == Column.ATTENDANCE
        ):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == self.PupilIdRole:
            return row.pupil_id
        column = Column(index.column())
        if column == Column.NAME:
            return self._name_data(index.row(), row, role)
        if column == Column.YEAR:
            return self._year_data(row, role)
        if column == Column.FLAGS:
            return self._flags_data(row, role)
        if column == Column.ATTENDANCE:
            return self._attendance_data(row, role)
        text = row.upn if column == Column.UPN else row.reg_group
        if role in (Qt.ItemDataRole.DisplayRole, self.SortRole):
            return text
        return None

    # --- role helpers ------------------------------------------------------------------
    def _name_data(self, position: int, row: PupilRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == self.SortRole:
            # The service already sorts by surname then forename; keep its order.
            return position
        if role == Qt.ItemDataRole.ToolTipRole and row.legal_name != row.name:
            return f"Legal name: {row.legal_name}"
        return None

    def _year_data(self, row: PupilRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row.year_group
        if role == self.SortRole:
            return row.year_order
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.year_name
        return None

    def _flags_data(self, row: PupilRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(filter(None, ["Vulnerable" if row.vulnerable else "", row.flags]))
        if role == self.SortRole:
            # Vulnerable-list pupils first when sorted descending, then by how many flags.
            return 100 * row.vulnerable + len(row.flags.split())
        if role == Qt.ItemDataRole.ForegroundRole and row.vulnerable:
            return PERSISTENT_FOREGROUND
        if role == Qt.ItemDataRole.FontRole and row.vulnerable:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = ["On the vulnerable list"] if row.vulnerable else []
            lines += [FLAG_MEANINGS[flag] for flag in row.flags.split()]
            return "\n".join(lines) or None
        return None

    def _attendance_data(self, row: PupilRow, role: int) -> Any:
        pct = row.attendance_pct
        if role == Qt.ItemDataRole.DisplayRole:
            return attendance_text(pct)
        if role == self.SortRole:
            return -1.0 if pct is None else pct  # no sessions yet sorts below 0 %
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.BackgroundRole and row.persistent:
            return SEVERE_BACKGROUND if row.severe else PERSISTENT_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and row.persistent:
            return PERSISTENT_FOREGROUND
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._attendance_words(row)
        return None

    @staticmethod
    def _attendance_words(row: PupilRow) -> str:
        if row.attendance_pct is None:
            return "No attendance recorded yet this year"
        text = f"{attendance_text(row.attendance_pct)} attendance this year"
        if row.severe:
            return f"{text}: severe absence (half or more of sessions missed)"
        if row.persistent:
            return f"{text}: persistent absence (10 % or more of sessions missed)"
        return text
