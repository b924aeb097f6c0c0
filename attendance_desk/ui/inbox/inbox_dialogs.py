"""The Inbox panel's two questions: which pupil a message is about (Match to…), and why a
proposal is set aside (Reject…)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.inbox.listing import InboxEntry
from attendance_desk.ui.widgets.pupil_picker import connect_picker

REJECT_REASONS = (
    "Not about an absence",
    "Already recorded (a call or another message)",
    "The child is not at this school",
    "Sent to the wrong school",
)


class MatchDialog(QDialog):
    """Type a name, pick the pupil; the inbox's suggestion comes first when there is one."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        entry: InboxEntry,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Match to a pupil")
        self.name_edit = QLineEdit(accessibleName="Pupil's name")
        self.name_edit.setPlaceholderText("Type two letters of a name")
        self.matches = QComboBox(accessibleName="Pupils found")
        connect_picker(self.name_edit, self.matches, factory, now)
        if entry.suggested_pupil_id is not None and entry.suggested_name:
            self.matches.addItem(f"{entry.suggested_name} (suggested)", entry.suggested_pupil_id)
        self.also = QCheckBox("The message is about this pupil as well (keep the first)")
        self.also.setVisible(entry.pupil_id is not None)
        sender = QLabel(f"From {entry.sender_label}: “{' '.join(entry.text.split())[:160]}”")
        sender.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept_if_chosen)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(sender)
        form.addRow("Find", self.name_edit)
        form.addRow("Pupil", self.matches)
        form.addRow(self.also)
        form.addRow(buttons)

    def pupil_id(self) -> int | None:
        data = self.matches.currentData()
        return int(data) if data is not None else None

    def _accept_if_chosen(self) -> None:
        if self.pupil_id() is None:
            self.name_edit.setPlaceholderText("Type a name and choose the pupil first")
            self.name_edit.setFocus()
            return
        self.accept()


class RejectDialog(QDialog):
    """Why the proposal is set aside: a common reason or the office's own words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reject")
        self.why = QComboBox(accessibleName="Why it is rejected")
        self.why.setEditable(True)
        self.why.addItems(REJECT_REASONS)
        self.why.setCurrentText("")
        if (line := self.why.lineEdit()) is not None:  # editable, so it has one
            line.setPlaceholderText("Why? (needed)")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept_if_given)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel("The message stays kept; nothing is written to the register."))
        form.addRow("Why", self.why)
        form.addRow(buttons)

    def text(self) -> str:
        return self.why.currentText().strip()

    def _accept_if_given(self) -> None:
        if self.text():
            self.accept()
        else:
            self.why.setFocus()
