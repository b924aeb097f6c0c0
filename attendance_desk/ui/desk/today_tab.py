"""The Today tab: every follow-up due, grouped by what must be done, most urgent first.

Each row is one click from its screen (calls open the Calls panel, N codes the resolver, the
DSL's actions the child's safe-and-well check) and can be marked done, with what happened,
or dismissed, with why; both land in the record.
Done and Dismiss are offered only to those who may close the selected kind (safeguarding
actions: the DSL, deputy DSL and head); the buttons say who may when they are not.
Refreshing saves what the rules raised, so an action stays until someone closes it; after
a change to a few pupils only theirs is worked out again (`followup.refresh`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.desk.calls import CALL_KINDS
from attendance_desk.followup import roll_actions
from attendance_desk.followup.kinds import (
    DSL_KINDS,
    KIND_LABELS,
    ORDER,
    ROLE_OF,
    ActionKind,
    may_close,
    who_may_close,
)
from attendance_desk.followup.outcomes import OutcomeError, close_action
from attendance_desk.followup.refresh import DayWorklist
from attendance_desk.followup.rules import Action
from attendance_desk.roll.changes import RollError
from attendance_desk.safeguarding.redaction import actions_for
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.ui.desk.overdue import due_text, mark_overdue, school_days_late
from attendance_desk.ui.operations.changes import Change, announce
from attendance_desk.ui.operations.run import Done, Refused, change, read_as
from attendance_desk.uk_dates import day_text

ROLES = {
    "": "Everyone",
    "receptionist": "Receptionist",
    "attendance_officer": "Attendance officer",
    "dsl": "DSL",
    "teacher": "Class teacher",
}
HINT = (
    "Enter or double-click opens the action: calls go to the Calls tab, letters to the Letters tab."
)
AT_RISK = QColor("#a4280b")
DUE_COLUMN = 3


class TodayTab(QWidget):
    """Filters, the grouped worklist and Done / Dismiss."""

    counts_changed = Signal(int)
    open_calls = Signal(int)  # the pupil whose calls to show
    open_check = Signal(int)  # the pupil whose safe-and-well check to open
    open_n_codes = Signal()
    open_letters = Signal()

    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        super().__init__()
        self.setObjectName("tab_today")
        self._factory = factory
        self._now = now
        self._actions: list[Action] = []
        self._kept = DayWorklist()
        self._calendar = SchoolCalendar((), ())
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.role_box = QComboBox(accessibleName="Show actions for")
        for role, label in ROLES.items():
            self.role_box.addItem(label, role)
        self.kind_box = QComboBox(accessibleName="Kind of action")
        self.kind_box.addItem("All kinds", "")
        for kind in ORDER:
            self.kind_box.addItem(KIND_LABELS[kind], kind)
        self.tree = QTreeWidget(accessibleName="Follow-up worklist")
        self.tree.setHeaderLabels(["Pupil", "Group", "Day", "Due", "What to do"])
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DUE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setColumnWidth(0, 220)
        self.tree.setColumnWidth(1, 70)
        self.tree.setColumnWidth(2, 50)
        self.done_button = QPushButton("&Done…")
        self.dismiss_button = QPushButton("D&ismiss…")
        self.refresh_button = QPushButton("&Refresh")
        self.done_button.clicked.connect(lambda: self.close_selected(done=True))
        self.dismiss_button.clicked.connect(lambda: self.close_selected(done=False))
        self.refresh_button.clicked.connect(lambda: self.reload())
        self.role_box.currentIndexChanged.connect(self._fill)
        self.kind_box.currentIndexChanged.connect(self._fill)
        self.tree.itemActivated.connect(self._open)

        filters = QHBoxLayout()
        filters.addWidget(self.heading, 1)
        filters.addWidget(QLabel("For"))
        filters.addWidget(self.role_box)
        filters.addWidget(self.kind_box)
        buttons = QHBoxLayout()
        self.hint = QLabel(HINT)
        self.hint.setStyleSheet("color: #555;")
        self.hint.setAccessibleName("About the selected action")
        self.tree.currentItemChanged.connect(self._sync_buttons)
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self, *, pupils: Collection[int] | None = None) -> None:
        """Work the list out again, saving what was raised (only for `pupils`, when a change
        touched just them), as the logged-in user may see it."""
        now = self._now()
        try:  # saved, and run again from the start when another writer was in the way
            refreshed = change(
                self,
                self._factory,
                lambda: now,
                lambda session, user, at: self._kept.refresh(
                    session, user=user, now=at, pupils=pupils
                ),
                refusals=(),
                retry_busy=True,
            )
        except Exception:
            self._kept.forget()  # not saved: the next refresh works out everything
            raise
        assert isinstance(refreshed, Done)  # nothing is refused
        actions = refreshed.value
        self._actions, self._calendar = read_as(  # overdue counts school days
            self._factory,
            self._now,
            lambda session, user, _: (actions_for(actions, user), load_calendar(session)),
        )
        self._fill()
        self.counts_changed.emit(len(self._actions))

    @property
    def worklist(self) -> list[Action]:
        """Today's whole worklist as last loaded (whatever the filters show)."""
        return self._actions

    def _may_close(self, action: Action) -> bool:
        return read_as(self._factory, self._now, lambda _, user, __: may_close(user, action.kind))

    def _sync_buttons(self) -> None:
        """Done and Dismiss only for someone who may close the selected action."""
        action = self.selected_action()
        allowed = action is None or self._may_close(action)
        why = (
            ""
            if allowed or action is None
            else (f"{KIND_LABELS[action.kind]} are closed by {who_may_close(action.kind)} only")
        )
        for button in (self.done_button, self.dismiss_button):
            button.setEnabled(allowed)
            button.setToolTip(why)
        self.hint.setText(why or HINT)

    def visible_actions(self) -> list[Action]:
        role, kind = self.role_box.currentData(), self.kind_box.currentData()
        return [
            a
            for a in self._actions
            if (not role or ROLE_OF[a.kind] == role) and (not kind or a.kind == kind)
        ]

    def _fill(self) -> None:
        self.tree.clear()
        shown = self.visible_actions()
        today = self._now().date()
        bold = QFont()
        bold.setBold(True)
        overdue_count = 0
        for kind in ORDER:
            group = [a for a in shown if a.kind == kind]
            if not group:
                continue
            parent = QTreeWidgetItem([f"{KIND_LABELS[kind]} ({len(group)})"])
            parent.setFont(0, bold)
            self.tree.addTopLevelItem(parent)
            parent.setFirstColumnSpanned(True)
            for action in group:
                late = school_days_late(self._calendar, action.due, today)
                overdue_count += bool(late)
                item = QTreeWidgetItem(
                    [
                        action.name,
                        action.group,
                        str(action.day or ""),
                        due_text(action.due, late),
                        action.detail,
                    ]
                )
                item.setData(0, Qt.ItemDataRole.UserRole, action)
                item.setToolTip(4, action.detail)
                if action.risk == 0:
                    for column in range(5):
                        item.setForeground(column, QBrush(AT_RISK))
                if late:
                    mark_overdue(item, DUE_COLUMN)
                parent.addChild(item)
            parent.setExpanded(True)
        date_text = day_text(today)
        overdue = f" ({overdue_count} overdue)" if overdue_count else ""
        self.heading.setText(
            f"{len(shown)} to do{overdue} · {date_text}"
            if shown
            else f"Nothing to follow up · {date_text}"
        )
        self._sync_buttons()

    def selected_action(self) -> Action | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _open(self, item: QTreeWidgetItem) -> None:
        action = item.data(0, Qt.ItemDataRole.UserRole)
        if action is None:
            return
        if action.kind in CALL_KINDS:
            self.open_calls.emit(action.pupil_id)
        elif action.kind == ActionKind.RESOLVE_N_CODE:
            self.open_n_codes.emit()
        elif action.kind == ActionKind.LETTER:
            self.open_letters.emit()
        elif action.kind in DSL_KINDS:
            self.open_check.emit(action.pupil_id)
        else:
            self.close_selected(done=True)

    def close_selected(self, *, done: bool) -> None:
        action = self.selected_action()
        if action is None:
            QMessageBox.information(self, "Choose an action", "Select an action in the list first.")
            return
        if not self._may_close(action):
            return  # the buttons are disabled and the hint says who may
        prompt = (
            "What was done? (kept in the pupil's record)"
            if done
            else "Why is this not needed? (kept in the pupil's record)"
        )
        note, ok = QInputDialog.getText(
            self, f"{action.name}: {KIND_LABELS[action.kind]}", f"{action.detail}\n\n{prompt}"
        )
        if not ok:
            return
        # Done on an LA return also records that the LA was told.
        roll_kind = action.kind in roll_actions.KINDS
        closer = roll_actions.close_roll_action if roll_kind else close_action
        closed = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: closer(
                session, action=action, done=done, note=note, user=user, now=now
            ),
            refusals=(OutcomeError, RollError, NotAllowed),
            say=lambda message: QMessageBox.warning(self, "Not recorded", message),
        )
        if isinstance(closed, Refused):
            return
        if not announce(self, Change.ACTIONS, pupils={action.pupil_id}):  # the window reloads
            self.reload()
