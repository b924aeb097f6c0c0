"""Logging in, and changing one's own password (a new database's first administrator is
created by the welcome wizard)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access import auth
from attendance_desk.ui.operations.run import Done, change, keep


class LoginDialog(QDialog):
    """User name and password; `user_id` is set on success. Failures say why, and wait."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        *,
        school: str = "",
        hint: str = "",
        username: str = "",
        parent: object = None,
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle(f"Attendance Desk — {school}" if school else "Attendance Desk")
        self.setObjectName("login_dialog")
        self._factory, self._now = factory, now
        self.user_id: int | None = None
        self.username = QLineEdit(username, accessibleName="User name")
        self.password = QLineEdit(accessibleName="Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(hint)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Log in")
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel("<b>Log in to Attendance Desk</b>"))
        form.addRow("&User name", self.username)
        form.addRow("&Password", self.password)
        form.addRow(self.message)
        form.addRow(buttons)
        (self.password if username else self.username).setFocus()

    def try_login(self) -> None:
        username, password, now = self.username.text(), self.password.text(), self._now()
        try:  # a failure is kept too: it counts towards the lock-out
            self.user_id = keep(
                self._factory,
                lambda session: (
                    auth.login(session, username=username, password=password, now=now).id
                ),
                also_on=(auth.LoginFailed,),
            )
        except auth.LoginFailed as exc:
            self.message.setText(str(exc).capitalize() + ".")
            self.message.setStyleSheet("color: #a4280b;")
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()


class ChangePasswordDialog(QDialog):
    """The logged-in user changes their own password."""

    def __init__(
        self, factory: sessionmaker[Session], now: Callable[[], datetime], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("Change my password")
        self._factory, self._now = factory, now
        self.old = QLineEdit(accessibleName="Current password")
        self.new = QLineEdit(accessibleName="New password")
        self.again = QLineEdit(accessibleName="New password again")
        for edit in (self.old, self.new, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #a4280b;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.change)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Current password", self.old)
        form.addRow("New password", self.new)
        form.addRow("Again", self.again)
        form.addRow(self.message)
        form.addRow(buttons)

    def change(self) -> None:
        if self.new.text() != self.again.text():
            self.message.setText("The two new passwords are not the same.")
            return
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: auth.change_password(
                session, user=user, old=self.old.text(), new=self.new.text(), now=now
            ),
            refusals=(auth.UserError,),
            say=lambda text: self.message.setText(text.capitalize() + "."),
        )
        if isinstance(done, Done):
            self.accept()
