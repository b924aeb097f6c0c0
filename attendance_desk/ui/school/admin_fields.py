"""The first administrator's form on the welcome wizard; the rules stay in `auth`."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from attendance_desk.school.profile import Administrator


class AdminFields(QWidget):
    """Full name, position, user name and the password twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_name = QLineEdit(accessibleName="Your full name", objectName="admin_full_name")
        self.position = QLineEdit(accessibleName="Your position", objectName="admin_position")
        self.username = QLineEdit(accessibleName="User name", objectName="admin_username")
        self.password = QLineEdit(accessibleName="Password", objectName="admin_password")
        self.again = QLineEdit(accessibleName="Password again", objectName="admin_again")
        for edit in (self.password, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.position.setPlaceholderText("e.g. Office manager")
        self.username.setPlaceholderText("what you type to log in, e.g. pmorgan")
        self.password.setPlaceholderText("at least 8 characters")
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        for label, edit in (
            ("&Full name", self.full_name),
            ("P&osition", self.position),
            ("&User name", self.username),
            ("&Password", self.password),
            ("Password a&gain", self.again),
        ):
            self.form.addRow(label, edit)

    def problem(self) -> str:
        """What the person must put right before the details go to `auth` ('' when none)."""
        if self.password.text() != self.again.text():
            return "The two passwords are not the same."
        return ""

    def details(self) -> Administrator:
        return Administrator(
            full_name=self.full_name.text(),
            position=self.position.text(),
            username=self.username.text(),
            password=self.password.text(),
        )
