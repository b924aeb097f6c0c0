"""Booking a pathway meeting: when and where, asked in one small dialog."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from attendance_desk.ui.widgets.date_editors import datetime_edit


class MeetingDialog(QDialog):
    """When and where a meeting is."""

    def __init__(self, parent: QWidget, when: datetime, place: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Book the meeting")
        self.when = datetime_edit(when, name="Meeting date and time")
        self.place = QLineEdit(place, accessibleName="Meeting place")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&When", self.when)
        form.addRow("W&here", self.place)
        form.addRow(buttons)

    def values(self) -> tuple[datetime, str]:
        return self.when.dateTime().toPython(), self.place.text()  # type: ignore[return-value]
