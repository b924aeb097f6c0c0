"""The sent-letters log: who sent which letter to whom and when, with re-printing.

The log is read-only: letters are never deleted. Re-printing hands back the stored PDF,
exactly as it was sent, and is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.file_names import capped_name
from attendance_desk.letters.sending import LetterError, SentRow, reprint, sent_log, stored_pdf
from attendance_desk.pupils.name_search import matches, search_words
from attendance_desk.ui.letters.letters_preview import PdfPreview
from attendance_desk.ui.operations.run import Done, change, read
from attendance_desk.ui.widgets.pdf_output import print_pdf, save_pdf
from attendance_desk.uk_dates import moment_text, plain_date

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    SENT = 0
    BY = 1
    PUPIL = 2
    GROUP = 3
    BORN = 4
    TO = 5
    LETTER = 6
    PAGES = 7


HEADINGS = {
    Column.SENT: "Sent",
    Column.BY: "By",
    Column.PUPIL: "Pupil",
    Column.GROUP: "Group",
    Column.BORN: "Born",
    Column.TO: "To",
    Column.LETTER: "Letter",
    Column.PAGES: "Pages",
}


class SentLogModel(QAbstractTableModel):
    """The log's rows; `SORT_ROLE` gives raw values for sorting."""

    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    ROW_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[SentRow] = []

    def set_rows(self, rows: list[SentRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> SentRow:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADINGS[Column(section)]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == self.SORT_ROLE:
            if column in (Column.SENT, Column.BORN):
                return (row.sent_at if column == Column.SENT else row.date_of_birth).isoformat()
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.TO:
            return row.recipient_address or "no address on record"
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.LETTER:
            return row.title
        if role == self.ROW_ROLE:
            return row
        return None

    @staticmethod
    def _display(row: SentRow, column: Column) -> str:
        return {
            Column.SENT: moment_text(row.sent_at),
            Column.BY: row.sent_by,
            Column.PUPIL: row.pupil_name,
            Column.GROUP: row.group,
            Column.BORN: plain_date(row.date_of_birth),
            Column.TO: row.recipient_name,
            Column.LETTER: f"{row.letter}: {row.title}",
            Column.PAGES: str(row.pages),
        }[column]


class SentPanel(QWidget):
    """The log with a search box, a preview and Re-print / Save a copy."""

    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        super().__init__()
        self._factory = factory
        self._now = now
        self._all: list[SentRow] = []
        self.model = SentLogModel()
        self.table = QTableView(accessibleName="Letters sent")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            Column.LETTER, QHeaderView.ResizeMode.Stretch
        )
        self.table.selectionModel().currentRowChanged.connect(self._show)
        self.search = QLineEdit(accessibleName="Find a pupil or parent")
        self.search.setPlaceholderText("Find a pupil or parent…")
        self.search.textChanged.connect(self._filter)
        self.preview = PdfPreview("Choose a letter to see it as it was sent.")
        self.reprint_button = QPushButton("Re-&print…")
        self.save_button = QPushButton("Save a &copy…")
        self.reprint_button.clicked.connect(lambda: self._reprint(to_printer=True))
        self.save_button.clicked.connect(lambda: self._reprint(to_printer=False))
        buttons = QHBoxLayout()
        buttons.addWidget(self.search, 1)
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(self.save_button)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        splitter.setSizes([640, 460])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        self.reload()

    def reload(self) -> None:
        self._all = read(self._factory, sent_log)
        self._filter()

    def _filter(self) -> None:
        words = search_words(self.search.text())
        rows = [r for r in self._all if matches(words, r.pupil_name, r.recipient_name)]
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> SentRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        for button in (self.reprint_button, self.save_button):
            button.setEnabled(self.selected() is not None)

    def _show(self, *_: object) -> None:
        self._update_buttons()
        row = self.selected()
        if row is None:
            self.preview.show_pdf(None)
            return
        self.preview.show_pdf(read(self._factory, lambda session: stored_pdf(session, row.log_id)))

    def _reprint(self, *, to_printer: bool) -> None:
        row = self.selected()
        if row is None:
            return
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: reprint(session, log_id=row.log_id, user=user, now=now),
            refusals=(LetterError,),
            say=lambda text: QMessageBox.warning(self, "Not found", text),
        )
        if not isinstance(done, Done):
            return
        pdf = done.value
        if to_printer:
            print_pdf(pdf, self, row.title)
        else:
            name = capped_name(
                f"{row.sent_at:%Y-%m-%d} {{0}} to {{1}}",
                (row.pupil_name, row.recipient_name),
                suffix=".pdf",
            )
            save_pdf(pdf, self, name)
