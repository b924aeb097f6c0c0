"""The window's part of `--self-test`, and the start-up probe the packaged-app benchmark times.

The services' self-test (`attendance_desk.self_test`) stays free of Qt; this module adds
the window check to it. The main window is built on the self-test's demo school and drawn
offscreen (nothing appears on screen), which loads the Qt platform, image and style
plugins a packaged app must carry.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

from attendance_desk import self_test as checks
from attendance_desk.store.db import open_database
from attendance_desk.ui.main_window import TAB_NAMES
from attendance_desk.ui.screenshot import save_shot
from attendance_desk.ui.widgets.style import tab_icon

WIDTH, HEIGHT = 1024, 700


def check_window(context: checks.Context) -> str:
    """The main window opens on the Today tab with the app's icon and draws to a PNG."""
    from PySide6.QtWidgets import QApplication

    out = context.folder / "window.png"
    if context.user_id is None:
        raise checks.CheckFailed("nobody to draw the window for: the login check did not run")
    data = save_shot(
        context.database, "today", out, user_id=context.user_id, width=WIDTH, height=HEIGHT
    ).read_bytes()
    if not data.startswith(b"\x89PNG") or len(data) < 24:
        raise checks.CheckFailed("the window was not drawn")
    width, height = struct.unpack(">II", data[16:24])  # the PNG's IHDR chunk
    if QApplication.windowIcon().isNull():
        raise checks.CheckFailed("the app icon did not load")
    if any(tab_icon(name).pixmap(32, 32).isNull() for name in TAB_NAMES):
        raise checks.CheckFailed("the tab icons did not load (is Qt's SVG image plugin missing?)")
    platform = QApplication.platformName()
    return f"main window drawn at {width}x{height} on the '{platform}' platform"


def self_test() -> int:
    """`attendance-desk --self-test`: every service check, then the window's."""
    return checks.run([("window", check_window)])


def startup_probe(db_path: Path | None) -> int:
    """Open `db_path` and show the main window as start-up does (no sign-in), print one JSON
    line once the event loop has run (the window is on screen and answering), and quit."""
    from PySide6.QtCore import QTimer

    from attendance_desk.ui.app import application
    from attendance_desk.ui.main_window import MainWindow

    app = application([])
    factory = open_database(db_path)
    window = MainWindow(factory, db_path=db_path)
    window.show()

    def shown() -> None:
        print(json.dumps({"window": window.windowTitle()}), flush=True)
        app.quit()

    QTimer.singleShot(0, shown)
    return app.exec()
