"""Locks the window after a spell with no keyboard or mouse use (an office PC is shared)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class IdleLock(QObject):
    """Emits `locked` after `minutes` without input anywhere in the application."""

    locked = Signal()

    def __init__(self, parent: QObject, *, minutes: int) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True, interval=minutes * 60_000)
        self._timer.timeout.connect(self.locked)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in _ACTIVITY:
            self._timer.start()
        return False

    def restart(self) -> None:
        self._timer.start()

    def set_interval_ms(self, milliseconds: int) -> None:
        """Change the idle time (Settings, and tests that cannot wait ten minutes)."""
        self._timer.setInterval(milliseconds)
        self._timer.start()
