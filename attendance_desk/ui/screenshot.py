"""`attendance-desk shot TAB --out FILE.png`: one tab of the real window, drawn offscreen.

Used for the README's pictures and for checking screens by eye on a machine with no
display. The window is built exactly as at start-up, logged in as the member of staff given
(`--user`), so it shows what they would see.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.store.private_files import write_private


def save_shot(
    factory: sessionmaker[Session],
    tab: str,
    out: Path,
    *,
    user_id: int,
    width: int,
    height: int,
    now: datetime | None = None,
) -> Path:
    """Draw `tab` at `width` x `height` into the PNG `out`; returns the path written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtWidgets import QApplication

    from attendance_desk.ui.access import acting_user
    from attendance_desk.ui.app import application
    from attendance_desk.ui.main_window import TAB_NAMES, MainWindow

    if tab not in TAB_NAMES:
        raise ValueError(f"there is no '{tab}' tab; choose one of {', '.join(TAB_NAMES)}")
    application([])
    acting_user.set_user(user_id)
    pinned = {"now": lambda: now, "today": lambda: now.date()} if now else {}
    window = MainWindow(factory, **pinned, send_outbox=False)  # type: ignore[arg-type]
    window.resize(width, height)
    window.show()
    window.show_tab(tab)
    for _ in range(5):
        QApplication.processEvents()
    png = QByteArray()
    buffer = QBuffer(png)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not window.grab().save(buffer, "PNG"):
        raise OSError(f"could not draw {tab} for {out}")
    write_private(out, bytes(png.data()))  # pupils' names are on it
    window.close()
    return out
