"""The name box and matches list the desk dialogs share to choose a pupil."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QComboBox, QLineEdit
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.desk.late_desk import find_pupils
from attendance_desk.ui.operations.run import read


def connect_picker(
    name_edit: QLineEdit,
    matches: QComboBox,
    factory: sessionmaker[Session],
    now: Callable[[], datetime],
) -> None:
    """Typing in `name_edit` fills `matches` with pupils on roll (data: the pupil id)."""

    def refill(text: str) -> None:
        found = read(factory, lambda session: find_pupils(session, text, now()))
        matches.clear()
        for match in found:
            matches.addItem(f"{match.name} ({match.group})", match.pupil_id)

    name_edit.textChanged.connect(refill)
