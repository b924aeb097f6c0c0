"""Open `N` codes, oldest first, overdue ones marked; resolve a selection in one go.

Only the "Due" cell of an overdue code is coloured (with the word "overdue" in it, so the
colour is never the only signal): a list of mostly overdue codes stays readable.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.catalogues import codes
from attendance_desk.register.errors import RegisterError
from attendance_desk.register.n_codes import OpenN, open_n_codes, resolve
from attendance_desk.ui.operations.run import Done, change, read
from attendance_desk.ui.widgets.dialog_size import fit_to_screen
from attendance_desk.uk_dates import day_text
from attendance_desk.wording import plural, verb

OVERDUE = QColor("#f6cdb8")
OVERDUE_TEXT = QColor("#8c1d12")
DUE_COLUMN = 4
#: What an N usually becomes, most common first (O when no reason came).
RESOLUTIONS = ("O", "I", "M", "G", "R", "C", "E", "U")


class NCodesDialog(QDialog):
    """The list, a code to resolve to, a reason, and Resolve."""

    def __init__(
        self, factory: sessionmaker[Session], now: Callable[[], datetime], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("N codes to resolve")
        self._factory = factory
        self._now = now
        self._rows: list[OpenN] = []
        self.summary = QLabel()
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Pupil", "Group", "Session", "School days", "Due"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Open N codes")
        self.code_box = QComboBox(accessibleName="Resolve to code")
        for code in RESOLUTIONS:
            self.code_box.addItem(f"{code} — {codes.BY_CODE[code].meaning}", code)
        self.reason_edit = QLineEdit(placeholderText="e.g. no reason given after 5 school days")
        self.reason_edit.setAccessibleName("Reason for the amendment")
        self.resolve_button = QPushButton("&Resolve selected")
        self.resolve_button.clicked.connect(self.resolve_selected)

        controls = QFormLayout()
        controls.addRow("&Change to", self.code_box)
        controls.addRow("R&eason", self.reason_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.resolve_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(controls)
        layout.addWidget(buttons)
        self.resolve_button.setDefault(True)
        fit_to_screen(self, 820, 560)
        self.reload()

    def reload(self) -> None:
        today = self._now().date()
        self._rows = read(self._factory, lambda session: open_n_codes(session, today))
        self.table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            due = "overdue" if row.overdue else "this week"
            values = [
                row.name,
                row.group,
                f"{day_text(row.day, year=False)} {row.session}",
                str(row.age),
                due,
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if row.overdue and c == DUE_COLUMN:
                    item.setBackground(OVERDUE)
                    item.setForeground(OVERDUE_TEXT)
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        overdue = sum(r.overdue for r in self._rows)
        self.summary.setText(
            f"{plural(len(self._rows), 'open N code')}, {overdue} overdue "
            f"({verb(overdue, 'it', 'they')} must become a reason or O)."
        )

    def resolve_selected(self) -> None:
        chosen = sorted({i.row() for i in self.table.selectedIndexes()})
        if not chosen:
            QMessageBox.information(self, "Nothing selected", "Select the N codes to resolve.")
            return
        reason = self.reason_edit.text().strip()
        if not reason:
            QMessageBox.information(
                self, "Reason required", "Say why (it is kept with the original mark)."
            )
            self.reason_edit.setFocus()
            return
        marks = [(self._rows[r].mark_id, self._rows[r].version) for r in chosen]
        result = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: resolve(
                session,
                marks=marks,
                code=self.code_box.currentData(),
                reason=reason,
                user=user,
                now=now,
            ),
            refusals=(RegisterError,),
            say=lambda text: QMessageBox.warning(self, "Not resolved", text),
        )
        if not isinstance(result, Done):
            self.reload()
            return
        done = result.value
        self.reason_edit.clear()
        self.reload()
        self.summary.setText(f"Resolved {done}. " + self.summary.text())
