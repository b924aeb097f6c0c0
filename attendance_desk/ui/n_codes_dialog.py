"""Open `N` codes, oldest first, overdue ones highlighted; resolve a selection in one go."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
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

from attendance_desk import codes
from attendance_desk.db import transaction
from attendance_desk.n_codes import OpenN, open_n_codes, resolve
from attendance_desk.register import RegisterError
from attendance_desk.ui.acting_user import acting_user
from attendance_desk.uk_dates import day_text

OVERDUE = QColor("#f6cdb8")
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
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Open N codes")
        self.code_box = QComboBox(accessibleName="Resolve to code")
        for code in RESOLUTIONS:
            self.code_box.addItem(f"{code} — {codes.BY_CODE[code].meaning}", code)
        self.reason_edit = QLineEdit(placeholderText="e.g. no reason given after 5 school days")
        self.reason_edit.setAccessibleName("Reason for the amendment")
        self.resolve_button = QPushButton("&Resolve selected")
        self.resolve_button.clicked.connect(self.resolve_selected)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Change to"))
        controls.addWidget(self.code_box)
        controls.addWidget(QLabel("Reason"))
        controls.addWidget(self.reason_edit, 1)
        controls.addWidget(self.resolve_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(controls)
        self.resolve_button.setDefault(True)
        self.resize(760, 480)
        self.reload()

    def reload(self) -> None:
        with self._factory() as session:
            self._rows = open_n_codes(session, self._now().date())
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
                if row.overdue:
                    item.setBackground(OVERDUE)
                self.table.setItem(r, c, item)
        overdue = sum(r.overdue for r in self._rows)
        self.summary.setText(
            f"{len(self._rows)} open N codes, {overdue} overdue (they must become a reason or O)."
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
        try:
            with transaction(self._factory) as session:
                done = resolve(
                    session,
                    marks=marks,
                    code=self.code_box.currentData(),
                    reason=reason,
                    user=acting_user(session),
                    now=self._now(),
                )
        except RegisterError as exc:
            QMessageBox.warning(self, "Not resolved", str(exc))
            self.reload()
            return
        self.reason_edit.clear()
        self.reload()
        self.summary.setText(f"Resolved {done}. " + self.summary.text())
