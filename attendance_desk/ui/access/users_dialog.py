"""Staff logins, for the administrator: add a user with a role, disable or re-enable one.

Users are never deleted, so every name in the register's history still means someone.
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
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access import auth
from attendance_desk.access.permissions import ROLE_LABELS, NotAllowed, Role
from attendance_desk.models import User
from attendance_desk.school.setup import assign_teacher, groups_by_name
from attendance_desk.ui.operations.run import Done, change, read

#: What adding a user may be refused for: a bad form, a role not allowed, a bad group.
REFUSALS = (auth.UserError, NotAllowed, ValueError)


class UsersDialog(QDialog):
    """The list of users and the form to add one."""

    def __init__(
        self, factory: sessionmaker[Session], now: Callable[[], datetime], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("Users")
        self._factory, self._now = factory, now
        self.tree = QTreeWidget(accessibleName="Users")
        self.tree.setHeaderLabels(["Name", "User name", "Position", "Role", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(0, 180)
        self.toggle_button = QPushButton("&Disable / enable the selected user")
        self.toggle_button.setAutoDefault(False)
        self.full_name = QLineEdit(accessibleName="Full name")
        self.username = QLineEdit(accessibleName="User name")
        self.position = QLineEdit(accessibleName="Position")
        self.role_box = QComboBox(accessibleName="Role")
        for role, label in ROLE_LABELS.items():
            self.role_box.addItem(label, role.value)
        self.group_box = QComboBox(accessibleName="Class teacher of")
        self.group_box.addItem("(no group)", None)
        for group_id, name in read(factory, groups_by_name):
            self.group_box.addItem(name, group_id)
        self.password = QLineEdit(accessibleName="First password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button = QPushButton("&Add user")
        self.add_button.setDefault(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Full name", self.full_name)
        form.addRow("User name", self.username)
        form.addRow("Position", self.position)
        form.addRow("Role", self.role_box)
        form.addRow("Class teacher of", self.group_box)
        form.addRow("First password", self.password)
        form.addRow("", self.add_button)
        new_box = QGroupBox("New user")
        new_box.setLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.toggle_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        layout.addWidget(new_box)
        layout.addWidget(self.message)
        self.resize(760, 560)
        self.add_button.clicked.connect(self.add_user)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.reload()

    def reload(self) -> None:
        users = read(self._factory, auth.staff_logins)
        self.tree.clear()
        for user in users:
            item = QTreeWidgetItem(
                [
                    user.full_name,
                    user.username,
                    user.position,
                    ROLE_LABELS[user.role],
                    "active" if user.active else "disabled",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, (user.user_id, user.active))
            self.tree.addTopLevelItem(item)

    def add_user(self) -> None:
        group_id = self.group_box.currentData()

        def add(session: Session, by: User, now: datetime) -> str:
            user = auth.create_user(
                session,
                username=self.username.text(),
                full_name=self.full_name.text(),
                position=self.position.text(),
                role=self.role_box.currentData(),
                password=self.password.text(),
                now=now,
                by=by,
            )
            if user.role == Role.TEACHER and group_id is not None:
                assign_teacher(session, group_id=group_id, teacher_id=user.id, by=by, now=now)
            return user.full_name

        done = change(self, self._factory, self._now, add, refusals=REFUSALS, say=self._refused)
        if not isinstance(done, Done):
            return
        name = done.value
        for edit in (self.full_name, self.username, self.position, self.password):
            edit.clear()
        self._say(f"{name} can now log in. Ask them to change the password (File menu).")
        self.reload()

    def toggle_selected(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            self._say("Select a user first.", error=True)
            return
        user_id, active = item.data(0, Qt.ItemDataRole.UserRole)
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, by, now: auth.set_active(
                session, user_id=user_id, active=not active, by=by, now=now
            ),
            refusals=(auth.UserError, NotAllowed),
            say=self._refused,
        )
        if not isinstance(done, Done):
            return
        self._say("Disabled: they can no longer log in." if active else "Enabled again.")
        self.reload()

    def _refused(self, text: str) -> None:
        self._say(text, error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #a4280b;" if error else "color: #1d6b2f;")
