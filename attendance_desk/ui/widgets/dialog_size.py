"""Dialogs open at a comfortable size that still fits the screen at any scaling.

A dialog sized for a 1280×800 screen is taller than the screen at 200 % scaling on a
1920×1080 laptop (960×540 to Qt); these helpers cap the size at the screen's free area.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: The share of the screen's free area a dialog may take at most.
SCREEN_SHARE = 0.92


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize `widget` to `width` × `height`, or less when the screen is smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width = min(width, int(free.width() * SCREEN_SHARE))
        height = min(height, int(free.height() * SCREEN_SHARE))
    widget.resize(max(width, widget.minimumWidth()), max(height, widget.minimumHeight()))
