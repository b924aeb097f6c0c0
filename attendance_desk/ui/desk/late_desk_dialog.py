"""The late-arrival desk: type two letters of a name, Enter, done.

Enter signs in only a child the receptionist can see is the one: the only match, or the
match chosen with the arrow keys or the mouse. With several matches and none chosen it
does nothing but say so. It stays open for the next child; each sign-in is confirmed in a
running list, and the last one can be undone (an amendment with a reason, never a delete).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.desk.late_desk import (
    DeskMatch,
    SignedIn,
    find_pupils,
    sign_in_late,
    undo_sign_in,
)
from attendance_desk.register.errors import RegisterError
from attendance_desk.school import settings
from attendance_desk.school.setup import school_name
from attendance_desk.ui.operations.changes import Change, announce
from attendance_desk.ui.operations.run import Done, change, read, read_as
from attendance_desk.ui.widgets.pdf_output import print_pdf
from attendance_desk.wording import plural


class LateDeskDialog(QDialog):
    """Name search, optional reason, and the morning's sign-ins."""

    signed_in = Signal(object)  # SignedIn

    def __init__(
        self, factory: sessionmaker[Session], now: Callable[[], datetime], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("Late arrivals")
        self.setObjectName("late_desk")
        self._factory = factory
        self._now = now
        self.name_edit = QLineEdit(placeholderText="Start typing a name…")
        self.name_edit.setAccessibleName("Pupil name")
        self.matches = QListWidget()
        self.matches.setAccessibleName("Matching pupils")
        self.reason_edit = QLineEdit(placeholderText="optional: traffic, appointment…")
        self.reason_edit.setAccessibleName("Reason for lateness")
        self.outcome = QLabel()
        self.outcome.setObjectName("desk_result")
        self.outcome.setWordWrap(True)
        self.log = QListWidget()
        self.log.setAccessibleName("Signed in this morning")
        self.slip_button = QPushButton("Print a late &slip for the last one")
        self.slip_button.setEnabled(False)
        self.slip_button.setAutoDefault(False)  # Enter signs a child in; it never prints
        self.slip_button.clicked.connect(self.print_last_slip)
        self.last_slip: bytes | None = None
        self.undo_button = QPushButton("&Undo the last sign-in…")
        self.undo_button.setToolTip("Put the last child's mark back as it was (Alt+U)")
        self.undo_button.setEnabled(False)
        self.undo_button.setAutoDefault(False)  # Enter signs a child in; it never undoes
        self.undo_button.clicked.connect(self.undo_last)
        self.last: SignedIn | None = None

        form = QFormLayout()
        form.addRow("&Name", self.name_edit)
        form.addRow("Matches", self.matches)
        form.addRow("&Reason", self.reason_edit)
        layout = QVBoxLayout(self)
        hint = QLabel(
            "Type a name: Enter signs in the only match. With several, choose one with ↓ "
            "(or keep typing) first."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addWidget(QLabel("Signed in:"))
        layout.addWidget(self.log)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.slip_button)
        layout.addLayout(buttons)
        self.resize(460, 520)

        self.name_edit.textChanged.connect(self._search)
        self.name_edit.returnPressed.connect(self.sign_in_selected)
        self.reason_edit.returnPressed.connect(self.sign_in_selected)
        self.matches.itemActivated.connect(lambda _item: self.sign_in_selected())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Up and Down move through the matches while the name box keeps focus."""
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.matches.count():
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.matches.count() - 1, self.matches.currentRow() + step))
            self.matches.setCurrentRow(row)
            return
        super().keyPressEvent(event)

    def _search(self, text: str) -> None:
        now = self._now()
        found = read(self._factory, lambda session: find_pupils(session, text, now))
        self.matches.clear()
        for match in found:
            status = f" — today {match.todays_code}" if match.todays_code else ""
            item = QListWidgetItem(f"{match.name} ({match.group}){status}")
            item.setData(Qt.ItemDataRole.UserRole, match)
            self.matches.addItem(item)
        # Only an unmistakable match is chosen for the receptionist; "Bradley" may be two.
        self.matches.setCurrentRow(0 if len(found) == 1 else -1)
        if not text.strip():
            return  # cleared after a sign-in: its confirmation stays on screen
        if len(found) > 1:
            self._say(f"{len(found)} pupils match: choose one with ↓, or keep typing.")
        elif not found:
            self._say("No pupil on roll matches that name.", error=True)
        else:
            self.outcome.clear()

    def sign_in_selected(self) -> None:
        item = self.matches.currentItem()
        if item is None:
            if self.matches.count() > 1:
                self._say(
                    f"{self.matches.count()} pupils match: choose one with ↓ first. "
                    "Nobody was signed in.",
                    error=True,
                )
            else:
                self._say("No pupil matches that name.", error=True)
            return
        match: DeskMatch = item.data(Qt.ItemDataRole.UserRole)
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: sign_in_late(
                session,
                pupil_id=match.pupil_id,
                user=user,
                now=now,
                reason=self.reason_edit.text(),
            ),
            refusals=(RegisterError,),
            say=self._refused,
        )
        if isinstance(done, Done):
            self._record(done.value)

    def _record(self, result: SignedIn) -> None:
        if result.code == "L":
            what = f"L — {plural(result.minutes_late, 'minute')} late"
        else:
            what = f"U — after the register closed ({plural(result.minutes_late, 'minute')})"
        replaced = f", replacing {result.replaced}" if result.replaced else ""
        line = f"{self._now():%H:%M}  {result.name}: {result.session} {what}{replaced}"
        self.log.insertItem(0, line)
        self._say(f"Signed in {result.name}: {what}{replaced}.")
        self.name_edit.clear()
        self.reason_edit.clear()
        self.name_edit.setFocus()
        self._prepare_slip(result)
        self.last = result
        self.undo_button.setEnabled(True)
        self.signed_in.emit(result)
        announce(self, Change.MARKS)

    def undo_last(self) -> None:
        """Ask why, then put the last child's mark back as it was (an audited amendment)."""
        last = self.last
        if last is None:
            self._say("There is no sign-in to undo.", error=True)
            return
        reason, ok = QInputDialog.getText(
            self,
            "Undo the last sign-in",
            f"Undo {last.name}'s sign-in ({last.session} {last.code})?\n"
            "Why (kept with the register)?",
            text="signed in the wrong child",
        )
        if not ok:
            return
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: undo_sign_in(
                session, signed=last, reason=reason, user=user, now=now
            ),
            refusals=(RegisterError,),
            say=self._refused,
        )
        if not isinstance(done, Done):
            return
        back = done.value
        self.last, self.last_slip = None, None
        self.undo_button.setEnabled(False)
        self.slip_button.setEnabled(False)
        line = f"{self._now():%H:%M}  {last.name}: sign-in undone, {last.session} back to {back}"
        self.log.insertItem(0, line)
        self._say(f"{last.name}'s sign-in undone: {last.session} is {back} again.")
        self.name_edit.setFocus()
        announce(self, Change.MARKS)

    def _prepare_slip(self, result: SignedIn) -> None:
        """Keep the slip ready to print, and print it at once if the school wants one."""
        school, wanted, signer = read_as(
            self._factory,
            self._now,
            lambda session, user, _now: (
                school_name(session),
                settings.get(session, settings.PRINT_LATE_SLIP),
                user.full_name,
            ),
        )
        from attendance_desk.printing.late_slip import LateSlip, LateSlipData  # at first slip

        data = LateSlipData(
            school,
            result.name,
            result.group,
            self._now(),
            result.code,
            result.minutes_late,
            result.reason,
            signer,
        )
        self.last_slip = LateSlip(printed_at=self._now()).render(data)
        self.slip_button.setEnabled(True)
        if wanted:
            self.print_last_slip()

    def print_last_slip(self) -> None:
        if self.last_slip is not None:
            print_pdf(self.last_slip, self, "Late slip")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.outcome.setText(text)
        self.outcome.setStyleSheet(
            "color: #a4280b;" if error else "color: #1d6b2f; font-weight: bold;"
        )

    def _refused(self, text: str) -> None:
        self._say(text, error=True)
