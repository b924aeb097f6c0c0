"""The Register tab: pick a group and a week, type codes, save in one go.

Saving goes through `register.save_marks`: a change to a closed register asks for the
amendment reason, and a mark someone else changed meanwhile is refused and reloaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.catalogues import codes
from attendance_desk.catalogues.redaction import for_viewer
from attendance_desk.models import User
from attendance_desk.register.errors import RegisterError
from attendance_desk.register.marks import ConcurrentChange, ReasonRequired, SaveResult, save_marks
from attendance_desk.register.sheet import (
    GroupChoice,
    RegisterSheet,
    group_choices,
    load_sheet,
    mark_history,
)
from attendance_desk.ui.operations.changes import Change, announce
from attendance_desk.ui.operations.run import Done, change, read, read_as
from attendance_desk.ui.register.register_grid import RegisterGrid
from attendance_desk.ui.register.register_model import RegisterModel
from attendance_desk.ui.widgets import code_colours, window_memory
from attendance_desk.ui.widgets.date_editors import MONTH_NAMES, picked_date
from attendance_desk.uk_dates import moment_text
from attendance_desk.wording import plural, verb


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _group_key(choice: GroupChoice) -> str:
    return f"{choice.kind}:{choice.id}"


class RegisterTab(QWidget):
    """Group and week toolbar, the grid, a legend and the unsaved-changes line."""

    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        super().__init__()
        self.setObjectName("tab_register")
        self._factory = factory
        self._now = now
        self._database = Path(str(factory.kw["bind"].url.database))
        self._choices: list[GroupChoice] = []
        self._loaded: tuple[int, date] = (-1, date.min)  # the group and week on screen
        self._status_text = ""  # what the status line says when no refusal is showing
        self.model = RegisterModel(lambda: self._now().date())
        self.model.history_text = self._history_text
        self.grid = RegisterGrid(self.model)
        self.grid.code_refused.connect(self._show_refusal)
        self.grid.reason_needed.connect(self._ask_code_reason)
        self.model.pending_changed.connect(self._show_pending)

        self.group_box = QComboBox(accessibleName="Registration group")
        self.group_box.setMinimumWidth(200)
        self.week_edit = QDateEdit(calendarPopup=True, accessibleName="Week beginning")
        self.week_edit.setLocale(MONTH_NAMES)
        self.week_edit.setDisplayFormat("'Week of' ddd d MMM yyyy")
        self.status = QLabel(accessibleName="Register status")
        self.pending_label = QLabel()
        self.pending_label.setObjectName("register_pending")
        self.pending_label.setStyleSheet("color: #8a5a00; font-weight: bold;")

        layout = QVBoxLayout(self)
        layout.addWidget(self._toolbar())
        layout.addWidget(self.grid, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.pending_label)
        bottom.addStretch(1)
        bottom.addWidget(self.status)
        layout.addLayout(bottom)
        layout.addLayout(self._legend())

        self.group_box.currentIndexChanged.connect(self._load_if_safe)
        self.week_edit.dateChanged.connect(self._snap_week)
        self.refresh_choices()

    # --- building ----------------------------------------------------------------------
    def _toolbar(self) -> QToolBar:
        bar = QToolBar("Register")
        bar.addWidget(QLabel("Group "))
        bar.addWidget(self.group_box)
        bar.addSeparator()
        self._add(bar, "◀ Previous week", "Alt+Left", lambda: self._shift_week(-7))
        bar.addWidget(self.week_edit)
        self._add(bar, "Next week ▶", "Alt+Right", lambda: self._shift_week(7))
        self._add(bar, "This week", "Alt+Home", self.go_to_today)
        bar.addSeparator()
        self._add(bar, "All unmarked present", "Ctrl+P", self.mark_present)
        self._add(bar, "Undo", QKeySequence.StandardKey.Undo, self.undo)
        self._add(bar, "Save", QKeySequence.StandardKey.Save, self.save)
        return bar

    def _add(
        self, bar: QToolBar, text: str, shortcut: object, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(
            f"{text} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        action.triggered.connect(slot)
        bar.addAction(action)
        self.addAction(action)
        return action

    def _legend(self) -> QGridLayout:
        """Colour chips with each category's codes (full name on hover), in rows that fit."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        pending = QLabel("unsaved change")
        pending.setStyleSheet(
            f"border: 2px dashed {code_colours.PENDING_OUTLINE.name()}; padding: 1px 6px;"
        )
        amended = QLabel("◥ amended: hover for its history")
        amended.setStyleSheet("color: #8a3b12; padding: 2px 6px;")
        chips: list[QLabel] = []
        for label, full_name, colour in code_colours.legend():
            chip = QLabel(label)
            chip.setToolTip(full_name)
            chip.setStyleSheet(
                f"background: {colour.name()}; border: 1px solid #bbb; padding: 2px 6px;"
            )
            chips.append(chip)
        for i, widget in enumerate([*chips, pending, amended]):
            grid.addWidget(widget, i // 5, i % 5)  # five to a row fits 1366 pixels
        return grid

    # --- loading -----------------------------------------------------------------------
    def refresh_choices(self) -> None:
        self._choices, viewer = read_as(
            self._factory,
            self._now,
            lambda session, user, _now: (group_choices(session, user), user.username),
        )
        self.group_box.blockSignals(True)
        self.group_box.clear()
        for choice in self._choices:
            self.group_box.addItem(choice.label)
        keys = [_group_key(choice) for choice in self._choices]
        remembered = window_memory.last_group(self._database, viewer)
        if remembered in keys:  # this user's group from last time, on this PC
            self.group_box.setCurrentIndex(keys.index(remembered))
        self.group_box.blockSignals(False)
        self.go_to_today()

    def go_to_today(self) -> None:
        today = self._now().date()
        self.week_edit.blockSignals(True)
        self.week_edit.setDate(QDate(monday_of(today)))
        self.week_edit.blockSignals(False)
        self._load_if_safe()

    def week(self) -> date:
        return monday_of(picked_date(self.week_edit))

    def _shift_week(self, days: int) -> None:
        self.week_edit.setDate(QDate(self.week() + timedelta(days=days)))

    def _snap_week(self) -> None:
        self._load_if_safe()

    def _load_if_safe(self) -> None:
        if self.model.pending_count() and not self.confirm_discard():
            self._show_loaded_choice()  # stay on the edited week: the toolbar says so too
            return
        self.reload()

    def _show_loaded_choice(self) -> None:
        index, week = self._loaded
        for widget in (self.group_box, self.week_edit):
            widget.blockSignals(True)
        self.group_box.setCurrentIndex(index)
        self.week_edit.setDate(QDate(week))
        for widget in (self.group_box, self.week_edit):
            widget.blockSignals(False)

    def reload(self) -> None:
        index = self.group_box.currentIndex()
        if not 0 <= index < len(self._choices):
            self._set_status("No registration groups yet: import pupils or build the demo school.")
            return
        start = self.week()
        choice = self._choices[index]

        def load(session: Session, user: User, now: datetime) -> tuple[RegisterSheet, str]:
            sheet = load_sheet(session, choice, start, start + timedelta(days=4), today=now.date())
            rows = tuple(for_viewer(row, user) for row in sheet.rows)
            return replace(sheet, rows=rows), user.username

        sheet, viewer = read_as(self._factory, self._now, load)
        self._loaded = (index, start)
        window_memory.remember_group(self._database, viewer, _group_key(self._choices[index]))
        self.model.set_sheet(sheet)
        self._select_current_session()
        windows = sheet.windows
        if windows:
            am, pm = windows["AM"], windows["PM"]
            proposed = self.model.pending_count()
            self._set_status(
                f"{plural(len(sheet.rows), 'pupil')} · AM register "
                f"{am.opens:%H:%M}–{am.closes:%H:%M}, PM {pm.opens:%H:%M}–{pm.closes:%H:%M}"
                + (
                    f" · {plural(proposed, 'session')} filled from parents' reports: check and save"
                    if proposed
                    else ""
                )
            )

    def _select_current_session(self) -> None:
        now = self._now()
        rows = self.model.sheet.rows
        if not rows:
            return
        windows = self.model.sheet.windows
        session_name = "PM" if windows and now.time() >= windows["PM"].opens else "AM"
        column = self.model.slot_column((now.date(), session_name))
        if column is None:
            return
        self.grid.setCurrentIndex(self.model.index(0, column))
        self.grid.scrollTo(self.model.index(0, column))
        self.grid.setFocus()

    def _history_text(self, pupil_id: int, slot: tuple[date, str]) -> str:
        history = read(
            self._factory, lambda session: mark_history(session, pupil_id, slot[0], slot[1])
        )
        return "\n".join(
            f"{moment_text(h.at, year=False)} {h.old_code} → {h.new_code} by {h.user_name} "
            f"({h.user_position}): {h.reason}"
            for h in history
        )

    # --- actions -----------------------------------------------------------------------
    def mark_present(self) -> None:
        column = self.grid.currentIndex().column()
        if self.model.slot_at(column) is None:
            self._show_refusal("Choose a session column first.")
            return
        count = self.model.mark_unmarked_present(column)
        self._set_status(f"{plural(count, 'unmarked pupil')} marked present (not saved yet)")

    def undo(self) -> None:
        if not self.model.undo():
            self._set_status("Nothing to undo.")

    def _ask_code_reason(self, code: str) -> None:
        meaning = codes.BY_CODE[code].meaning
        text, ok = QInputDialog.getText(
            self,
            f"Reason for {code}",
            f"{code}: {meaning}\nThis code needs a reason:",
            QLineEdit.EchoMode.Normal,
        )
        if ok and text.strip():
            self.grid.apply(code, text.strip())
        elif ok:
            self._show_refusal(f"{code} was not entered: it needs a reason.")

    def save(self) -> bool:
        """Save every pending edit in one transaction; True when nothing is left unsaved."""
        edits = self.model.pending_edits()
        if not edits:
            return True
        reason: str | None = None
        while True:

            def work(
                session: Session, user: User, now: datetime, why: str | None = reason
            ) -> SaveResult:
                return save_marks(session, edits=edits, user=user, now=now, amendment_reason=why)

            try:  # waits while other classes' registers are saved
                done = change(self, self._factory, self._now, work, refusals=(), retry_busy=True)
            except ReasonRequired as exc:
                reason = self._ask_amendment_reason(str(exc))
                if reason is None:
                    return False
                continue
            except ConcurrentChange as exc:
                QMessageBox.warning(
                    self,
                    "Changed by someone else",
                    f"{exc}\n\nThe register will now reload; enter your change again.",
                )
                self.reload()
                return False
            except (RegisterError, NotAllowed) as exc:
                QMessageBox.warning(self, "Not saved", str(exc))
                return False
            break
        assert isinstance(done, Done)  # nothing is refused by `change` itself here
        result = done.value
        self.reload()
        announce(self, Change.MARKS, pupils={edit.pupil_id for edit in edits})
        self._set_status(
            f"Saved: {result.recorded} new, {result.corrected} corrected, {result.amended} amended."
        )
        return True

    def _ask_amendment_reason(self, message: str) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            "Amendment reason",
            f"{message}.\nThe register has closed, so the change is an amendment.\n"
            "Reason (kept with the original mark, your name and the time):",
        )
        if not ok:
            return None
        if not text.strip():
            QMessageBox.information(self, "Reason required", "An amendment needs a reason.")
            return self._ask_amendment_reason(message)
        return text.strip()

    def _show_pending(self, count: int) -> None:
        """A code went in: any refusal still showing is out of date, so it goes."""
        self._set_status(self._status_text)
        self.pending_label.setText(
            f"{plural(count, 'unsaved change')} — Ctrl+S to save" if count else ""
        )

    def _set_status(self, text: str) -> None:
        self._status_text = text
        self.status.setText(text)
        self.status.setStyleSheet("")

    def _show_refusal(self, message: str) -> None:
        """Say why in the status line (no dialog: the next keystroke should just work);
        the next code that goes in clears it."""
        QApplication.beep()
        self.status.setText(message)
        self.status.setStyleSheet("color: #a4280b;")

    def has_unsaved(self) -> bool:
        return self.model.pending_count() > 0

    def confirm_discard(self) -> bool:
        """Ask before unsaved edits are lost: save, discard or stay."""
        count = self.model.pending_count()
        answer = QMessageBox.question(
            self,
            "Unsaved register changes",
            f"{plural(count, 'register change')} {verb(count, 'is', 'are')} not saved. "
            f"Save {verb(count, 'it', 'them')} now?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard
