"""The progress dialog of a batch of letters: "Letter 3 of 40…" and a Cancel button.

The letters are sent in one transaction, so Cancel rolls the whole batch back: nothing is
logged and no case moves on.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class SendingProgress(QProgressDialog):
    """Counts the letters of a batch; `report` is the sending service's progress callback."""

    #: (letters done, letters in all), after the bar has moved.
    stepped = Signal(int, int)

    def __init__(self, parent: QWidget) -> None:
        super().__init__("Preparing the letters…", "Cancel", 0, 0, parent)
        self.setWindowTitle("Sending letters")
        self.setAccessibleName("Sending letters")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)

    def report(self, done: int, total: int) -> bool:
        """Show `done` of `total`; False once Cancel has been pressed (the batch then stops)."""
        self.setMaximum(total)
        self.setLabelText(f"Letter {min(done + 1, total)} of {total}…")
        self.setValue(done)  # a modal progress dialog lets Qt handle events (the Cancel) here
        self.stepped.emit(done, total)
        return not self.wasCanceled()
