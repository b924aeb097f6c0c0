"""Typing into widgets as a person would: any text as key presses, and file dialogs answered.

QTest's keyClicks only knows ASCII (anything else aborts the process); a character beyond it
goes as the key event a keyboard layout or input method sends: no key code, just its text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Press the keys for `text` in `widget`, one character at a time."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def answer_file_dialog(qtbot: QtBot, path: str, *, tries: int = 100) -> None:
    """Type `path` into the next file dialog and press Enter, once it has opened.

    Looks every 50 ms (up to `tries` times); a dialog that is there but cannot be answered
    is closed, so the test fails instead of hanging on it.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QFileDialog, QLineEdit

    def answer(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            if left:
                QTimer.singleShot(50, lambda: answer(left - 1))
            return
        try:
            name = dialog.findChild(QLineEdit, "fileNameEdit")
            name.setText(path)
            qtbot.keyClick(name, Qt.Key.Key_Return)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(50, lambda: answer(tries))
