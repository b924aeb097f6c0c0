"""Leave-of-absence requests: record one, and decide the pending ones.

Granting fills the register in advance with the leave code; a request whose first day has
passed cannot be granted (leave is never granted retrospectively).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.catalogues import codes
from attendance_desk.desk import leave
from attendance_desk.register.errors import RegisterError
from attendance_desk.ui.operations.run import Done, change, read
from attendance_desk.ui.widgets.date_editors import date_edit
from attendance_desk.ui.widgets.dialog_size import fit_to_screen
from attendance_desk.ui.widgets.pupil_picker import connect_picker
from attendance_desk.uk_dates import span_text
from attendance_desk.wording import plural


def _right(*buttons: QPushButton) -> QHBoxLayout:
    """Buttons at the right-hand end of a row, as a dialog's buttons sit."""
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def _label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose Alt+letter goes to `buddy` (a row holding several widgets)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class LeaveDialog(QDialog):
    """A request form above the list of requests waiting for a decision."""

    def __init__(
        self, factory: sessionmaker[Session], now: Callable[[], datetime], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("Leave of absence")
        self._factory = factory
        self._now = now
        self.pupil_edit = QLineEdit(placeholderText="Type a name")
        self.pupil_edit.setAccessibleName("Pupil")
        self.pupil_box = QComboBox(accessibleName="Matching pupil")
        self.start_edit = date_edit(now().date(), name="First day")
        self.end_edit = date_edit(now().date(), name="Last day")
        self.reason_edit = QLineEdit(accessibleName="Reason given")
        self.requested_by_edit = QLineEdit(accessibleName="Requested by")
        self.record_button = QPushButton("Record &request")
        self.pending = QListWidget(accessibleName="Requests waiting for a decision")
        self.code_box = QComboBox(accessibleName="Grant as")
        for code in leave.LEAVE_CODES:
            self.code_box.addItem(f"{code} — {codes.BY_CODE[code].meaning}", code)
        self.note_edit = QLineEdit(accessibleName="Decision note")
        self.grant_button = QPushButton("&Grant")
        self.refuse_button = QPushButton("Re&fuse")
        self.status = QLabel(accessibleName="Result")

        dates = QHBoxLayout()
        dates.addWidget(self.start_edit)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        who = QHBoxLayout()
        who.addWidget(self.pupil_edit, 1)
        who.addWidget(self.pupil_box, 2)
        form = QFormLayout()
        form.addRow(_label("&Pupil", self.pupil_edit), who)
        form.addRow(_label("&From", self.start_edit), dates)
        form.addRow("Rea&son", self.reason_edit)
        form.addRow("Requested &by", self.requested_by_edit)
        form.addRow("", _right(self.record_button))
        request_box = QGroupBox("New request")
        request_box.setLayout(form)
        decide = QFormLayout()
        decide.addRow("Grant &as", self.code_box)
        decide.addRow("&Note", self.note_edit)
        decide.addRow("", _right(self.grant_button, self.refuse_button))
        pending_box = QGroupBox("Waiting for the head's decision")
        pending_layout = QVBoxLayout(pending_box)
        pending_layout.addWidget(self.pending, 1)
        pending_layout.addLayout(decide)
        layout = QVBoxLayout(self)
        layout.addWidget(request_box)
        layout.addWidget(pending_box, 1)
        layout.addWidget(self.status)
        for button in (self.grant_button, self.refuse_button):
            button.setAutoDefault(False)  # Enter records a request; deciding takes a click
        self.record_button.setDefault(True)
        self.note_edit.setPlaceholderText("e.g. agreed by the head: family bereavement")
        self.pending.setMinimumHeight(self.fontMetrics().height() * 3)
        fit_to_screen(self, 760, 640)

        connect_picker(self.pupil_edit, self.pupil_box, factory, now)
        self.record_button.clicked.connect(self.record_request)
        self.grant_button.clicked.connect(lambda: self.decide(grant=True))
        self.refuse_button.clicked.connect(lambda: self.decide(grant=False))
        self.reload()

    def reload(self) -> None:
        lines = read(
            self._factory,
            lambda session: [
                (
                    r.id,
                    f"{r.pupil.display_name}: {span_text(r.start_date, r.end_date)}"
                    f" — {r.reason} (asked by {r.requested_by})",
                )
                for r in leave.pending_requests(session)
            ],
        )
        self.pending.clear()
        for request_id, text in lines:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, request_id)
            self.pending.addItem(item)

    def record_request(self) -> None:
        pupil_id = self.pupil_box.currentData()
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: leave.request_leave(
                session,
                pupil_id=pupil_id or 0,
                start=self.start_edit.date().toPython(),  # type: ignore[arg-type]
                end=self.end_edit.date().toPython(),  # type: ignore[arg-type]
                reason=self.reason_edit.text(),
                requested_by=self.requested_by_edit.text(),
                user=user,
                now=now,
            ),
            refusals=(RegisterError,),
            say=lambda text: QMessageBox.warning(self, "Request not recorded", text),
        )
        if not isinstance(done, Done):
            return
        self.reason_edit.clear()
        self.reload()

    def decide(self, *, grant: bool) -> None:
        item = self.pending.currentItem()
        if item is None:
            QMessageBox.information(self, "Choose a request", "Select a request first.")
            return
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: leave.decide(
                session,
                request_id=item.data(Qt.ItemDataRole.UserRole),
                grant=grant,
                code=self.code_box.currentData() if grant else None,
                note=self.note_edit.text().strip() or None,
                user=user,
                now=now,
            ),
            refusals=(RegisterError, ValueError),
            say=lambda text: QMessageBox.warning(self, "Not decided", text),
        )
        if not isinstance(done, Done):
            return
        result = done.value
        self.note_edit.clear()
        self.reload()
        if result.status == "granted":
            amended = f", {result.sessions_amended} amended" if result.sessions_amended else ""
            self.status.setText(
                f"Granted: {plural(result.sessions_filled, 'session')} filled in the "
                f"register{amended}."
            )
        else:
            self.status.setText("Refused. If the family goes anyway, code those sessions G.")
