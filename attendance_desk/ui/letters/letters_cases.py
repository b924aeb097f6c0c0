"""The Pathways page: every open case, where it is, and the buttons that move it on.

A case moves only along its pathway: the buttons offered are the current step's events
(meeting held or missed, a decision's choices, penalty notice issued or other action), and
"attendance improved?" shows the register's answer before the person confirms theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.letters.evidence import evidence_pdf
from attendance_desk.letters.penalties import (
    PenaltyError,
    issue_penalty_notice,
    mark_paid,
    withdraw,
)
from attendance_desk.letters.views import CaseRow, CaseView, case_rows, case_view
from attendance_desk.models import User
from attendance_desk.pathway.cases import (
    CaseError,
    add_note,
    book_meeting,
    close_case,
    confirm_review,
    record_event,
)
from attendance_desk.pathway.stages import PathwayError, pathway_preset
from attendance_desk.ui.letters.case_detail import (
    clear_layout,
    fill_history,
    fill_penalties,
    history_tree,
)
from attendance_desk.ui.letters.meeting_dialog import MeetingDialog
from attendance_desk.ui.operations.run import Done, audited, change, read
from attendance_desk.ui.widgets.pdf_output import save_pdf

ROW_ROLE = Qt.ItemDataRole.UserRole
SERVICE_ERRORS = (CaseError, PenaltyError, PathwayError)


class CasesPanel(QWidget):
    """Open cases on the left; the chosen case's history and next steps on the right."""

    changed = Signal()

    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        super().__init__()
        self._factory = factory
        self._now = now
        self._view: CaseView | None = None
        self.list = QTreeWidget(accessibleName="Open cases")
        self.list.setHeaderLabels(["Pupil", "Group", "Stage", "Now at", "Next"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((130, 50, 60, 170)):
            self.list.setColumnWidth(column, width)
        self.list.currentItemChanged.connect(self._chosen)

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.next_label = QLabel(wordWrap=True)
        self.review_label = QLabel(wordWrap=True)
        self.improved_button = QPushButton("Attendance &improved: close")
        self.not_improved_button = QPushButton("&Not improved: next step")
        self.improved_button.clicked.connect(lambda: self._confirm(True))
        self.not_improved_button.clicked.connect(lambda: self._confirm(False))
        review_row = QHBoxLayout()
        review_row.addWidget(self.review_label, 1)
        review_row.addWidget(self.improved_button)
        review_row.addWidget(self.not_improved_button)
        self.choices = QHBoxLayout()
        self.penalties = QGroupBox("Penalty notices")
        self.penalty_rows = QVBoxLayout(self.penalties)
        self.meeting_button = QPushButton("&Book meeting…")
        self.note_button = QPushButton("Add &note…")
        self.evidence_button = QPushButton("&Evidence pack…")
        self.close_button = QPushButton("&Close case…")
        self.meeting_button.clicked.connect(self._book)
        self.note_button.clicked.connect(self._note)
        self.evidence_button.clicked.connect(self._evidence)
        self.close_button.clicked.connect(self._close)
        actions = QHBoxLayout()
        for button in (
            self.meeting_button,
            self.note_button,
            self.evidence_button,
            self.close_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        self.history = history_tree()

        detail = QWidget()
        box = QVBoxLayout(detail)
        box.addWidget(self.title)
        box.addWidget(self.next_label)
        box.addLayout(review_row)
        box.addLayout(self.choices)
        box.addWidget(self.penalties)
        box.addLayout(actions)
        box.addWidget(self.history, 1)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(detail)
        splitter.setSizes([480, 620])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.reload()

    # -- the list -------------------------------------------------------------------------

    def reload(self) -> None:
        chosen = self._view.case_id if self._view else None
        today = self._now().date()
        rows = read(self._factory, lambda session: case_rows(session, today))
        self.list.blockSignals(True)
        self.list.clear()
        bold = QFont()
        bold.setBold(True)
        current = None
        for row in rows:
            item = QTreeWidgetItem(
                [row.pupil_name, row.group, f"Stage {row.stage}", row.state_label, row.next_text]
            )
            item.setData(0, ROW_ROLE, row)
            item.setToolTip(4, row.next_text)
            if row.needs_attention:
                for column in range(5):
                    item.setFont(column, bold)
            self.list.addTopLevelItem(item)
            if row.case_id == chosen:
                current = item
        self.list.blockSignals(False)
        if current is not None:
            self.list.setCurrentItem(current)
        self.show_case(chosen if current is not None else None)

    def _chosen(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        row: CaseRow | None = item.data(0, ROW_ROLE) if item is not None else None
        self.show_case(row.case_id if row else None)

    # -- the chosen case ----------------------------------------------------------------------

    def show_case(self, case_id: int | None) -> None:
        view = None
        if case_id is not None:
            today = self._now().date()
            view = read(self._factory, lambda session: case_view(session, case_id, today))
        self._view = view
        clear_layout(self.choices)
        clear_layout(self.penalty_rows)
        self.history.clear()
        for widget in (self.meeting_button, self.note_button, self.evidence_button):
            widget.setEnabled(view is not None)
        self.close_button.setEnabled(view is not None and view.closed_on is None)
        if view is None:
            self.title.setText("No case chosen")
            self.next_label.setText("Cases open when a pupil's first letter is sent.")
            self.review_label.clear()
            self.improved_button.setVisible(False)
            self.not_improved_button.setVisible(False)
            self.penalties.setVisible(False)
            return
        self.title.setText(f"{view.pupil_name} ({view.group}) · {view.pathway} · {view.stage_text}")
        self.next_label.setText(f"Now at: {view.state_label}\nNext: {view.next_text}")
        review = view.review
        asking = review is not None and review.ended
        self.review_label.setText(
            f"Attendance improved? {review.describe()}" if review is not None and asking else ""
        )
        self.review_label.setVisible(asking)
        # "Attendance improved?" is asked once the period has ended.
        for button in (self.improved_button, self.not_improved_button):
            button.setVisible(review is not None and review.ended)
        if review is not None and review.ended:
            # The register's answer is the default; the person may know better.
            target = self.improved_button if review.improved else self.not_improved_button
            target.setDefault(True)
        for choice in view.choices:
            button = QPushButton(choice.label)
            button.setEnabled(choice.enabled)
            button.setToolTip(choice.why)
            button.clicked.connect(lambda _=False, e=choice.event: self._event(e))
            self.choices.addWidget(button)
        self.meeting_button.setEnabled(view.kind == "meeting" and view.closed_on is None)
        fill_penalties(
            self.penalties,
            self.penalty_rows,
            view,
            issue=self._issue,
            paid=self._paid,
            withdraw=self._withdraw,
        )
        fill_history(self.history, view)

    # -- changes ----------------------------------------------------------------------------

    def _apply(self, work: Callable[[Session, int, User], object]) -> bool:
        """Run one service change for the chosen case in a transaction, then refresh."""
        if self._view is None:
            return False
        case_id = self._view.case_id
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, _now: work(session, case_id, user),
            refusals=SERVICE_ERRORS,
            say=lambda text: QMessageBox.warning(self, "Not recorded", text),
        )
        if not isinstance(done, Done):
            return False
        self.reload()
        self.changed.emit()
        return True

    def _confirm(self, improved: bool) -> None:
        now = self._now()
        self._apply(
            lambda s, case_id, user: confirm_review(
                s, case_id=case_id, improved=improved, day=now.date(), user=user, now=now
            )
        )

    def _event(self, event: str) -> None:
        now = self._now()
        self._apply(
            lambda s, case_id, user: record_event(
                s, case_id=case_id, event=event, day=now.date(), user=user, now=now
            )
        )

    def _book(self) -> None:
        if self._view is None:
            return
        proposed = self._view.meeting
        default = datetime.combine(self._now().date() + timedelta(days=7), time(15, 30))
        dialog = MeetingDialog(
            self,
            proposed.at if proposed else default,
            proposed.place if proposed else "the school office",
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        at, place = dialog.values()
        now = self._now()
        self._apply(
            lambda s, case_id, user: book_meeting(
                s, case_id=case_id, at=at, place=place, user=user, now=now
            )
        )

    def _note(self) -> None:
        text, ok = QInputDialog.getMultiLineText(self, "Add a note", "What happened?")
        if ok:
            now = self._now()
            self._apply(
                lambda s, case_id, user: add_note(s, case_id=case_id, text=text, user=user, now=now)
            )

    def _close(self) -> None:
        reason, ok = QInputDialog.getText(self, "Close the case", "Why is the case closing?")
        if ok:
            now = self._now()
            self._apply(
                lambda s, case_id, user: close_case(
                    s, case_id=case_id, reason=reason, day=now.date(), user=user, now=now
                )
            )

    def _issue(self, contact_id: int) -> None:
        if self._view is None:
            return
        reference, ok = QInputDialog.getText(self, "Penalty notice", "Notice reference (optional)")
        if not ok:
            return
        pupil_id, now = self._view.pupil_id, self._now()
        rules = pathway_preset(self._view.pathway_key).penalties
        self._apply(
            lambda s, case_id, user: issue_penalty_notice(
                s,
                pupil_id=pupil_id,
                contact_id=contact_id,
                day=now.date(),
                rules=rules,
                user=user,
                now=now,
                reference=reference,
                case_id=case_id,
            )
        )

    def _paid(self, notice_id: int) -> None:
        now = self._now()
        self._apply(
            lambda s, _case, user: mark_paid(
                s, notice_id=notice_id, day=now.date(), user=user, now=now
            )
        )

    def _withdraw(self, notice_id: int) -> None:
        reason, ok = QInputDialog.getText(self, "Withdraw the notice", "Why is it withdrawn?")
        if ok:
            now = self._now()
            self._apply(
                lambda s, _case, user: withdraw(
                    s,
                    notice_id=notice_id,
                    day=now.date(),
                    reason=reason,
                    user=user,
                    now=now,
                )
            )

    def _evidence(self) -> None:
        if (view := self._view) is None:
            return
        pdf = audited(
            self._factory,
            self._now,
            lambda session, user, now: evidence_pdf(
                session, pupil_id=view.pupil_id, day=now.date(), user=user, now=now
            ),
        )
        save_pdf(pdf, self, f"Evidence pack {view.pupil_name} {self._now():%Y-%m-%d}.pdf")
