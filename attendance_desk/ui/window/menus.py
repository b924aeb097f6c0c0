"""The window's menus, with a keyboard shortcut for every action (the office works from the
keyboard) and plain words a screen reader can read."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from attendance_desk.ui.window.tabs import TABS

if TYPE_CHECKING:
    from attendance_desk.ui.main_window import MainWindow

Slot = Callable[..., object]


def build_menus(window: MainWindow, app_name: str) -> dict[str, QAction]:
    """File, Desk, View and Help on `window`'s menu bar; the actions by name."""
    actions: dict[str, QAction] = {}
    dialogs = window.dialogs
    export, passphrase = dialogs.changes_export, window.backups.passphrase
    outbox = window.outbox_status.open_list

    def menu(title: str, entries: list[tuple[str, str, str, Slot] | None]) -> QMenu:
        found = window.menuBar().addMenu(title)
        for entry in entries:
            if entry is None:
                found.addSeparator()
            else:
                found.addAction(_action(window, actions, *entry))
        return found

    menu(
        "&File",
        [
            ("import", "&Import from your MIS…", "Ctrl+I", dialogs.import_wizard),
            ("export_changes", "&Export changes for the MIS…", "Ctrl+Shift+E", export),
            ("register_times", "Register &times…", "Ctrl+Shift+T", dialogs.register_times),
            ("users", "&Users…", "Ctrl+Shift+M", dialogs.users),
            ("restore", "&Restore from a backup…", "Ctrl+Shift+R", window.backups.ask),
            ("backup_passphrase", "&Backup passphrase…", "Ctrl+Shift+B", passphrase),
            None,
            ("lock", "&Lock the screen", "Ctrl+Shift+L", window.lock),
            ("password", "Change my &password…", "Ctrl+Shift+P", window.change_password),
            None,
            ("quit", "&Quit", "Ctrl+Q", window.close),
        ],
    )
    menu(
        "&Desk",
        [
            ("late_desk", "&Late arrivals…", "Ctrl+L", dialogs.late_desk),
            ("report", "Parent's absence &report…", "Ctrl+R", dialogs.report),
            ("n_codes", "&N codes to resolve…", "Ctrl+Shift+N", dialogs.n_codes),
            ("leave", "Leave of &absence…", "Ctrl+Shift+A", dialogs.leave),
            ("on_site", "On site and &evacuation list…", "Ctrl+E", dialogs.on_site),
            ("admit", "A&dmit a pupil…", "Ctrl+Shift+D", dialogs.admission),
            ("remove_from_roll", "Remove from r&oll…", "Ctrl+Shift+X", dialogs.removal),
            ("audit", "A&udit log…", "Ctrl+Shift+U", dialogs.audit),
            ("outbox", "Out&box: texts and emails…", "Ctrl+Shift+O", outbox),
        ],
    )
    tabs: list[tuple[str, str, str, Slot] | None] = [
        (f"show_{name}", title, f"Ctrl+{index + 1}", _show(window, name))
        for index, (name, title) in enumerate(TABS)
    ]
    menu(
        "&View",
        [
            *tabs,
            None,
            ("find", "&Find a pupil", "Ctrl+F", window.find_pupil),
            ("pupil_file", "The chosen pupil's &file…", "Ctrl+O", dialogs.pupil_file),
            ("refresh", "&Refresh", "F5", window.refresh),
        ],
    )
    menu(
        "&Help",
        [
            ("guide", "&Guide…", "F1", dialogs.guide),
            ("about", f"&About {app_name}", "Shift+F1", window.show_about),
        ],
    )
    return actions


def _show(window: MainWindow, name: str) -> Slot:
    return lambda _checked=False: window.show_tab(name)


def _action(
    window: MainWindow, actions: dict[str, QAction], name: str, text: str, shortcut: str, slot: Slot
) -> QAction:
    action = QAction(text, window)
    action.setObjectName(f"action_{name}")
    action.setShortcut(QKeySequence(shortcut))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    plain = text.replace("&", "").rstrip("…")
    action.setToolTip(f"{plain} ({shortcut})")
    # QAction has no accessible name of its own: screen readers read the menu item's
    # text and shortcut, so the text stays plain words.
    action.setStatusTip(plain)
    action.triggered.connect(slot)
    window.addAction(action)
    actions[name] = action
    return action
