"""Logging a parent's absence report, taken by phone, email or in person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.catalogues import codes
from attendance_desk.desk.absence_reports import CHANNELS, REPORT_CODES, ReportResult, log_report
from attendance_desk.register.errors import RegisterError
from attendance_desk.ui.operations.run import Done, change
from attendance_desk.ui.widgets.date_editors import date_edit
from attendance_desk.ui.widgets.pupil_picker import connect_picker


class ReportDialog(QDialog):
    """Who, which days, why, and who said so; Save codes what it can at once."""

    def __init__(
        self, factory: sessionmaker[Session], now: Callable[[], datetime], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("Parent's absence report")
        self._factory = factory
        self._now = now
        self.result_of_save: ReportResult | None = None
        self.pupil_edit = QLineEdit(placeholderText="Type a name")
        self.pupil_edit.setAccessibleName("Pupil")
        self.pupil_box = QComboBox(accessibleName="Matching pupil")
        self.start_edit = date_edit(now().date(), name="First day")
        self.start_session = QComboBox(accessibleName="First session")
        self.end_edit = date_edit(now().date(), name="Last day")
        self.end_session = QComboBox(accessibleName="Last session")
        for box, default in ((self.start_session, "AM"), (self.end_session, "PM")):
            box.addItems(["AM", "PM"])
            box.setCurrentText(default)
        self.code_box = QComboBox(accessibleName="Reason code")
        for code in REPORT_CODES:
            self.code_box.addItem(f"{code} — {codes.BY_CODE[code].meaning}", code)
        self.reason_edit = QLineEdit(accessibleName="What they said")
        self.reported_by_edit = QLineEdit(accessibleName="Who reported it")
        self.channel_box = QComboBox(accessibleName="How")
        self.channel_box.addItems(list(CHANNELS))
        self.message = QLabel()
        self.message.setStyleSheet("color: #a4280b;")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        form = QFormLayout(self)
        form.addRow("Pupil", self.pupil_edit)
        form.addRow("", self.pupil_box)
        form.addRow("From", self._pair(self.start_edit, self.start_session))
        form.addRow("To", self._pair(self.end_edit, self.end_session))
        form.addRow("Reason", self.code_box)
        form.addRow("What they said", self.reason_edit)
        form.addRow("Reported by", self.reported_by_edit)
        form.addRow("How", self.channel_box)
        form.addRow(self.message)
        form.addRow(buttons)
        connect_picker(self.pupil_edit, self.pupil_box, factory, now)

    @staticmethod
    def _pair(left: QDateEdit, right: QComboBox) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(left)
        row.addWidget(right)
        return box

    def save(self) -> None:
        if self.pupil_box.currentData() is None:
            self.message.setText("Choose the pupil: type part of their name.")
            return
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: log_report(
                session,
                pupil_id=self.pupil_box.currentData(),
                start=self.start_edit.date().toPython(),  # type: ignore[arg-type]
                start_session=self.start_session.currentText(),
                end=self.end_edit.date().toPython(),  # type: ignore[arg-type]
                end_session=self.end_session.currentText(),
                code=self.code_box.currentData(),
                reason=self.reason_edit.text(),
                reported_by=self.reported_by_edit.text(),
                channel=self.channel_box.currentText(),
                user=user,
                now=now,
            ),
            refusals=(RegisterError,),
            say=self.message.setText,
        )
        if not isinstance(done, Done):
            return
        self.result_of_save = done.value
        self.accept()
