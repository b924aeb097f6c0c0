"""The Letters tab's *Due* page: letters the pathway calls for today, grouped by stage.

Tick the ones to send (Space or a click), check the meeting a letter proposes, look at the
preview, then save them as PDFs or print them: either way they are logged (who, when, to
whom, which template, the PDF) and each pupil's case moves on; a progress dialog counts the
letters and can cancel the batch, which then sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.letters.compose import PreparedLetter, compose
from attendance_desk.letters.files import write_batch
from attendance_desk.letters.sending import (
    LetterError,
    SendingCancelled,
    SentLetter,
    batch_pdf,
    preview_pdf,
    send_letters,
)
from attendance_desk.letters.templates import TemplateError
from attendance_desk.models import User
from attendance_desk.pathway.due import LetterDue, letters_due
from attendance_desk.pathway.review import Meeting
from attendance_desk.pathway.stages import PathwayError
from attendance_desk.ui.letters.due_list import DueList
from attendance_desk.ui.letters.letters_preview import PdfPreview
from attendance_desk.ui.letters.letters_progress import SendingProgress
from attendance_desk.ui.operations.run import Refused, change, read
from attendance_desk.ui.widgets.date_editors import datetime_edit
from attendance_desk.ui.widgets.pdf_output import print_pdf
from attendance_desk.uk_dates import day_text, plain_date
from attendance_desk.wording import plural

DUE_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Pupil", "Group", "Born", "Letter", "Copies", "Why it is due")


class _Cancelled(Exception):
    """The progress or print dialog was cancelled: roll the sending back."""


class DuePanel(QWidget):
    """Due letters grouped by stage, with ticks, the meeting, a preview and Save / Print."""

    sent = Signal(int)
    #: (letters done, letters in all) while a batch is being sent.
    sending_progress = Signal(int, int)

    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        super().__init__()
        self._factory = factory
        self._now = now
        self._list = DueList()
        self.progress: SendingProgress | None = None
        self.heading = QLabel()
        self.heading.setObjectName("letters_due_heading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.tree = QTreeWidget(accessibleName="Letters due")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setAlternatingRowColors(True)
        self.tree.setColumnWidth(0, 190)
        self.tree.setColumnWidth(1, 60)
        self.tree.setColumnWidth(2, 95)
        self.tree.setColumnWidth(3, 110)
        self.tree.setColumnWidth(4, 60)
        self.tree.header().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemChanged.connect(lambda *_: self._update_buttons())

        self.meeting_when = datetime_edit(name="Meeting date and time")
        self.meeting_place = QLineEdit(accessibleName="Meeting place")
        self.meeting_when.dateTimeChanged.connect(self._meeting_edited)
        self.meeting_place.editingFinished.connect(self._meeting_edited)
        self.meeting_label = QLabel("Meeting the letter proposes:")
        meeting_row = QHBoxLayout()
        meeting_row.addWidget(self.meeting_label)
        meeting_row.addWidget(self.meeting_when)
        self.meeting_at = QLabel("at")
        meeting_row.addWidget(self.meeting_at)
        meeting_row.addWidget(self.meeting_place, 1)

        self.preview = PdfPreview("Choose a letter to see every copy of it here.")
        self.tick_all_button = QPushButton("&Tick all")
        self.untick_button = QPushButton("&Untick all")
        self.refresh_button = QPushButton("&Refresh")
        self.save_button = QPushButton("&Save PDFs…")
        self.print_button = QPushButton("&Print…")
        self.status = QLabel()
        self.status.setObjectName("letters_due_status")
        self.status.setStyleSheet("color: #545b62;")
        self.tick_all_button.clicked.connect(lambda: self.set_all_ticked(True))
        self.untick_button.clicked.connect(lambda: self.set_all_ticked(False))
        self.refresh_button.clicked.connect(self.reload)
        self.save_button.clicked.connect(self._ask_and_save)
        self.print_button.clicked.connect(self.print_ticked)
        QShortcut(QKeySequence("Ctrl+S"), self, self._ask_and_save)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_ticked)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 1)
        left_layout.addLayout(meeting_row)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setSizes([640, 460])
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.tick_all_button)
        top.addWidget(self.untick_button)
        top.addWidget(self.refresh_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._loaded = False  # worked out when first shown, so start-up stays quick

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        if not self._loaded:
            self.reload()
        super().showEvent(event)

    # -- the list ---------------------------------------------------------------------------

    def reload(self, *, pupils: Collection[int] | None = None) -> None:
        """Work out today's letters again (after sending, or another PC's changes); with
        `pupils` (those a change touched, once the list is shown) only theirs, and the
        ticks on everyone else's stay."""
        scope = set(pupils) if pupils is not None and self._loaded else None
        self._loaded = True
        day = self._now().date()

        def work_out(session: Session) -> tuple[list[LetterDue], list[PreparedLetter]]:
            due = letters_due(session, day, pupil_ids=scope)
            return due, compose(session, due, day) if due else []

        try:
            theirs, prepared = read(self._factory, work_out)
        except (PathwayError, TemplateError) as exc:
            self.status.setText(f"Letters cannot be worked out: {exc}")
            if scope is not None:
                return
            theirs, prepared = [], []
        ticked = {d.uid for d in self.ticked()} if scope is not None else set()
        self._fill(ticked - self._list.replace(scope, theirs, prepared))

    def _fill(self, ticked: Collection[str] = ()) -> None:
        """Show the due letters, with those of `ticked` (their uids) ticked."""
        self.tree.blockSignals(True)
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        for stage in sorted({d.stage for d in self._list.due}):
            group = [d for d in self._list.due if d.stage == stage]
            parent = QTreeWidgetItem([f"Stage {stage} ({len(group)})"])
            parent.setFont(0, bold)
            self.tree.addTopLevelItem(parent)
            parent.setFirstColumnSpanned(True)
            for due in group:
                copies = self._list.copies.get(due.uid, 0)
                letter = self._list.letters.get(due.uid, due.template)
                why = due.reason[:1].upper() + due.reason[1:]
                born = plain_date(due.date_of_birth) if due.date_of_birth else ""
                item = QTreeWidgetItem([due.pupil_name, due.group, born, letter, str(copies), why])
                item.setData(0, DUE_ROLE, due)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    0, Qt.CheckState.Checked if due.uid in ticked else Qt.CheckState.Unchecked
                )
                item.setToolTip(3, due.label)
                item.setToolTip(5, due.reason)
                item.setToolTip(4, "One letter to each parent with parental responsibility")
                parent.addChild(item)
            parent.setExpanded(True)
        self.tree.blockSignals(False)
        today = day_text(self._now().date())
        self.heading.setText(
            f"{plural(len(self._list.due), 'letter')} due · {today}"
            if self._list.due
            else f"No letters due · {today}"
        )
        self._current_changed(None)
        self._update_buttons()

    def due_items(self) -> list[QTreeWidgetItem]:
        tops = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        parents = [p for p in tops if p is not None]
        children = (p.child(j) for p in parents for j in range(p.childCount()))
        return [c for c in children if c is not None]

    def ticked(self) -> list[LetterDue]:
        return [
            item.data(0, DUE_ROLE)
            for item in self.due_items()
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def set_all_ticked(self, ticked: bool) -> None:
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        for item in self.due_items():
            item.setCheckState(0, state)

    def _update_buttons(self) -> None:
        ticked = self.ticked()
        copies = sum(self._list.copies.get(d.uid, 0) for d in ticked)
        for button in (self.save_button, self.print_button):
            button.setEnabled(bool(ticked))
        self.save_button.setToolTip(f"Save {plural(copies, 'letter')} as PDF files and log them")
        if ticked:
            self.status.setText(
                f"{plural(len(ticked), 'pupil')} ticked: {plural(copies, 'letter')}"
            )

    # -- the current letter: meeting and preview --------------------------------------------

    def current_due(self) -> LetterDue | None:
        item = self.tree.currentItem()
        return item.data(0, DUE_ROLE) if item is not None else None

    def _current_changed(self, *_: object) -> None:
        due = self.current_due()
        meeting = self._list.meetings.get(due.uid) if due else None
        for widget in (self.meeting_label, self.meeting_when, self.meeting_at, self.meeting_place):
            widget.setVisible(meeting is not None)
        if meeting is not None:
            self.meeting_when.blockSignals(True)
            self.meeting_when.setDateTime(QDateTime(meeting.at))
            self.meeting_when.blockSignals(False)
            self.meeting_place.setText(meeting.place)
        else:
            self.meeting_place.clear()
        self.show_preview()

    def _meeting_edited(self) -> None:
        due = self.current_due()
        if due is None or due.uid not in self._list.meetings:
            return
        when = self.meeting_when.dateTime().toPython()
        place = self.meeting_place.text().strip() or self._list.meetings[due.uid].place
        self._list.meetings[due.uid] = Meeting(when, place)  # type: ignore[arg-type]
        self.show_preview()

    def show_preview(self) -> None:
        due = self.current_due()
        if due is None:
            self.preview.show_pdf(None, "Choose a letter to see every copy of it here.")
            return
        day, at, meetings = self._now().date(), self._now(), self._list.meetings
        pdf = read(
            self._factory,
            lambda session: preview_pdf(session, [due], day, printed_at=at, meetings=meetings),
        )
        self.preview.show_pdf(pdf)

    # -- sending ----------------------------------------------------------------------------

    def _ask_and_save(self) -> None:
        if not self.ticked():
            QMessageBox.information(self, "Tick letters", "Tick the letters to send first.")
            return
        folder = QFileDialog.getExistingDirectory(self, "Save the letters in")
        if folder:
            self.save_to(Path(folder))

    def save_to(self, folder: Path) -> list[Path]:
        """Send the ticked letters and save them in `folder`: one PDF each and one to print.

        They are logged and the cases moved on only if every file was written.
        """
        dues = self.ticked()
        if not dues:
            return []
        now = self._now()

        def work(session: Session, user: User, at: datetime) -> tuple[list[SentLetter], list[Path]]:
            sent = self._send(session, user, dues, at)
            return sent, write_batch(folder, sent, printed_at=at)

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            done = change(
                self,
                self._factory,
                lambda: now,
                work,
                refusals=(LetterError, OSError),
                say=self._refused,
            )
        except _Cancelled:
            self.status.setText("Sending cancelled: no letter was sent or logged")
            return []
        finally:
            self._close_progress()
            QApplication.restoreOverrideCursor()
        if isinstance(done, Refused):
            return []
        sent, written = done.value
        self.reload()
        self.status.setText(
            f"{plural(len(sent), 'letter')} sent and saved in {folder}, "
            f"with “{written[-1].name}” to print them all"
        )
        self.sent.emit(len(sent))
        return written

    def _send(
        self, session: Session, user: User, dues: list[LetterDue], now: datetime
    ) -> list[SentLetter]:
        """Send `dues` in `session` with a progress dialog; Cancel raises _Cancelled (not a
        refusal to show: the batch is rolled back)."""
        self.progress = SendingProgress(self)
        self.progress.stepped.connect(self.sending_progress)
        try:
            return send_letters(
                session,
                dues,
                day=now.date(),
                user=user,
                now=now,
                meetings=self._list.meetings,
                progress=self.progress.report,
            )
        except SendingCancelled:
            raise _Cancelled from None

    def _refused(self, message: str) -> None:
        self._close_progress()
        QMessageBox.warning(self, "Letters not sent", message)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def print_ticked(self) -> bool:
        """Send the ticked letters by printing them; cancelling the printer sends nothing."""
        dues = self.ticked()
        if not dues:
            return False
        now = self._now()

        def send_and_print(session: Session, user: User, at: datetime) -> list[SentLetter]:
            sent = self._send(session, user, dues, at)
            self._close_progress()
            title = f"{plural(len(sent), 'letter')} {day_text(at)}"
            if not print_pdf(batch_pdf(sent, printed_at=at), self, title):
                raise _Cancelled  # nothing kept
            return sent

        try:
            done = change(
                self,
                self._factory,
                lambda: now,
                send_and_print,
                refusals=(LetterError,),
                say=self._refused,
            )
        except _Cancelled:
            self._close_progress()
            self.status.setText("Nothing was sent or logged")
            return False
        if isinstance(done, Refused):
            return False
        sent = done.value
        self.reload()
        self.status.setText(f"{plural(len(sent), 'letter')} printed and logged")
        self.sent.emit(len(sent))
        return True
