"""The Inbox panel's list: one row per pupil a message is about, unmatched ones marked."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from attendance_desk.inbox.listing import STATUS_LABELS, InboxEntry
from attendance_desk.ui.widgets.row_table_model import Index, RowTableModel
from attendance_desk.uk_dates import day_text, span_text

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


class InboxModel(RowTableModel[InboxEntry]):
    """Read-only rows from `inbox.listing.inbox_entries`."""

    def __init__(self) -> None:
        super().__init__([HEADERS[column] for column in Column])

    def row_of(self, entry_id: int) -> int | None:
        return next((i for i, e in enumerate(self._rows) if e.id == entry_id), None)

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
