"""The window's status bar: who is working, the outbox, marks not yet exported for the MIS,
and (at the right) the database in use, a file or a server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import ROLE_LABELS, Role
from attendance_desk.models import User
from attendance_desk.store.db import Location, describe
from attendance_desk.ui.operations.run import read, read_as
from attendance_desk.ui.widgets.style import muted


def _who(_session: Session, user: User, _now: datetime) -> str:
    return f"{user.full_name} ({ROLE_LABELS[Role(user.role)]})"


def _unexported(session: Session) -> int | None:
    from attendance_desk.interop.changes_export import count_unexported  # the MIS's fields

    return count_unexported(session)


class StatusLine:
    """The labels in the status bar and how each is worked out."""

    def __init__(
        self,
        bar: QStatusBar,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        location: Location,
        outbox: QWidget,
    ) -> None:
        self._factory, self._now = factory, now
        self.db_label = muted(QLabel(f"Database: {describe(location)}"))
        self.db_label.setObjectName("db_path")
        self.db_label.setAccessibleName("Database file")
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addPermanentWidget(self.db_label)
        self.user_label = QLabel()
        self.user_label.setObjectName("acting_user")
        bar.addWidget(self.user_label)
        bar.addWidget(outbox)
        self.changes_label = muted(QLabel(accessibleName="Changes not yet exported"))
        bar.addWidget(self.changes_label)

    def show_user(self) -> None:
        """The logged-in member of staff and their role."""
        self.user_label.setText(read_as(self._factory, self._now, _who))

    def show_unexported(self) -> None:
        """After an outage: how many marks changed since the last export for the MIS."""
        count = read(self._factory, _unexported)
        self.changes_label.setText(
            f"{count} mark change{'s' * (count != 1)} not yet exported to the MIS" if count else ""
        )
