"""Register times: when each year group's morning and afternoon registers open and close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed, Permission, require
from attendance_desk.models import User
from attendance_desk.school import settings
from attendance_desk.school.register_times import Window
from attendance_desk.school.setup import register_windows, set_register_windows
from attendance_desk.ui.operations.run import Done, change, read
from attendance_desk.ui.widgets.date_editors import picked_time

#: The four times of each year's row, as its columns are headed (and its editors named).
HEADINGS = ("AM opens", "AM closes", "PM opens", "PM closes")


class RegisterTimesDialog(QDialog):
    """A row a year group: AM opens, AM closes, PM opens, PM closes."""

    def __init__(
        self, factory: sessionmaker[Session], now: Callable[[], datetime], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("Register times")
        self._factory, self._now = factory, now
        self._years = read(factory, register_windows)
        grid = QGridLayout()
        for column, heading in enumerate(("Year", *HEADINGS)):
            grid.addWidget(QLabel(f"<b>{heading}</b>"), 0, column)
        self.edits: dict[str, list[QTimeEdit]] = {}
        for row, year in enumerate(self._years, start=1):
            grid.addWidget(QLabel(year.name), row, 0)
            times = (year.am.opens, year.am.closes, year.pm.opens, year.pm.closes)
            edits = []
            for column, value in enumerate(times, start=1):
                edit = QTimeEdit(QTime(value.hour, value.minute))
                edit.setDisplayFormat("HH:mm")
                edit.setAccessibleName(f"{year.name} {HEADINGS[column - 1]}")
                grid.addWidget(edit, row, column)
                edits.append(edit)
            self.edits[year.code] = edits
        self.message = QLabel("Arriving after a register opens is late (L); after it closes, U.")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> None:

        def save(session: Session, user: User, now: datetime) -> list[str]:
            require(user, Permission.CHANGE_SETTINGS)
            longest = settings.get(session, settings.REGISTER_MAX_OPEN_MINUTES)
            warnings: list[str] = []
            for code, edits in self.edits.items():
                a, b, c, d = (picked_time(e) for e in edits)
                warnings += set_register_windows(
                    session,
                    code=code,
                    am=Window("AM", a, b),
                    pm=Window("PM", c, d),
                    user=user,
                    now=now,
                    max_open_minutes=longest,
                )
            return warnings

        done = change(
            self,
            self._factory,
            self._now,
            save,
            refusals=(ValueError, NotAllowed),
            say=self._refused,
        )
        if not isinstance(done, Done):
            return
        warnings = done.value
        if warnings:
            self.message.setText("Saved. " + " ".join(warnings))
            self.message.setStyleSheet("color: #8a5a00;")
            return
        self.accept()

    def _refused(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #a4280b;")
