"""The Inbox panel's list: one row per pupil a message is about, unmatched ones marked."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from attendance_desk.inbox.listing import STATUS_LABELS, InboxEntry
from attendance_desk.uk_dates import day_text, span_text

Index = QModelIndex | QPersistentModelIndex
TO_MATCH = QColor("#a4280b")
DONE = QColor("#545b62")


class Column(IntEnum):
    RECEIVED = 0
    FROM = 1
    PUPIL = 2
    DATES = 3
    CODE = 4
    STATUS = 5


HEADERS = {
    Column.RECEIVED: "Received",
    Column.FROM: "From",
    Column.PUPIL: "About",
    Column.DATES: "Days",
    Column.CODE: "Code",
    Column.STATUS: "Status",
}


def dates_text(entry: InboxEntry) -> str:
    """`Mon 08 Sep`, `Mon 08 Sep PM`, `Mon 08 Sep – Fri 12 Sep`."""
    if entry.start == entry.end and entry.start_session == entry.end_session:
        return f"{day_text(entry.start, year=False)} {entry.start_session}"
    return span_text(entry.start, entry.end, year=False)


def _text(entry: InboxEntry, column: Column) -> str:
    return {
        Column.RECEIVED: f"{entry.received:%a %H:%M}",  # this week's: the weekday is enough
        Column.FROM: ("Text: " if entry.channel == "text" else "") + entry.sender_label,
        Column.PUPIL: entry.name or "(not matched)",
        Column.DATES: dates_text(entry),
        Column.CODE: entry.code or ("Leave" if entry.kind == "leave" else "?"),
        Column.STATUS: STATUS_LABELS[entry.status],
    }[column]


class InboxModel(QAbstractTableModel):
    """Read-only rows from `inbox.listing.inbox_entries`."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[InboxEntry] = []

    def set_rows(self, rows: Sequence[InboxEntry]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> InboxEntry:
        return self._rows[row]

    def row_of(self, entry_id: int) -> int | None:
        return next((i for i, e in enumerate(self._rows) if e.id == entry_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.note or entry.text[:300]
        if role == Qt.ItemDataRole.ForegroundRole:
            if entry.status == "unmatched":
                return TO_MATCH
            if not entry.is_open:
                return DONE
        return None
