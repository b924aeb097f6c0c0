"""Help → Guide: F1 opens the page for the tab on screen, and the shortcuts page lists real keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from pytestqt.qtbot import QtBot

from attendance_desk.ui.main_window import TABS, MainWindow
from attendance_desk.ui.widgets.help_guide import HELP, PAGES, SHORTCUTS, HelpGuide, shortcuts_of
from tests.ui.conftest import OpenWindow


def open_guide(qtbot: QtBot, window: MainWindow) -> HelpGuide:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guides = [g for g in window.findChildren(HelpGuide) if g.isVisible()]
    assert len(guides) == 1
    return guides[0]


def test_f1_opens_the_guide_at_the_tab_on_screen(qtbot: QtBot, open_window: OpenWindow):
    """F1 on the Register tab opens the guide at the Register page, in plain words; Down
    moves to the next page."""
    window = open_window()
    window.show_tab("register")
    guide = open_guide(qtbot, window)
    assert guide.current_page() == "register"
    assert "Taking the register" in guide.browser.toPlainText()
    qtbot.keyClick(guide.pages, Qt.Key.Key_Down)
    assert guide.current_page() == "calls"
    assert guide.browser.toPlainText().startswith("Calls")


def test_there_is_a_page_for_every_tab():
    """Each of the window's tabs has its own guide page on disk."""
    titles = {title for _, title in PAGES}
    assert {title for _, title in TABS} <= titles
    for name, _title in PAGES:
        assert (HELP / f"{name}.md").read_text(encoding="utf-8").startswith("# ")


def test_shortcuts_page_lists_the_window_s_real_keys(qtbot: QtBot, open_window: OpenWindow):
    """The shortcuts page is built from the window's actions: every menu item with its keys,
    and the Register tab's own keys, each one a shortcut that exists."""
    window = open_window()
    guide = open_guide(qtbot, window)
    guide.show_page(SHORTCUTS)
    text = guide.browser.toPlainText()
    listed = shortcuts_of(window)
    keys_in_window = {
        s.toString(QKeySequence.SequenceFormat.NativeText)
        for a in window.findChildren(QAction)
        for s in a.shortcuts()
    }
    assert listed and {item.keys for item in listed} <= keys_in_window
    for item in listed:
        assert item.keys in text and item.what in text
    assert any(i.where == "Help menu" and i.what == "Guide" and i.keys == "F1" for i in listed)
    assert any(i.where == "Register tab" and i.keys == "Alt+Left" for i in listed)


def test_every_menu_item_shows_its_keys(open_window: OpenWindow):
    """No menu item is without a shortcut (menus show it beside the text)."""
    window = open_window()
    missing = [
        action.text()
        for top in window.menuBar().actions()
        if top.menu() is not None
        for action in top.menu().actions()
        if not action.isSeparator() and action.menu() is None and action.shortcut().isEmpty()
    ]
    assert missing == []
