"""`attendance-desk shot TAB --out FILE.png`: one tab of the real window, drawn offscreen.

Used for the README's pictures and for checking screens by eye on a machine with no
display. The window is built exactly as at start-up, logged in as the school's DSL when
there is one (so the safeguarding screens show what the DSL sees).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import User
from attendance_desk.permissions import Role


def save_shot(
    factory: sessionmaker[Session],
    tab: str,
    out: Path,
    *,
    width: int,
    height: int,
    now: datetime | None = None,
) -> Path:
    """Draw `tab` at `width` x `height` into the PNG `out`; returns the path written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from attendance_desk.ui import acting_user
    from attendance_desk.ui.app import application
    from attendance_desk.ui.main_window import TAB_NAMES, MainWindow

    if tab not in TAB_NAMES:
        raise ValueError(f"there is no '{tab}' tab; choose one of {', '.join(TAB_NAMES)}")
    application([])
    with factory() as session:
        viewer = session.scalar(
            select(User.id).where(User.role == Role.DSL, User.active.is_(True)).limit(1)
        )
    acting_user.set_user(viewer)
    pinned = {"now": lambda: now, "today": lambda: now.date()} if now else {}
    window = MainWindow(factory, **pinned, send_outbox=False)  # type: ignore[arg-type]
    window.resize(width, height)
    window.show()
    window.show_tab(tab)
    for _ in range(5):
        QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise OSError(f"could not write {out}")
    window.close()
    return out
