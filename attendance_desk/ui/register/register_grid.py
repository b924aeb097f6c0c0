"""The register's table view: codes typed straight from the keyboard, spreadsheet style.

A one-character code that is not the start of a longer one (`/`, `N`, `I`, `L`…) is applied
at once and the cursor moves down to the next pupil, so a column is taken in one keystroke a
child. `C`, `Y` and `J` wait for a second character (`C1`, `Y7`) or Enter. The code goes to
every selected cell, so a block can be marked in one go.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen, QPolygon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from attendance_desk.catalogues import codes
from attendance_desk.ui.register.register_model import NAME_COLUMN, RegisterModel
from attendance_desk.ui.widgets import code_colours

COMPLETE_WAIT_MS = 900


class MarkDelegate(QStyledItemDelegate):
    """Outlines unsaved cells and puts a small triangle in the corner of amended ones
    (their history is on hover)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        rect: QRect = option.rect
        if index.data(RegisterModel.PendingRole):
            painter.save()
            painter.setPen(QPen(code_colours.PENDING_OUTLINE, 2, Qt.PenStyle.DashLine))
            painter.drawRect(rect.adjusted(2, 2, -2, -2))
            painter.restore()
        if index.data(RegisterModel.AmendedRole):
            painter.save()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#8a3b12"))
            size = 7
            painter.drawPolygon(
                QPolygon(
                    [
                        rect.topRight(),
                        rect.topRight() - QPoint(size, 0),
                        rect.topRight() + QPoint(0, size),
                    ]
                )
            )
            painter.restore()


class RegisterGrid(QTableView):
    """The grid; emits `code_refused` with a message for anything that is not a code."""

    code_refused = Signal(str)
    reason_needed = Signal(str)

    def __init__(self, model: RegisterModel) -> None:
        super().__init__()
        self.setModel(model)
        self._model = model
        self._typed = ""
        self._timer = QTimer(self, singleShot=True, interval=COMPLETE_WAIT_MS)
        self._timer.timeout.connect(self._commit_typed)
        self.setItemDelegate(MarkDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setMinimumSectionSize(48)
        header.setMinimumHeight(44)
        self.setAccessibleName("Register grid")
        model.modelReset.connect(self._size_columns)

    def _size_columns(self) -> None:
        """Names as wide as the longest, the two % columns fixed, and the sessions sharing
        the rest of the width (the grid scrolls sideways only when the window is narrow)."""
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Interactive)
        self.resizeColumnToContents(NAME_COLUMN)
        self.setColumnWidth(NAME_COLUMN, max(self.columnWidth(NAME_COLUMN) + 16, 200))
        width = self.fontMetrics().horizontalAdvance("100.0") + 28
        for column in (self._model.totals_column(), self._model.year_column()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(column, width)

    # --- typing codes ------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        text = event.text().strip().upper()
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._typed:
            self._commit_typed()
            return
        if key == Qt.Key.Key_Escape and self._typed:
            self._typed = ""
            self._timer.stop()
            return
        if (
            text
            and (text.isalnum() or text in "/\\#")
            and not event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            self._type(text)
            return
        super().keyPressEvent(event)

    def _type(self, char: str) -> None:
        self._typed += char
        typed = self._typed
        if any(c != typed and c.startswith(typed) for c in codes.BY_CODE):
            self._timer.start()  # C, Y or J: wait for C1, Y7… or Enter
        else:
            self._commit_typed()

    def _commit_typed(self) -> None:
        self._timer.stop()
        typed, self._typed = self._typed, ""
        if not typed:
            return
        try:
            entry = codes.lookup(typed)
        except codes.UnknownCode as exc:
            self.code_refused.emit(str(exc))
            return
        if entry.needs_reason:
            self.reason_needed.emit(entry.code)
            return
        self.apply(entry.code)

    def apply(self, code: str, reason: str | None = None) -> None:
        """Put `code` in the selected cells, then move down to the next pupil."""
        selected = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        if not self._model.apply_code(selected, code, reason):
            self.code_refused.emit("Those cells cannot take a mark (not on roll, or a future day).")
            return
        if len(selected) == 1:
            current = self.currentIndex()
            below = self._model.index(
                min(current.row() + 1, self._model.rowCount() - 1), current.column()
            )
            self.setCurrentIndex(below)
