"""Which tabs reload when a kind of data changes, so nothing on screen goes stale.

Today and Calls reload at once, wherever they are, because their counts are in the tab
titles. The other tabs that show the data reload now when on screen, or the next time they
are shown; the register never throws away unsaved edits (it catches up after the save).
The tab that made the change has usually reloaded itself and is skipped; the worklist
tabs are not (they leave their reload to the window, which works the list out once for both).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget, QWidget

from attendance_desk.ui.operations.changes import Change, DataChanges

C = Change
WORKLIST = frozenset({C.MARKS, C.CALLS, C.ACTIONS, C.LETTERS, C.SAFEGUARDING, C.PUPILS})


@dataclass(frozen=True, slots=True)
class Listener:
    """A tab, the kinds of data it shows, how it reloads, and whether it may wait until shown."""

    widget: QWidget
    kinds: frozenset[Change]
    reload: Callable[[], object]
    always: bool = False
    skip_origin: bool = True


class CatchUp(QObject):
    """Listens to the window's `DataChanges` and reloads the tabs that show what changed."""

    def __init__(self, board: DataChanges, tabs: QTabWidget, listeners: list[Listener]) -> None:
        super().__init__(board)
        self._tabs = tabs
        self._listeners = list(listeners)
        self._stale: set[int] = set()  # indexes into listeners, reloaded when next shown
        board.changed.connect(self._changed)
        tabs.currentChanged.connect(self._shown)

    def listen(self, listener: Listener) -> None:
        """Reload `listener`'s tab from now on (a tab built after the window started)."""
        self._listeners.append(listener)

    def _changed(self, kinds: frozenset[Change], origin: object) -> None:
        for index, listener in enumerate(self._listeners):
            if not kinds & listener.kinds:
                continue
            if listener.skip_origin and _within(origin, listener.widget):
                continue
            if listener.always or listener.widget.isVisible():
                listener.reload()
            else:
                self._stale.add(index)

    def _shown(self, _index: int) -> None:
        current = self._tabs.currentWidget()
        for index in sorted(self._stale):
            listener = self._listeners[index]
            if listener.widget is current:
                self._stale.discard(index)
                listener.reload()


def _within(origin: object, widget: QWidget) -> bool:
    """True when `origin` is `widget` or one of its children (the tab that made the change)."""
    node = origin if isinstance(origin, QObject) else None
    while node is not None:
        if node is widget:
            return True
        node = node.parent()
    return False
