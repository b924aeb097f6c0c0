"""Desk → Remove from roll: a regulation 9(1) ground, its guidance, the date and details,
a confirmation, then the deletion return to print or save.

Grounds the record does not support are listed but disabled, each saying why, so the office
sees that the 20-day ground exists and what it still needs. The date cannot be set before
today: a deletion is never backdated.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.printing.deletion_return import render_deletion_return
from attendance_desk.roll import changes as roll
from attendance_desk.roll.grounds import DESTINATION_ADDRESS, DESTINATION_SCHOOL, GroundChoice
from attendance_desk.roll.views import RemovalView, removal_id, removal_view
from attendance_desk.ui.operations.run import Done, change, read
from attendance_desk.ui.widgets.date_editors import date_edit, picked_date
from attendance_desk.ui.widgets.pdf_output import print_pdf, save_pdf
from attendance_desk.ui.widgets.pupil_picker import connect_picker
from attendance_desk.ui.widgets.style import muted
from attendance_desk.uk_dates import day_text, full_day

GROUND_ROLE = Qt.ItemDataRole.UserRole
ERROR_STYLE = "color: #a4280b;"


class RemovalDialog(QDialog):
    """Choose the pupil (unless given), the ground, the date and the details; confirm."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        parent: object = None,
        *,
        pupil_id: int | None = None,
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("Remove from roll")
        self._factory, self._now = factory, now
        self.view: RemovalView | None = None
        self.change_id: int | None = None
        today = now().date()
        self.pupil_edit = QLineEdit(placeholderText="Type a name", accessibleName="Pupil")
        self.pupil_box = QComboBox(accessibleName="Matching pupil")
        self.pupil_label = QLabel(accessibleName="Pupil chosen")
        self.date_edit = date_edit(today, name="Date of deletion (last day on roll)")
        self.date_edit.setMinimumDate(QDate(today))  # never backdated
        self.grounds = QListWidget(accessibleName="Ground for deletion (regulation 9(1))")
        self.grounds.setWordWrap(True)
        self.guidance = QLabel(accessibleName="Guidance for the chosen ground")
        self.guidance.setWordWrap(True)
        self.guidance.setTextFormat(Qt.TextFormat.PlainText)
        self.guidance.setMinimumHeight(90)
        self.unavailable = muted(QLabel(accessibleName="Grounds not available and why"))
        self.unavailable.setWordWrap(True)
        self.unavailable.setTextFormat(Qt.TextFormat.PlainText)
        self.school_edit = QLineEdit(accessibleName="Destination school")
        self.address_edit = QLineEdit(accessibleName="New address")
        self.details_edit = QPlainTextEdit(accessibleName="Details")
        self.details_edit.setTabChangesFocus(True)
        self.details_edit.setFixedHeight(70)
        self.remove_button = QPushButton("&Remove from roll…")
        self.confirm_label = QLabel(accessibleName="Confirmation")
        self.confirm_label.setWordWrap(True)
        self.confirm_button = QPushButton("&Confirm removal")
        self.back_button = QPushButton("&Back")
        self.print_button = QPushButton("&Print the deletion return…")
        self.save_button = QPushButton("&Save the deletion return…")
        self.status = QLabel(accessibleName="Result")
        self.status.setWordWrap(True)

        form = QFormLayout()
        if pupil_id is None:
            form.addRow("&Pupil", self.pupil_edit)
            form.addRow("", self.pupil_box)
        form.addRow("", self.pupil_label)
        form.addRow("Last day on &roll", self.date_edit)
        form.addRow("&Ground", self.grounds)
        form.addRow("", self.guidance)
        form.addRow("", self.unavailable)
        form.addRow("Destination &school", self.school_edit)
        form.addRow("New &address", self.address_edit)
        form.addRow("&Details", self.details_edit)
        confirm = QHBoxLayout()
        confirm.addWidget(self.confirm_label, 1)
        confirm.addWidget(self.back_button)
        confirm.addWidget(self.confirm_button)
        after = QHBoxLayout()
        after.addWidget(self.status, 1)
        after.addWidget(self.print_button)
        after.addWidget(self.save_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addLayout(confirm)
        layout.addLayout(after)
        self.resize(760, 720)

        connect_picker(self.pupil_edit, self.pupil_box, factory, now)
        self.pupil_box.currentIndexChanged.connect(
            lambda _i: self._load(self.pupil_box.currentData())
        )
        self.date_edit.dateChanged.connect(
            lambda _d: self._load(self.view.pupil_id if self.view else None)
        )
        self.grounds.currentItemChanged.connect(lambda *_: self._show_ground())
        for edit in (self.school_edit, self.address_edit):
            edit.textChanged.connect(self._hide_confirm)
        self.details_edit.textChanged.connect(self._hide_confirm)
        self.remove_button.clicked.connect(self.ask_confirm)
        self.back_button.clicked.connect(self._hide_confirm)
        self.confirm_button.clicked.connect(self.confirm)
        self.print_button.clicked.connect(self.print_return)
        self.save_button.clicked.connect(self.save_return)
        self._hide_confirm()
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self._load(pupil_id)

    # -- the pupil and the grounds -------------------------------------------------------------

    def chosen_day(self) -> date:
        return picked_date(self.date_edit)

    def _load(self, pupil_id: int | None) -> None:
        previous = self.chosen()
        self.grounds.clear()
        self.view = None
        self._hide_confirm()
        if pupil_id is None:
            self.pupil_label.setText("Choose the pupil first.")
            self._show_ground()
            return
        day, today = self.chosen_day(), self._now().date()
        self.view = read(self._factory, lambda s: removal_view(s, pupil_id, day, today))
        view = self.view
        self.pupil_label.setText(f"{view.name} · {view.group} · UPN {view.upn} · {view.status}")
        unavailable = []
        for choice in view.choices:
            item = QListWidgetItem(choice.ground.title)
            item.setData(GROUND_ROLE, choice)
            if not choice.available:
                item.setText(f"{choice.ground.title} (not available)")
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setToolTip(f"Not available: {choice.why_not}")
                unavailable.append(f"{choice.ground.regulation}: {choice.why_not}")
            self.grounds.addItem(item)
            if previous and choice.available and choice.ground.key == previous.ground.key:
                self.grounds.setCurrentItem(item)
        self.unavailable.setText(
            "Not available for this pupil:\n" + "\n".join(unavailable) if unavailable else ""
        )
        self.remove_button.setEnabled(not view.removed)
        if view.removed:
            self.say(f"{view.name} has already been taken off roll ({view.status}).")
            self.change_id = self._removal_id()
            self.print_button.setEnabled(self.change_id is not None)
            self.save_button.setEnabled(self.change_id is not None)
        self._show_ground()

    def chosen(self) -> GroundChoice | None:
        item = self.grounds.currentItem()
        return item.data(GROUND_ROLE) if item is not None else None

    def _show_ground(self) -> None:
        self._hide_confirm()
        choice = self.chosen()
        if choice is None:
            self.guidance.setText("Choose the ground that applies; its guidance appears here.")
            return
        ground = choice.ground
        needs = []
        if DESTINATION_SCHOOL in ground.requires:
            needs.append("the destination school")
        if DESTINATION_ADDRESS in ground.requires:
            needs.append("the new address")
        extra = f"\n\nThis ground needs {' and '.join(needs)}." if needs else ""
        self.guidance.setText(f"{ground.title}\n\n{ground.guidance}{extra}")
        self.details_edit.setPlaceholderText(ground.details_prompt)

    def say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)

    # -- confirm and remove ---------------------------------------------------------------------

    def _hide_confirm(self) -> None:
        for widget in (self.confirm_label, self.confirm_button, self.back_button):
            widget.setVisible(False)

    def ask_confirm(self) -> None:
        choice = self.chosen()
        if self.view is None or choice is None:
            self.say("Choose the pupil and the ground first.", error=True)
            return
        self.confirm_label.setText(
            f"Remove {self.view.name} from roll, last day {full_day(self.chosen_day())}, "
            f"under {choice.ground.title}? After that day the record is read-only."
        )
        for widget in (self.confirm_label, self.confirm_button, self.back_button):
            widget.setVisible(True)
        self.confirm_button.setDefault(True)
        self.confirm_button.setFocus()

    def confirm(self) -> None:
        choice = self.chosen()
        if self.view is None or choice is None:
            return
        pupil_id = self.view.pupil_id
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: (
                roll.remove(
                    session,
                    pupil_id=pupil_id,
                    ground=choice.ground.key,
                    effective_on=self.chosen_day(),
                    details=self.details_edit.toPlainText(),
                    destination_school=self.school_edit.text(),
                    destination_address=self.address_edit.text(),
                    user=user,
                    now=now,
                ).id
            ),
            refusals=(roll.RollError, NotAllowed),
            say=self._refused,
        )
        if not isinstance(done, Done):
            return
        self.change_id = done.value
        name = self.view.name
        self._load(self.view.pupil_id)
        self.say(
            f"{name} is off roll after {day_text(self.chosen_day())}. Send the LA the deletion "
            "return now: print it or save it (it stays on the Today list until sent)."
        )
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.print_button.setFocus()

    def _refused(self, text: str) -> None:
        self._hide_confirm()
        self.say(f"Not removed: {text}", error=True)

    # -- the deletion return --------------------------------------------------------------------

    def _removal_id(self) -> int | None:
        if self.view is None:
            return None
        pupil_id = self.view.pupil_id
        return read(self._factory, lambda session: removal_id(session, pupil_id))

    def deletion_return(self) -> bytes:
        assert self.change_id is not None
        change_id, now = self.change_id, self._now()
        return read(self._factory, lambda s: render_deletion_return(s, change_id, now=now))

    def print_return(self) -> None:
        print_pdf(self.deletion_return(), self, "Deletion return")

    def save_return(self) -> None:
        name = (self.view.name if self.view else "pupil").replace(" ", "-")
        save_pdf(self.deletion_return(), self, f"deletion-return-{name}.pdf")
