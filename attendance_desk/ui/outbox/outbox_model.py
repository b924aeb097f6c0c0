"""The outbox list's table: one row per message, failed ones in red, the text on hover."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from attendance_desk.outbox.listing import KIND_LABELS, STATUS_LABELS, OutboxRow
from attendance_desk.ui.widgets.row_table_model import Index, RowTableModel
from attendance_desk.uk_dates import moment_text

FAILED_TEXT = QColor("#a4280b")
DONE_TEXT = QColor("#545b62")


class Column(IntEnum):
    CREATED = 0
    KIND = 1
    TO = 2
    PUPIL = 3
    STATUS = 4
    TRIES = 5
    PROBLEM = 6


HEADERS = {
    Column.CREATED: "Queued",
    Column.KIND: "Kind",
    Column.TO: "To",
    Column.PUPIL: "About",
    Column.STATUS: "Status",
    Column.TRIES: "Tries",
    Column.PROBLEM: "Last error",
}


def status_text(row: OutboxRow) -> str:
    """`Waiting`, `Waiting: next try 10:42`, `Failed`, `Sent 09:41` …"""
    if row.status == "queued" and row.tries and row.next_try:
        return f"Waiting: next try {row.next_try:%H:%M}"
    if row.status == "sent" and row.sent:
        return f"Sent {row.sent:%H:%M}"
    return STATUS_LABELS[row.status]


def _text(row: OutboxRow, column: Column) -> str:
    return {
        Column.CREATED: moment_text(row.created, year=False),
        Column.KIND: KIND_LABELS[row.kind],
        Column.TO: row.to,
        Column.PUPIL: row.pupil or "",
        Column.STATUS: status_text(row),
        Column.TRIES: str(row.tries),
        Column.PROBLEM: row.last_error or "",
    }[column]


class OutboxModel(RowTableModel[OutboxRow]):
    """Read-only rows from `outbox.listing.outbox_rows`; `RowRole` gives the row itself."""

    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__([HEADERS[column] for column in Column])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(row)
        if role == self.RowRole:
            return row
        return None

    @staticmethod
    def _tip(row: OutboxRow, column: Column) -> str:
        if column == Column.PROBLEM and row.last_error:
            return row.last_error
        subject = f"{row.subject}\n\n" if row.subject else ""
        return subject + row.body

    @staticmethod
    def _colour(row: OutboxRow) -> QColor | None:
        if row.status == "failed":
            return FAILED_TEXT
        return DONE_TEXT if row.status in ("sent", "cancelled") else None
