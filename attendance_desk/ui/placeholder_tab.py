"""A tab that says plainly what it will hold, and that it is not here yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from attendance_desk.ui.style import centred_column, heading, muted

#: What each tab still to come will hold, in the words the office uses.
PLANNED: dict[str, tuple[str, str]] = {
    "settings": (
        "Settings",
        "The school, its calendar and register times, the follow-up policy, users, "
        "backups and messaging.",
    ),
}


class PlaceholderTab(QWidget):
    """A centred heading, one paragraph, and "Coming in a later release."."""

    def __init__(self, name: str) -> None:
        super().__init__()
        title, description = PLANNED[name]
        self.setObjectName(f"tab_{name}")
        column = centred_column(self, 540)
        title_label = heading(title, scale=1.6, name="placeholder_heading")
        body = QLabel(description)
        body.setObjectName("placeholder_body")
        body.setWordWrap(True)
        later = muted(QLabel("Coming in a later release."))
        later.setObjectName("placeholder_later")
        for label, gap in ((title_label, 10), (body, 14), (later, 0)):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            column.addWidget(label)
            column.addSpacing(gap)
        self.setAccessibleName(f"{title}: {description} Coming in a later release.")

    def text(self) -> str:
        """Everything the tab says, for tests and screen readers."""
        return self.accessibleName()
