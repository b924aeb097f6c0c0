"""Help → Guide (F1): a short page per tab in plain words, and every keyboard shortcut.

The pages are Markdown files in `resources/help/`, so they can be corrected without
touching code. The shortcuts page is built from the window's own actions each time the
guide opens, so it always lists the keys that really work.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMenu,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from attendance_desk.resources import ROOT

HELP = ROOT / "help"
#: (page, title) in the order of the window's tabs; each page is `HELP/<page>.md`.
PAGES: tuple[tuple[str, str], ...] = (
    ("getting-started", "Getting started"),
    ("today", "Today"),
    ("register", "Register"),
    ("calls", "Calls"),
    ("inbox", "Inbox"),
    ("safe-and-well", "Safe and well"),
    ("letters", "Letters"),
    ("pupils", "Pupils"),
    ("reports", "Reports"),
    ("settings", "Settings"),
)
SHORTCUTS = "shortcuts"
#: The window's tab names (`main_window.TABS`) whose guide page has another name.
PAGE_OF_TAB = {"safeguarding": "safe-and-well"}


@dataclass(frozen=True, slots=True)
class Shortcut:
    """One key the window answers to: where it lives, what it does, the keys."""

    where: str
    what: str
    keys: str


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _keys(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())


def _owner(action: QAction, tabs: QTabWidget | None) -> str:
    """The title of the tab an action belongs to, or "Window" for the window's own."""
    widget = action.parent()
    while isinstance(widget, QWidget) and tabs is not None:
        index = tabs.indexOf(widget)
        if index >= 0:
            return f"{tabs.tabText(index).split(' (')[0]} tab"
        widget = widget.parentWidget()
    return "Window"


def shortcuts_of(window: QMainWindow) -> list[Shortcut]:
    """Every action with keys: the menus' in menu order, then those of the tabs."""
    found: list[Shortcut] = []
    seen: set[QAction] = set()
    for top in window.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            if not action.isSeparator() and action.shortcuts():
                found.append(
                    Shortcut(f"{_plain(top.text())} menu", _plain(action.text()), _keys(action))
                )
            seen.add(action)
    tabs = window.findChild(QTabWidget)
    for action in window.findChildren(QAction):
        if action not in seen and action.shortcuts() and action.text():
            found.append(Shortcut(_owner(action, tabs), _plain(action.text()), _keys(action)))
            seen.add(action)
    return found


def shortcuts_html(shortcuts: list[Shortcut]) -> str:
    """The shortcuts as one table per menu or tab, in the order found."""
    parts = [
        "<h1>Keyboard shortcuts</h1><p>Every key below works in this window. In the menus, "
        "each item shows its keys on the right. Alt and an underlined letter open a menu.</p>"
    ]
    where = None
    for item in shortcuts:
        if item.where != where:
            if where is not None:
                parts.append("</table>")
            where = item.where
            parts.append(f"<h3>{escape(where)}</h3><table cellpadding='3'>")
        parts.append(
            f"<tr><td width='170'><b>{escape(item.keys)}</b></td><td>{escape(item.what)}</td></tr>"
        )
    parts.append("</table>" if where is not None else "")
    return "".join(parts)


class HelpGuide(QDialog):
    """The page list on the left, the page on the right; Up and Down change page."""

    def __init__(self, window: QMainWindow, *, page: str = PAGES[0][0]) -> None:
        super().__init__(window)
        self.setObjectName("help_guide")
        self.setWindowTitle("Attendance Desk guide")
        self.resize(860, 600)
        self._shortcuts = shortcuts_html(shortcuts_of(window))
        self._names = [name for name, _ in PAGES] + [SHORTCUTS]
        self.pages = QListWidget(accessibleName="Guide pages", objectName="guide_pages")
        self.pages.addItems([title for _, title in PAGES] + ["Keyboard shortcuts"])
        self.pages.setFixedWidth(180)
        self.pages.setSpacing(3)
        self.browser = QTextBrowser(accessibleName="Guide page", objectName="guide_text")
        self.browser.setOpenExternalLinks(True)
        self.browser.document().setDocumentMargin(14)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.pages)
        row.addWidget(self.browser, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)
        self.pages.currentRowChanged.connect(self._show_row)
        self.show_page(page)
        self.pages.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_page(self, name: str) -> None:
        """Open a page by its name (a `PAGES` name or `SHORTCUTS`)."""
        self.pages.setCurrentRow(self._names.index(name) if name in self._names else 0)

    def current_page(self) -> str:
        return self._names[self.pages.currentRow()]

    def _show_row(self, row: int) -> None:
        name = self._names[row]
        if name == SHORTCUTS:
            self.browser.setHtml(self._shortcuts)
        else:
            self.browser.setMarkdown((HELP / f"{name}.md").read_text(encoding="utf-8"))
