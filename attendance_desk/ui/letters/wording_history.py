"""Every saved change to a letter's wording, newest first, so an older one can be brought back
(nothing the school saved is ever lost)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from attendance_desk.letters.template_store import TemplateVersion
from attendance_desk.uk_dates import moment_text

#: The version's text (None for a return to the standard wording).
TEXT_ROLE = Qt.ItemDataRole.UserRole


class WordingHistory(QListWidget):
    """When, who, and whether it was the school's wording or back to the standard."""

    def __init__(self) -> None:
        super().__init__(accessibleName="Wording history")
        self.setToolTip("Double-click an older wording to put it back in the editor")

    def show_versions(self, versions: Sequence[TemplateVersion]) -> None:
        self.clear()
        for version in versions:
            what = "the school's wording" if version.own else "back to the standard wording"
            item = QListWidgetItem(f"{moment_text(version.saved_at)} · {version.saved_by} · {what}")
            item.setData(TEXT_ROLE, version.text)
            self.addItem(item)
        if not versions:
            empty = QListWidgetItem("No changes saved yet: the standard wording is in use.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(empty)
