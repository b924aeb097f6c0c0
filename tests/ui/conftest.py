"""Opening the real main window on a test database, with the date pinned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.ui.main_window import MainWindow

#: A Friday in the builders' autumn 2025 term.
TODAY = date(2025, 9, 12)

OpenWindow = Callable[[], MainWindow]


@pytest.fixture
def open_window(qtbot: QtBot, factory: sessionmaker[Session]) -> OpenWindow:
    """Show the main window on today's test database and make it active (for shortcuts)."""

    def open_() -> MainWindow:
        window = MainWindow(factory, today=lambda: TODAY)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.waitUntil(lambda: window.started)  # Today's list and the tab counts are in
        return window

    return open_
