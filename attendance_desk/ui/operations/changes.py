"""Announcing what a screen changed, so every screen that shows it catches up at once.

A tab or dialog that has just written something (a call logged, a register saved, letters
sent, a safe-and-well check finished) calls `announce(self, Change.CALLS)`, naming the
pupils it touched when it knows them (`pupils=`), so the worklist works out only theirs.
The main window owns the one `DataChanges` object and, through it, reloads the tabs that
show that kind of data: the Today worklist and its count, the Calls panel, the register. A
widget on its own (in a test, or before it is placed in the window) announces to nobody,
which is harmless.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from PySide6.QtCore import QObject, Qt, Signal


class Change(StrEnum):
    """The kinds of data a write can change."""

    MARKS = "marks"  # register marks, late sign-ins, parents' reports
    CALLS = "calls"  # contact attempts
    ACTIONS = "actions"  # worklist actions completed or dismissed
    LETTERS = "letters"  # letters sent, pathway steps
    SAFEGUARDING = "safeguarding"  # safe-and-well checks
    PUPILS = "pupils"  # admissions, imports, removals from roll
    SIGN_OUTS = "sign_outs"  # pupils signed out of and back into the site
    OUTBOX = "outbox"  # texts and emails queued or released
    INBOX = "inbox"  # parents' messages fetched, matched, accepted or rejected


#: Everything: for a dialog that may have changed any of it.
EVERYTHING = frozenset(Change)


class DataChanges(QObject):
    """The window's announcement board; `changed` carries the kinds that changed and the
    widget that changed them (which has already shown its own change), or None."""

    changed = Signal(frozenset, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("data_changes")
        #: While `changed` is delivered: the pupils the change touched, or None when it may
        #: have touched anyone (then the listeners reload everything).
        self.pupils: frozenset[int] | None = None

    def announce(
        self,
        *kinds: Change,
        origin: QObject | None = None,
        pupils: Collection[int] | None = None,
    ) -> None:
        if kinds:
            self.pupils = None if pupils is None else frozenset(pupils)
            try:
                self.changed.emit(frozenset(kinds), origin)
            finally:
                self.pupils = None


def board_for(widget: QObject) -> DataChanges | None:
    """The `DataChanges` of the window `widget` lives in (a dialog's parent's window), if any."""
    node: QObject | None = widget
    while node is not None:
        found = node.findChild(
            DataChanges, "data_changes", Qt.FindChildOption.FindDirectChildrenOnly
        )
        if found is not None:
            return found
        node = node.parent()
    return None


def announce(widget: QObject, *kinds: Change, pupils: Collection[int] | None = None) -> bool:
    """Tell the window `widget` belongs to that it has just changed `kinds` of data (for
    `pupils` only, when given); False when it is in no window (then it must show its own
    change itself)."""
    if (board := board_for(widget)) is None:
        return False
    board.announce(*kinds, origin=widget, pupils=pupils)
    return True
