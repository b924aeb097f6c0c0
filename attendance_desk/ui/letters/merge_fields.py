"""The merge fields and markers a letter's wording may use, listed beside the editor so the
school puts them in at the cursor (double-click, or Enter) instead of typing them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPlainTextEdit

from attendance_desk.letters.templates import FIELDS, MARKERS

TEXT_ROLE = Qt.ItemDataRole.UserRole
MARKER_HELP = {
    "summary": "The attendance table",
    "meeting": "The meeting's date, time and place, in a box",
    "signature": "The sign-off (added at the end if left out)",
}


class MergeFields(QListWidget):
    """Every `{field}` and `[marker]`, each with what it holds as its tooltip."""

    def __init__(self) -> None:
        super().__init__(accessibleName="Merge fields")
        self.setToolTip("Double-click a field, or press Enter on it, to put it in the letter")
        for name, help_text in FIELDS.items():
            self._add(f"{{{name}}}", help_text)
        for marker in MARKERS:
            self._add(f"[{marker}]", MARKER_HELP[marker])

    def _add(self, text: str, help_text: str) -> None:
        item = QListWidgetItem(text)
        item.setToolTip(help_text)
        item.setData(TEXT_ROLE, text)
        self.addItem(item)


def insert_field(editor: QPlainTextEdit, item: QListWidgetItem) -> None:
    """Put the field at the editor's cursor; a marker goes on a line of its own."""
    text = item.data(TEXT_ROLE)
    cursor = editor.textCursor()
    if text.startswith("["):
        text = ("" if cursor.atBlockStart() else "\n") + text + "\n"
    cursor.insertText(text)
    editor.setTextCursor(cursor)
    editor.setFocus()
