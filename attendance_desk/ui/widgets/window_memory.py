"""What this PC remembers between launches: the window's size and place, and each user's
last register group on each database.

Kept in QSettings (per PC and per Windows account), not in the database: two office PCs
on one database have different screens, and none of it is part of the school's record.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

GEOMETRY = "main_window/geometry"
STATE = "main_window/state"


def restore_window(window: QMainWindow) -> bool:
    """Put the window back where it was last closed; False when nothing was saved."""
    store = QSettings()
    geometry, state = store.value(GEOMETRY), store.value(STATE)
    if isinstance(state, QByteArray):
        window.restoreState(state)
    return isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)


def save_window(window: QMainWindow) -> None:
    store = QSettings()
    store.setValue(GEOMETRY, window.saveGeometry())
    store.setValue(STATE, window.saveState())


def _group_key(database: Path, username: str) -> str:
    """One key per database file and user (the path hashed: it may hold any character)."""
    digest = hashlib.sha1(str(database.resolve()).encode(), usedforsecurity=False).hexdigest()
    return f"register/{digest[:12]}/{username}/group"


def last_group(database: Path, username: str) -> str:
    """The register group this user last opened on this database ('' when none)."""
    value = QSettings().value(_group_key(database, username))
    return value if isinstance(value, str) else ""


def remember_group(database: Path, username: str, group: str) -> None:
    QSettings().setValue(_group_key(database, username), group)
