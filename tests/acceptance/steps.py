"""What a person at the office PC does, as key presses and clicks on the real window:
log in, lock and hand over, open a desk dialog, answer a dialog, click a row.

Modal dialogs are answered by a check scheduled before the click that opens them
(`tests.helpers.modal`); a dialog that never comes, or that does not close when answered,
fails the test instead of hanging it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLineEdit,
    QListWidget,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.access.login_dialog import LoginDialog
from attendance_desk.ui.app import sign_in
from attendance_desk.ui.main_window import TAB_NAMES, MainWindow
from attendance_desk.ui.register.register_model import RegisterModel
from tests.acceptance.hillside import Clock
from tests.helpers import modal
from tests.helpers.builders import STAFF_PASSWORD

W = TypeVar("W", bound=QWidget)
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@contextmanager
def answering(qtbot: QtBot, kind: type[W], answer: Callable[[W], object]) -> Iterator[None]:
    """Answer the next modal `kind` that the block opens (`tests.helpers.modal.answering`);
    the answer must close it. Then the window behind it is active again."""

    def answer_and_close(dialog: W) -> None:
        answer(dialog)
        if isinstance(dialog, QDialog) and dialog.isVisible():
            raise AssertionError(f"the {kind.__name__} was still open after the answer")

    # The active window may be one an earlier test closed and Qt has since deleted: then no
    # window is behind the dialog.
    behind = QApplication.activeWindow()
    with modal.answering(qtbot, kind, answer_and_close):
        yield
    if behind is not None and shiboken6.isValid(behind) and behind.isVisible():
        back_to(qtbot, behind)


def back_to(qtbot: QtBot, window: QWidget) -> None:
    """A dialog has closed: its window is active again, as a desktop's window manager makes
    it (the offscreen platform does not), so its shortcuts work."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _log_in(qtbot: QtBot, username: str) -> Callable[[LoginDialog], None]:
    """Type the user name and password into the login dialog, and Enter."""

    def fill(dialog: LoginDialog) -> None:
        name, password = named(dialog, QLineEdit, "User name"), named(dialog, QLineEdit, "Password")
        name.clear()
        qtbot.keyClicks(name, username)
        qtbot.keyClicks(password, STAFF_PASSWORD)
        qtbot.keyClick(password, Qt.Key.Key_Return)

    return fill


def open_as(
    qtbot: QtBot, factory: sessionmaker[Session], clock: Clock, username: str
) -> MainWindow:
    """Start Attendance Desk as the app does: the login, then the main window on `clock`."""
    with answering(qtbot, LoginDialog, _log_in(qtbot, username)):
        signed_in = sign_in(factory, clock.today)
    assert signed_in is not None, "the login was refused"
    set_user(signed_in[0])
    window = MainWindow(factory, today=clock.today, now=clock)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach only the active window
    qtbot.waitUntil(lambda: window.started)  # Today's list and the tab counts are in
    return window


def hand_over(qtbot: QtBot, window: MainWindow, username: str) -> None:
    """Lock the window (Ctrl+Shift+L) and let `username` log in at the same PC."""
    with answering(qtbot, LoginDialog, _log_in(qtbot, username)):
        qtbot.keyClick(window, Qt.Key.Key_L, CTRL | SHIFT)


def shortcut(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    """Ctrl+`key` on the window (the Desk menu's shortcuts)."""
    qtbot.keyClick(window, key, CTRL)


def go_to(qtbot: QtBot, window: MainWindow, tab: str) -> QWidget:
    """Ctrl+1…8: the tab called `tab`."""
    number = TAB_NAMES.index(tab) + 1
    assert QApplication.activeWindow() is window, f"active: {QApplication.activeWindow()}"
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), CTRL)
    assert window.current_tab_name() == tab
    return window.tabs.currentWidget()


def tab_title(window: MainWindow, tab: str) -> str:
    return window.tabs.tabText(TAB_NAMES.index(tab))


def open_dialog(window: MainWindow, kind: type[W]) -> W:
    """The desk dialog of `kind` the window has just opened (they are not modal)."""
    found = [d for d in window.findChildren(kind) if d.isVisible()]
    assert len(found) == 1, f"expected one {kind.__name__} on screen, found {len(found)}"
    return found[0]


def _called(widget: QWidget, name: str) -> bool:
    text = getattr(widget, "text", None)
    shown = text().replace("&", "") if callable(text) else None
    return name in (widget.objectName(), widget.accessibleName(), shown)


def all_named(parent: QWidget, kind: type[W], name: str) -> list[W]:
    """Every `kind` on screen under `parent` called `name` (see `named`)."""
    return [w for w in parent.findChildren(kind) if w.isVisible() and _called(w, name)]


def named(parent: QWidget, kind: type[W], name: str) -> W:
    """The one `kind` on screen under `parent` called `name`: its accessible name (what a
    screen reader says), its text without the & of its shortcut, or its object name."""
    found = all_named(parent, kind, name)
    assert len(found) == 1, f"expected one {kind.__name__} called '{name}', found {len(found)}"
    return found[0]


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), f"'{button.text()}' cannot be clicked"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tick(qtbot: QtBot, box: QAbstractButton) -> None:
    """Click a check box or radio button on its box (where a person clicks), and see it on."""
    assert box.isVisible() and box.isEnabled(), f"'{box.text()}' cannot be ticked"
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))
    assert box.isChecked(), f"'{box.text()}' did not tick"


def press(qtbot: QtBot, parent: QWidget, name: str) -> None:
    """Click the button called `name` (see `named`)."""
    click(qtbot, named(parent, QAbstractButton, name))


def register_grid(tab: QWidget) -> tuple[QTableView, RegisterModel]:
    """The Register tab's grid and the marks it shows."""
    grid = named(tab, QTableView, "Register grid")
    model = grid.model()
    assert isinstance(model, RegisterModel)
    return grid, model


def tree_groups(tree: QTreeWidget) -> dict[str, list[str]]:
    """Each top-level row's text, with its children's first column."""
    groups: dict[str, list[str]] = {}
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        groups[top.text(0)] = [top.child(j).text(0) for j in range(top.childCount())]
    return groups


def find_row(tree: QTreeWidget, group_starts: str, name: str) -> QTreeWidgetItem:
    """The row for `name` under the group whose title starts with `group_starts`."""
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        if top.text(0).startswith(group_starts):
            for j in range(top.childCount()):
                if top.child(j).text(0) == name:
                    return top.child(j)
    raise AssertionError(f"no '{name}' under '{group_starts}' in {tree_groups(tree)}")


def click_row(qtbot: QtBot, tree: QTreeWidget, item: QTreeWidgetItem) -> None:
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tree.currentItem() is item


def click_list_row(qtbot: QtBot, widget: QListWidget, starts: str) -> None:
    """Click the list row whose text starts with `starts`."""
    items = [widget.item(i) for i in range(widget.count())]
    item = next((i for i in items if i.text().startswith(starts)), None)
    assert item is not None, f"no row starting '{starts}' in {[i.text() for i in items]}"
    widget.scrollToItem(item)
    rect = widget.visualItemRect(item)
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert widget.currentItem() is item


def list_texts(widget: QListWidget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]
