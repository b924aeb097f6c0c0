"""The Calls panel: the worklist's open calls, and one click to log each one.

Left, the list in calling order (at-risk children first, marked in red; a call left from an
earlier day says since when it is overdue). Right, the chosen child's contacts in priority
order; the contact to ring now is highlighted, and its outcome buttons log the attempt at
once. When a call fails the next contact comes up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.catalogues import codes
from attendance_desk.catalogues.call_outcomes import OUTCOMES
from attendance_desk.catalogues.redaction import for_viewer
from attendance_desk.desk.absence_reports import REPORT_CODES
from attendance_desk.desk.calls import (
    CallContact,
    CallRow,
    call_list,
    log_attempt,
    record_answer,
)
from attendance_desk.followup.rules import Action
from attendance_desk.models import User
from attendance_desk.outbox import messages as messaging
from attendance_desk.outbox.call_texts import session_now, text_contact
from attendance_desk.ui.operations.changes import Change, announce
from attendance_desk.ui.operations.run import Done, change, read_as
from attendance_desk.uk_dates import day_text, moment_text
from attendance_desk.wording import plural, short_day

AT_RISK = QColor("#a4280b")
NEXT_STYLE = (
    "QFrame#contact_card { border: 2px solid #1f5fbf; border-radius: 6px; background: #f3f7fd; }"
)
CARD_STYLE = "QFrame#contact_card { border: 1px solid #c8c8c8; border-radius: 6px; }"
FAILED_CALLS = ("no_answer", "voicemail", "wrong_number")


class AnswerDialog(QDialog):
    """What the contact said: a reason code and a note, both required."""

    def __init__(
        self, contact_name: str, parent: QWidget | None = None, since: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{contact_name} answered")
        self.code_box = QComboBox(accessibleName="Reason code")
        for code in REPORT_CODES:
            self.code_box.addItem(f"{code} — {codes.BY_CODE[code].meaning}", code)
        self.note_edit = QLineEdit(placeholderText="What they said, e.g. sickness bug since Sunday")
        self.note_edit.setAccessibleName("What they said")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept_if_filled)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        if since:
            form.addRow(QLabel(f"The reason covers the absence since {since}."))
        form.addRow("Reason", self.code_box)
        form.addRow("Note", self.note_edit)
        form.addRow(buttons)

    def _accept_if_filled(self) -> None:
        if self.note_edit.text().strip():
            self.accept()
        else:
            self.note_edit.setPlaceholderText("Please note what they said")
            self.note_edit.setFocus()


class CallsTab(QWidget):
    """The list, the contact cards and the outcome buttons; `count_changed` carries how
    many children are waiting for a call (for the tab's title)."""

    count_changed = Signal(int)

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        actions: Sequence[Action] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("tab_calls")
        self._factory = factory
        self._now = now
        self._rows: list[CallRow] = []
        self.waiting = 0  # children still to be reached, for the tab's title
        self.heading = QLabel()
        self.heading.setObjectName("calls_heading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.notice = QLabel(accessibleName="Last call")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(f"color: {AT_RISK.name()};")
        self.notice.hide()
        self.review_button = QPushButton("Register checked: release texts")
        self.review_button.setToolTip(
            "Texts about an absence wait until the office confirms this session's register "
            "(a child on a trip must never get an absence text)."
        )
        self.review_button.clicked.connect(self.review_session)
        self.pupils = QListWidget(accessibleName="Absent with no reason")
        self.pupils.setSpacing(3)
        self.pupils.currentRowChanged.connect(self._show_row)
        self.details = QWidget()
        self.details_layout = QVBoxLayout(self.details)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.details)
        splitter = QSplitter()
        splitter.addWidget(self.pupils)
        splitter.addWidget(scroll)
        splitter.setSizes([320, 760])
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.review_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        self.reload(actions)

    def reload(self, actions: Sequence[Action] | None = None) -> None:
        """Refresh the list, keeping the same child selected where possible; `actions` is
        today's worklist when the window has just worked it out."""
        current = self.current_row()
        keep = current.pupil_id if current else None
        now = self._now()
        self._rows = read_as(
            self._factory,
            self._now,
            lambda session, viewer, _now: [
                for_viewer(row, viewer) for row in call_list(session, now, actions)
            ],
        )
        self.pupils.blockSignals(True)
        self.pupils.clear()
        waiting = [r for r in self._rows if not r.contact_made]
        for row in self._rows:
            label = f"{row.name}  ·  {row.group}  ·  day {row.day}"
            if row.overdue_since:
                label += f"  ·  overdue since {short_day(row.overdue_since)}"
            if row.flags:
                label += f"  ·  {row.flags}"
            if row.contact_made:
                label += "  ·  reason given: update the register"
            item = QListWidgetItem(label)
            if row.at_risk:
                item.setForeground(AT_RISK)
            if row.overdue_since:
                bold = QFont()
                bold.setBold(True)
                item.setFont(bold)
            self.pupils.addItem(item)
        self.pupils.blockSignals(False)
        overdue = sum(1 for r in waiting if r.overdue_since)
        self.heading.setText(
            f"{len(waiting)} absent with no reason"
            + (f" ({overdue} overdue from an earlier day)" if overdue else "")
            + f" · {moment_text(now)}"
            if waiting
            else "Nobody to call: every absence has a reason or its calls are done."
        )
        index = next((i for i, r in enumerate(self._rows) if r.pupil_id == keep), 0)
        if self._rows:
            self.pupils.setCurrentRow(index)
        self._show_row(self.pupils.currentRow())
        self.waiting = len(waiting)
        self.count_changed.emit(self.waiting)

    def select_pupil(self, pupil_id: int) -> bool:
        """Show `pupil_id`'s calls (reloading first if the list does not have them yet)."""
        for attempt in range(2):
            index = next((i for i, r in enumerate(self._rows) if r.pupil_id == pupil_id), None)
            if index is not None:
                self.pupils.setCurrentRow(index)
                return True
            if attempt == 0:
                self.reload()
        return False

    def current_row(self) -> CallRow | None:
        i = self.pupils.currentRow()
        return self._rows[i] if 0 <= i < len(self._rows) else None

    def _show_row(self, index: int) -> None:
        while self.details_layout.count():
            child = self.details_layout.takeAt(0)
            if child is not None and (widget := child.widget()):
                widget.hide()  # gone from the screen now, not only after the next event loop
                widget.setParent(None)
                widget.deleteLater()
        if not 0 <= index < len(self._rows):
            return
        row = self._rows[index]
        title = QLabel(
            f"<b>{row.name}</b> ({row.group}) · absent since {day_text(row.first_day, year=False)} "
            f"· day {row.day}"
        )
        title.setStyleSheet("font-size: 15px;")
        self.details_layout.addWidget(title)
        if row.overdue_since:
            late = QLabel(
                f"Overdue since {short_day(row.overdue_since)}: this call was due then and "
                "has not been made. A reason given now covers the days since then."
            )
            late.setWordWrap(True)
            late.setStyleSheet(f"color: {AT_RISK.name()}; font-weight: bold;")
            self.details_layout.addWidget(late)
        if row.flags:
            flags = QLabel(
                row.flags + (f" · social worker: {row.social_worker}" if row.social_worker else "")
            )
            flags.setStyleSheet(f"color: {AT_RISK.name()}; font-weight: bold;")
            self.details_layout.addWidget(flags)
        following = row.next_contact
        for contact in row.contacts:
            self.details_layout.addWidget(self._card(row, contact, contact is following))
        if following is None and not row.contact_made:
            warn = QLabel(
                "Every contact has been tried without an answer: the DSL has been "
                "alerted on the Today tab."
            )
            warn.setWordWrap(True)
            warn.setStyleSheet(f"color: {AT_RISK.name()};")
            self.details_layout.addWidget(warn)
        self.details_layout.addStretch(1)

    def _card(self, row: CallRow, contact: CallContact, is_next: bool) -> QFrame:
        card = QFrame(objectName="contact_card")
        card.setStyleSheet(NEXT_STYLE if is_next else CARD_STYLE)
        layout = QVBoxLayout(card)
        pr = (
            "parental responsibility"
            if contact.parental_responsibility
            else "no parental responsibility"
        )
        head = QLabel(
            f"<b>{contact.priority}. {contact.name}</b> — {contact.relationship}, {pr}"
            + ("  <b>· call now</b>" if is_next else "")
        )
        layout.addWidget(head)
        numbers = " · ".join(n for n in (contact.phone, contact.phone_alt, contact.email) if n)
        layout.addWidget(QLabel(numbers or "No phone number or email recorded"))
        if contact.do_not_contact:
            dnc = QLabel(f"Do not contact: {contact.notes or 'see the pupil file'}")
            dnc.setStyleSheet(f"color: {AT_RISK.name()}; font-weight: bold;")
            layout.addWidget(dnc)
            return card
        for attempt in contact.attempts:
            layout.addWidget(
                QLabel(f"  {attempt.at:%H:%M} {OUTCOMES[attempt.outcome]} ({attempt.user_name})")
            )
        buttons = QHBoxLayout()
        for outcome in ("answered", "no_answer", "voicemail", "wrong_number", "text_sent"):
            button = QPushButton(OUTCOMES[outcome].replace("Answered: reason given", "Answered…"))
            button.setObjectName(f"{outcome}_{contact.contact_id}")
            button.setAccessibleName(f"{OUTCOMES[outcome]}: {contact.name}")
            button.clicked.connect(lambda _checked=False, o=outcome, c=contact: self.log(row, c, o))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return card

    def log(self, row: CallRow, contact: CallContact, outcome: str) -> None:
        """Log one attempt (asking what was said for an answer), then refresh."""
        if outcome == "answered":
            since = short_day(row.overdue_since) if row.overdue_since else None
            dialog = AnswerDialog(contact.name, self, since)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            code, reason = dialog.code_box.currentData(), dialog.note_edit.text().strip()

            def work(session: Session, user: User, now: datetime) -> object:
                return record_answer(
                    session,
                    pupil_id=row.pupil_id,
                    contact_id=contact.contact_id,
                    code=code,
                    reason=reason,
                    user=user,
                    now=now,
                    since=row.overdue_since,
                )

        elif outcome == "text_sent":

            def work(session: Session, user: User, now: datetime) -> object:
                return text_contact(
                    session,
                    pupil_id=row.pupil_id,
                    contact_id=contact.contact_id,
                    user=user,
                    now=now,
                )

        else:

            def work(session: Session, user: User, now: datetime) -> object:
                return log_attempt(
                    session,
                    pupil_id=row.pupil_id,
                    contact_id=contact.contact_id,
                    outcome=outcome,
                    user=user,
                    now=now,
                )

        done = change(
            self,
            self._factory,
            self._now,
            work,
            # The desk's refusals (DeskError), and the outbox's plain ValueError for a text.
            refusals=(ValueError,),
            say=lambda message: QMessageBox.warning(self, "Not logged", message),
        )
        if not isinstance(done, Done):
            return
        changed = [Change.CALLS]
        if outcome == "answered":
            changed.append(Change.MARKS)
        if outcome == "text_sent":
            changed.append(Change.OUTBOX)
        if not announce(self, *changed, pupils={row.pupil_id}):  # the window reloads it too
            self.reload()
        self._say_if_gone(row, outcome)

    def _say_if_gone(self, row: CallRow, outcome: str) -> None:
        """A child whose calls are all done leaves the list: say why, so it is no surprise."""
        self.notice.setVisible(not any(r.pupil_id == row.pupil_id for r in self._rows))
        if outcome == "answered":
            self.notice.setText(f"{row.name}: reason recorded, the register is updated.")
        else:
            self.notice.setText(
                f"{row.name}: every contact has been tried without an answer. The DSL "
                "decides what happens next (Today tab)."
            )

    def review_session(self) -> None:
        now = self._now()
        session_name = session_now(now)
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, _now: messaging.review_session(
                session, day=now.date(), session_name=session_name, user=user, now=now
            ),
            changes=[Change.OUTBOX],
        )
        if isinstance(done, Done):
            result = done.value
            self.heading.setText(
                f"{session_name} register checked: {plural(result.released, 'text')} released, "
                f"{result.cancelled} cancelled (child not absent after all)."
            )
