"""The Inbox panel: parents' emails and text replies, each read into a proposal for a person
to decide. Left, one row per pupil a message is about (unmatched ones in red). Right, the
message as it came, who it is from and what the rules read, every part editable, and
Accept (Ctrl+Enter), Match to… and Reject…. Nothing is coded without Accept.

Parents' words about absence are for the staff who take absence reports: a login without
that permission (a class teacher) sees only a line saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from html import escape

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed, Permission, allowed
from attendance_desk.catalogues import codes
from attendance_desk.desk.absence_reports import REPORT_CODES
from attendance_desk.inbox.listing import KIND_LABELS, InboxEntry, inbox_entries, open_count
from attendance_desk.inbox.report import FetchReport
from attendance_desk.inbox.review import Edits, InboxError, accept, match_to, reject
from attendance_desk.models import User
from attendance_desk.ui.access.acting_user import acting_user
from attendance_desk.ui.inbox.inbox_dialogs import MatchDialog, RejectDialog
from attendance_desk.ui.inbox.inbox_model import InboxModel
from attendance_desk.ui.operations.changes import Change, announce
from attendance_desk.ui.operations.run import Done, change, read
from attendance_desk.ui.widgets.date_editors import date_edit, picked_date
from attendance_desk.uk_dates import full_day, moment_text

WARN = "color: #a4280b;"
OK = "color: #1d6b2f;"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _rejected(session: Session, proposal_id: int, why: str, user: User, now: datetime) -> str:
    reject(session, proposal_id=proposal_id, why=why, user=user, now=now)
    return "rejected"


def _session_box(name: str) -> QComboBox:
    box = QComboBox(accessibleName=name)
    box.addItem("morning (AM)", "AM")
    box.addItem("afternoon (PM)", "PM")
    return box


class InboxTab(QWidget):
    """The list, the message and its proposal, and the three decisions."""

    count_changed = Signal(int)
    fetch_requested = Signal()

    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        super().__init__()
        self.setObjectName("tab_inbox")
        self._factory, self._now = factory, now
        self.waiting = 0
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.fetch_status = QLabel(accessibleName="Last fetch")
        self.show_decided = QCheckBox("Show &decided")
        self.show_decided.toggled.connect(lambda _on: self.reload())
        self.fetch_button = QPushButton("&Fetch now")
        self.fetch_button.setToolTip(
            "Fetch new emails and text replies now (every 2 minutes anyway)"
        )
        self.fetch_button.clicked.connect(self.fetch_requested)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.fetch_status)
        top.addWidget(self.show_decided)
        top.addWidget(self.fetch_button)

        self.model = InboxModel()
        self.table = QTableView(accessibleName="Inbox messages")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())

        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self._details())
        splitter.setSizes([730, 520])
        work = QWidget()
        layout = QVBoxLayout(work)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.not_allowed = QLabel(
            "The absence inbox holds parents' own words about their children: it is for the "
            "office staff who take absence reports."
        )
        self.not_allowed.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(work)
        self.pages.addWidget(self.not_allowed)
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)
        accept_keys = QShortcut(QKeySequence("Ctrl+Return"), self)
        accept_keys.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        accept_keys.activated.connect(self.accept_current)
        self.reload()

    def _details(self) -> QWidget:
        panel = QWidget()
        self.message_label = QLabel(textFormat=Qt.TextFormat.RichText, wordWrap=True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label = QLabel(wordWrap=True)
        self.text_view = QPlainTextEdit(readOnly=True, accessibleName="The message")
        self.pupil_label = QLabel(wordWrap=True, accessibleName="About")
        self.kind_label = QLabel()
        self.start_date = date_edit(name="First day")
        self.start_session = _session_box("First session")
        self.end_date = date_edit(name="Last day")
        self.end_session = _session_box("Last session")
        self.code_box = QComboBox(accessibleName="Code")
        self.code_box.addItem("Choose the code…", None)
        for code in REPORT_CODES:
            self.code_box.addItem(f"{code} — {codes.BY_CODE[code].meaning}", code)
        first = QHBoxLayout()
        first.addWidget(self.start_date)
        first.addWidget(self.start_session)
        last = QHBoxLayout()
        last.addWidget(self.end_date)
        last.addWidget(self.end_session)
        form = QFormLayout()
        form.addRow("About", self.pupil_label)
        form.addRow("Proposed", self.kind_label)
        form.addRow("From", first)
        form.addRow("To", last)
        form.addRow("Code", self.code_box)
        self.accept_button = QPushButton("&Accept")
        self.accept_button.setToolTip("Record it as the parent's report (Ctrl+Enter)")
        self.accept_button.clicked.connect(self.accept_current)
        self.match_button = QPushButton("&Match to…")
        self.match_button.clicked.connect(self.match_current)
        self.reject_button = QPushButton("Re&ject…")
        self.reject_button.clicked.connect(self.reject_current)
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.match_button, self.reject_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.outcome = QLabel(wordWrap=True)
        layout = QVBoxLayout(panel)
        layout.addWidget(self.message_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.text_view, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.outcome)
        return panel

    # --- loading -------------------------------------------------------------------------
    def reload(self) -> None:
        """Load the list again, keeping the same entry chosen where it is still there."""
        current = self.current_entry()
        keep = current.id if current else None
        everything = self.show_decided.isChecked()

        def load(session: Session) -> tuple[list, int] | None:
            user = acting_user(session)
            if not allowed(user, Permission.LOG_CALLS):
                return None
            return inbox_entries(session, user=user, everything=everything), open_count(session)

        loaded = read(self._factory, load)
        if loaded is None:
            self.pages.setCurrentWidget(self.not_allowed)
            self.model.set_rows([])
            self.waiting = 0
            self.count_changed.emit(0)
            return
        entries, waiting = loaded
        self.pages.setCurrentIndex(0)
        self.model.set_rows(entries)
        to_match = sum(e.status == "unmatched" for e in entries)
        self.heading.setText(
            f"{waiting - to_match} to check · {to_match} to match"
            if waiting
            else "Nothing waits in the inbox."
        )
        row = self.model.row_of(keep) if keep is not None else None
        if entries:
            self.table.selectRow(row if row is not None else 0)
        self._show_current()
        self.waiting = waiting
        self.count_changed.emit(waiting)

    def current_entry(self) -> InboxEntry | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def show_fetched(self, result: object, at: datetime) -> None:
        """The last background fetch, in a word; new messages load at once."""
        if isinstance(result, list) and all(isinstance(r, FetchReport) for r in result):
            new = sum(r.fetched for r in result)
            problems = [r.describe() for r in result if not r.ok]
            text = f"Fetched {at:%H:%M}: {new} new" if not problems else problems[0]
            self.fetch_status.setText(text[:90])
            self.fetch_status.setToolTip("\n".join(r.describe() for r in result))
            self.fetch_status.setStyleSheet(WARN if problems else "")
            if new:
                self.reload()
        else:
            self.fetch_status.setText(str(result)[:90])
            self.fetch_status.setStyleSheet(WARN)

    def _show_current(self) -> None:
        entry = self.current_entry()
        widgets = (self.start_date, self.start_session, self.end_date, self.end_session)
        if entry is None:
            self.message_label.setText("")
            self.note_label.setText("")
            self.text_view.setPlainText("")
            self.pupil_label.setText("")
            self.kind_label.setText("")
            self.outcome.setText("")
            for widget in (
                *widgets,
                self.code_box,
                self.accept_button,
                self.match_button,
                self.reject_button,
            ):
                widget.setEnabled(False)
            return
        channel = "Text" if entry.channel == "text" else "Email"
        subject = f"<br>Subject: {escape(entry.subject)}" if entry.subject else ""
        self.message_label.setText(
            f"<b>{channel} from {escape(entry.sender_label)}</b> · "
            f"{full_day(entry.received.date(), year=False)}, {entry.received:%H:%M}"
            f"<br><small>{escape(entry.sender)}</small>{subject}"
        )
        notes = [n for n in (entry.note, entry.message_notes) if n]
        self.note_label.setText("\n".join(notes))
        self.note_label.setStyleSheet(WARN if entry.status == "unmatched" else "")
        self.text_view.setPlainText(entry.original or entry.text or "(no text)")
        about = f"{entry.name} ({entry.group})" if entry.name else "Not matched to a pupil"
        if not entry.name and entry.suggested_name:
            about += f" — suggested: {entry.suggested_name}"
        self.pupil_label.setText(about)
        self.kind_label.setText(
            KIND_LABELS[entry.kind] + (f" ({entry.reason})" if entry.reason else "")
        )
        self.start_date.setDate(_qdate(entry.start))
        self.end_date.setDate(_qdate(entry.end))
        self.start_session.setCurrentIndex(self.start_session.findData(entry.start_session))
        self.end_session.setCurrentIndex(self.end_session.findData(entry.end_session))
        self.code_box.setCurrentIndex(max(0, self.code_box.findData(entry.code)))
        open_ = entry.is_open
        for widget in widgets:
            widget.setEnabled(open_)
        self.code_box.setEnabled(open_ and entry.kind == "report")
        self.accept_button.setEnabled(open_ and entry.pupil_id is not None)
        self.match_button.setEnabled(open_)
        self.reject_button.setEnabled(open_)
        if open_:
            self.outcome.setText("")
        else:
            when = f" at {moment_text(entry.decided_at)}" if entry.decided_at else ""
            why = f": {entry.why}" if entry.why else ""
            self.outcome.setText(f"{entry.status.capitalize()} by {entry.decided_by}{when}{why}")
            self.outcome.setStyleSheet("")

    # --- decisions -----------------------------------------------------------------------
    def _edits(self) -> Edits:
        return Edits(
            code=self.code_box.currentData(),
            start=picked_date(self.start_date),
            start_session=self.start_session.currentData(),
            end=picked_date(self.end_date),
            end_session=self.end_session.currentData(),
        )

    def accept_current(self) -> None:
        entry = self.current_entry()
        if entry is None or not entry.is_open:
            return
        said = self._decide(
            lambda session, user: accept(
                session, proposal_id=entry.id, user=user, now=self._now(), edits=self._edits()
            ).describe(),
            Change.MARKS,
            Change.ACTIONS,
        )
        if said:
            self._say(said)

    def match_current(self) -> None:
        entry = self.current_entry()
        if entry is None or not entry.is_open:
            return
        dialog = MatchDialog(self._factory, self._now, entry, self)
        if dialog.exec() != MatchDialog.DialogCode.Accepted or dialog.pupil_id() is None:
            return
        pupil_id, also = dialog.pupil_id(), dialog.also.isChecked()
        assert pupil_id is not None
        said = self._decide(
            lambda session, user: (
                match_to(
                    session,
                    proposal_id=entry.id,
                    pupil_id=pupil_id,
                    user=user,
                    now=self._now(),
                    also=also,
                ).note
            )
        )
        if said:
            self._say(said[:1].upper() + said[1:] + ". Check it, then Accept.")

    def reject_current(self) -> None:
        entry = self.current_entry()
        if entry is None or not entry.is_open:
            return
        dialog = RejectDialog(self)
        if dialog.exec() != RejectDialog.DialogCode.Accepted:
            return
        why = dialog.text()
        if self._decide(lambda session, user: _rejected(session, entry.id, why, user, self._now())):
            self._say(f"Rejected: {why}. The message stays kept.")

    def _decide(self, action: Callable[[Session, User], str], *changed: Change) -> str | None:
        """Run one decision in its own transaction; say what went wrong, or reload and tell
        the window what changed (an accepted report: the register, Today and Calls)."""
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, _now: action(session, user),
            refusals=(InboxError, NotAllowed, ValueError),
            say=lambda text: QMessageBox.warning(self, "Not done", text),
        )
        self.reload()
        if not isinstance(done, Done):
            return None
        announce(self, Change.INBOX, *changed)
        return done.value

    def _say(self, text: str) -> None:
        self.fetch_status.setText(text[:120])
        self.fetch_status.setToolTip(text)
        self.fetch_status.setStyleSheet(OK)
