"""The window's tabs, built the first time they are shown or asked for.

Starting the window builds none of them: each tab's module (and what it brings with it:
charts, PDFs, letters, the importers) is imported only when the office first opens that tab
or an action needs it, so the window is on screen sooner. Until then the tab bar holds a
blank page in its place; the built tab takes the same position, title and tooltip.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from attendance_desk.ui.widgets.style import tab_icon

#: The tabs in order: the name `show_tab` takes, and the title on the tab.
TABS: tuple[tuple[str, str], ...] = (
    ("today", "Today"),
    ("register", "Register"),
    ("calls", "Calls"),
    ("inbox", "Inbox"),
    ("safeguarding", "Safe and well"),
    ("letters", "Letters"),
    ("pupils", "Pupils"),
    ("reports", "Reports"),
    ("settings", "Settings"),
)
TAB_NAMES = tuple(name for name, _ in TABS)


def _focus_within(widget: QWidget) -> None:
    """Give the keyboard to the child of `widget` it last gave it to (the register's grid,
    ready to type), or else to its first, as Qt's own switch of pages does."""
    target = widget.focusWidget()
    if target is None:
        target = widget.nextInFocusChain()
        while target is not widget and not (
            widget.isAncestorOf(target) and target.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            target = target.nextInFocusChain()
    target.setFocus()


class TabShelf(QObject):
    """The tab bar's pages: a blank page per tab until `get` builds the real one.

    `built` carries each tab's name and widget once, right after it is built and placed, so
    the window can connect it. Showing a tab that is not built yet builds it.
    """

    built = Signal(str, QWidget)

    def __init__(self, tabs: QTabWidget, builders: Mapping[str, Callable[[], QWidget]]) -> None:
        super().__init__(tabs)
        self._tabs = tabs
        self._builders = builders
        self._built: dict[str, QWidget] = {}
        for index, (name, title) in enumerate(TABS):
            blank = QWidget()
            blank.setObjectName(f"unbuilt_{name}")
            tabs.addTab(blank, tab_icon(name), title)
            tabs.setTabToolTip(index, f"{title} (Ctrl+{index + 1})")
        tabs.currentChanged.connect(self._shown)

    def get(self, name: str) -> QWidget:
        """The tab called `name`, built now if it was not yet."""
        if (widget := self._built.get(name)) is not None:
            return widget
        widget = self._builders[name]()
        if name in self._built:  # building it asked for it again (a tab needing another)
            return self._built[name]
        self._built[name] = widget
        self._place(TAB_NAMES.index(name), name, widget)
        self.built.emit(name, widget)
        return widget

    def built_tab(self, name: str) -> QWidget | None:
        """The tab called `name` if it has been built, else None (nothing is built)."""
        return self._built.get(name)

    def current_name(self) -> str:
        """The name of the tab in front (built or still blank)."""
        return TAB_NAMES[self._tabs.currentIndex()]

    def _place(self, index: int, name: str, widget: QWidget) -> None:
        """Put `widget` where the blank page was, keeping the title (with its count), the
        tooltip and which tab is in front; the swap itself announces nothing."""
        tabs = self._tabs
        blank = tabs.widget(index)
        current = tabs.currentIndex()
        text, tip = tabs.tabText(index), tabs.tabToolTip(index)
        focus = QApplication.focusWidget()
        # a tab coming to the front for the first time takes the window's keyboard
        takes_focus = index == current and (focus is None or focus.window() is tabs.window())
        was_blocked = tabs.blockSignals(True)
        try:
            tabs.removeTab(index)
            tabs.insertTab(index, widget, tab_icon(name), text)
            tabs.setTabToolTip(index, tip)
            tabs.setCurrentIndex(current)
        finally:
            tabs.blockSignals(was_blocked)
        if takes_focus:
            _focus_within(widget)
        if blank is not None:
            blank.deleteLater()

    def _shown(self, index: int) -> None:
        if 0 <= index < len(TAB_NAMES):
            self.get(TAB_NAMES[index])
