"""The register grid's table model: pupils down, sessions across, the week's and year's %.

Edits stay in the model (shown as pending) until the tab saves them in one transaction;
each edit can be undone until then. Cells a pupil cannot have (not on roll, a future
session) are disabled, so the keyboard skips nothing silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from attendance_desk.catalogues import codes
from attendance_desk.register.marks import MarkEdit
from attendance_desk.register.sheet import Cell, RegisterRow, RegisterSheet, Slot
from attendance_desk.ui.widgets import code_colours
from attendance_desk.uk_dates import day_text, full_day
from attendance_desk.wording import plural

Index = QModelIndex | QPersistentModelIndex
NAME_COLUMN = 0


@dataclass(frozen=True, slots=True)
class Pending:
    code: str
    reason: str | None = None


WEEK_TIP = "Attendance in the sessions shown (saved marks)"
YEAR_TIP = "Attendance this school year so far (saved marks)"


def _pct_data(pct: float | None, tip: str, role: int, sort_role: int) -> Any:
    """A percentage cell: `94.2`, or a dash before there are possible sessions."""
    if role == sort_role:
        return pct if pct is not None else -1.0
    if role == Qt.ItemDataRole.DisplayRole:
        return "—" if pct is None else f"{pct:.1f}"
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    if role == Qt.ItemDataRole.ToolTipRole:
        return tip
    return None


class RegisterModel(QAbstractTableModel):
    """Pupils × sessions with pending edits and an undo stack."""

    SortRole = Qt.ItemDataRole.UserRole + 1
    AmendedRole = Qt.ItemDataRole.UserRole + 2
    PendingRole = Qt.ItemDataRole.UserRole + 3

    pending_changed = Signal(int)

    def __init__(self, today: Callable[[], date]) -> None:
        super().__init__()
        self._today = today
        self._sheet = RegisterSheet("", (), ())
        self._pending: dict[tuple[int, Slot], Pending] = {}
        self._undo: list[list[tuple[tuple[int, Slot], Pending | None]]] = []
        self.history_text: Callable[[int, Slot], str] = lambda _pupil, _slot: ""

    # --- loading -----------------------------------------------------------------------
    def set_sheet(self, sheet: RegisterSheet) -> None:
        self.beginResetModel()
        self._sheet = sheet
        self._pending.clear()
        self._undo.clear()
        rows = {r.pupil_id: r for r in sheet.rows}
        for (pupil_id, slot), code in sheet.proposals.items():
            if slot in sheet.slots and self._markable(rows[pupil_id], slot):
                self._pending[(pupil_id, slot)] = Pending(code, "reported by a parent")
        self.endResetModel()
        self.pending_changed.emit(len(self._pending))

    @property
    def sheet(self) -> RegisterSheet:
        return self._sheet

    def slot_column(self, slot: Slot) -> int | None:
        try:
            return self._sheet.slots.index(slot) + 1
        except ValueError:
            return None

    def slot_at(self, column: int) -> Slot | None:
        if 1 <= column <= len(self._sheet.slots):
            return self._sheet.slots[column - 1]
        return None

    def totals_column(self) -> int:
        """The week's attendance %; the year's is the column after it."""
        return len(self._sheet.slots) + 1

    def year_column(self) -> int:
        return len(self._sheet.slots) + 2

    # --- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sheet.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sheet.slots) + 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == NAME_COLUMN:
                return "Pupil"
            if section == self.totals_column():
                return "Week\n%"
            if section == self.year_column():
                return "Year\n%"
            day, sess = self._sheet.slots[section - 1]
            return f"{day_text(day, year=False)}\n{sess}"
        if role == Qt.ItemDataRole.ToolTipRole and (slot := self.slot_at(section)):
            return f"{full_day(slot[0])}, {slot[1]} session"
        if role == Qt.ItemDataRole.ToolTipRole and section == self.totals_column():
            return WEEK_TIP
        if role == Qt.ItemDataRole.ToolTipRole and section == self.year_column():
            return YEAR_TIP
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        slot = self.slot_at(index.column())
        if slot is None:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self._markable(self._sheet.rows[index.row()], slot):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._sheet.rows[index.row()]
        if index.column() == NAME_COLUMN:
            return self._name_data(row, role)
        if index.column() == self.totals_column():
            return _pct_data(row.attendance_pct, WEEK_TIP, role, self.SortRole)
        if index.column() == self.year_column():
            return _pct_data(row.year_pct, YEAR_TIP, role, self.SortRole)
        slot = self._sheet.slots[index.column() - 1]
        return self._cell_data(row, slot, role)

    # --- role helpers ------------------------------------------------------------------
    def _name_data(self, row: RegisterRow, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, self.SortRole):
            return row.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.name}\nUPN {row.upn}" + (f"\n{row.flags}" if row.flags else "")
        return None

    def _cell_data(self, row: RegisterRow, slot: Slot, role: int) -> Any:
        pending = self._pending.get((row.pupil_id, slot))
        cell = row.cells.get(slot)
        code = pending.code if pending else (cell.code if cell else "")
        if role in (Qt.ItemDataRole.DisplayRole, self.SortRole):
            return code
        if role == Qt.ItemDataRole.BackgroundRole:
            if not self._markable(row, slot):
                return code_colours.UNAVAILABLE
            return code_colours.for_code(code)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.FontRole and pending:
            font = QFont()
            font.setBold(True)
            return font
        if role == self.AmendedRole:
            return bool(cell and cell.amended)
        if role == self.PendingRole:
            return pending is not None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, slot, cell, pending)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            meaning = codes.STORED[code].meaning if code in codes.STORED else "no mark"
            return f"{row.name}, {full_day(slot[0], year=False)} {slot[1]}: {meaning}"
        return None

    def _tooltip(
        self, row: RegisterRow, slot: Slot, cell: Cell | None, pending: Pending | None
    ) -> str:
        if not row.on_roll(slot[0]):
            return f"{row.name} was not on roll on {day_text(slot[0], year=False)}"
        if slot[0] > self._today():
            return "A future session: the register cannot be taken yet"
        lines = []
        if pending:
            lines.append(f"Not saved yet: {pending.code} ({codes.BY_CODE[pending.code].meaning})")
        if cell:
            lines.append(f"{cell.code}: {codes.entry(cell.code).meaning}")
            if cell.minutes_late:
                lines.append(f"{plural(cell.minutes_late, 'minute')} late")
            if cell.reason:
                lines.append(f"Reason: {cell.reason}")
            if cell.amended:
                lines.append(self.history_text(row.pupil_id, slot))
        return "\n".join(lines) or "No mark yet"

    def _markable(self, row: RegisterRow, slot: Slot) -> bool:
        return row.on_roll(slot[0]) and slot[0] <= self._today()

    # --- editing -----------------------------------------------------------------------
    def apply_code(self, indexes: list[QModelIndex], code: str, reason: str | None = None) -> int:
        """Set `code` as a pending edit on every markable cell given; one undo step. A plain
        present mark becomes each cell's own session's (`/` typed in an afternoon is `\\`)."""
        entry = codes.lookup(code)
        step: list[tuple[tuple[int, Slot], Pending | None]] = []
        for index in indexes:
            slot = self.slot_at(index.column())
            if slot is None or not (self.flags(index) & Qt.ItemFlag.ItemIsEnabled):
                continue
            row = self._sheet.rows[index.row()]
            key = (row.pupil_id, slot)
            step.append((key, self._pending.get(key)))
            saved = row.cells.get(slot)
            here = codes.for_session(entry.code, slot[1])
            if saved and saved.code == here and not reason:
                self._pending.pop(key, None)
            else:
                self._pending[key] = Pending(here, reason)
            self.dataChanged.emit(index, index)
        if step:
            self._undo.append(step)
            self.pending_changed.emit(len(self._pending))
        return len(step)

    def mark_unmarked_present(self, column: int) -> int:
        """Pending `/` (AM) or `\\` (PM) for every markable pupil with no mark in a column."""
        slot = self.slot_at(column)
        if slot is None:
            return 0
        empty = [
            self.index(r, column)
            for r, row in enumerate(self._sheet.rows)
            if slot not in row.cells and (row.pupil_id, slot) not in self._pending
        ]
        return self.apply_code(empty, codes.present_code(slot[1]))

    def undo(self) -> bool:
        if not self._undo:
            return False
        for key, previous in reversed(self._undo.pop()):
            if previous is None:
                self._pending.pop(key, None)
            else:
                self._pending[key] = previous
        self.dataChanged.emit(
            self.index(0, 1), self.index(self.rowCount() - 1, self.columnCount() - 1)
        )
        self.pending_changed.emit(len(self._pending))
        return True

    def pending_count(self) -> int:
        return len(self._pending)

    def pending_edits(self) -> list[MarkEdit]:
        rows = {r.pupil_id: r for r in self._sheet.rows}
        edits = []
        for (pupil_id, slot), pending in self._pending.items():
            saved = rows[pupil_id].cells.get(slot)
            edits.append(
                MarkEdit(
                    pupil_id=pupil_id,
                    day=slot[0],
                    session=slot[1],
                    code=pending.code,
                    loaded_version=saved.version if saved else None,
                    minutes_late=saved.minutes_late
                    if saved and pending.code == saved.code
                    else None,
                    code_reason=pending.reason,
                )
            )
        return edits
