"""Where a letter's wording is wrong: the problem named under the text, its line shaded.

The preview keeps the last good letter meanwhile, so a half-typed field never blanks it.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextFormat
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit

from attendance_desk.letters.templates import TemplateError

PROBLEM_STYLE = "color: #8c1d12; font-weight: bold;"
LINE_SHADE = QColor("#fbe3df")


def problem_label() -> QLabel:
    """The label under the text, hidden while the wording is right."""
    label = QLabel(accessibleName="Problems")
    label.setWordWrap(True)
    label.setStyleSheet(PROBLEM_STYLE)
    label.hide()
    return label


def show_problem(editor: QPlainTextEdit, label: QLabel, error: TemplateError | None) -> None:
    """Name `error` in `label` and shade its line in `editor`; None clears both."""
    selections: list[QTextEdit.ExtraSelection] = []
    if error is None:
        label.clear()
        label.hide()
    else:
        where = f"Line {error.line}: " if error.line else ""
        label.setText(f"{where}{error.problem}. The preview shows the last good text.")
        label.show()
        block = editor.document().findBlockByNumber((error.line or 0) - 1)
        if error.line and block.isValid():
            mark = QTextEdit.ExtraSelection()
            mark.format.setBackground(LINE_SHADE)
            mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            mark.cursor = editor.textCursor()
            mark.cursor.setPosition(block.position())
            selections.append(mark)
    editor.setExtraSelections(selections)
