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
    """Emits `locked` after `minutes` without input anywhere in the application.

    While the window is locked the clock is paused (`pause`), so a login left on screen
    never stacks a second one on top of it; `restart` starts it again.
    """

    locked = Signal()

    def __init__(self, parent: QObject, *, minutes: int) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True, interval=minutes * 60_000)
        self._timer.timeout.connect(self.locked)
        self._paused = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in _ACTIVITY and not self._paused:
            self._timer.start()
        return False

    def pause(self) -> None:
        """Stop counting (the window is locked already)."""
        self._paused = True
        self._timer.stop()

    def restart(self) -> None:
        self._paused = False
        self._timer.start()

    def set_interval_ms(self, milliseconds: int) -> None:
        """Change the idle time (Settings, and tests that cannot wait ten minutes)."""
        self._timer.setInterval(milliseconds)
        if not self._paused:
            self._timer.start()
