"""The safe-and-well wizard (QWizard): context, six questions, decision, visit, next steps.

Every page is saved to the database when the DSL moves on (`validatePage`), so closing the
window or a crash loses nothing; opening the wizard again for the same pupil resumes at the
first page not yet saved. The visit page is skipped when the decision is not to visit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.models import User
from attendance_desk.safeguarding import check_wizard
from attendance_desk.safeguarding import checks as sw
from attendance_desk.safeguarding.documents import DocumentIncomplete, cme_notice, police_summary
from attendance_desk.safeguarding.errors import SafeguardingError
from attendance_desk.ui.operations.run import Done, Refused, change, read
from attendance_desk.ui.widgets.date_editors import datetime_edit, picked_moment
from attendance_desk.ui.widgets.pdf_output import print_pdf, save_pdf

T = TypeVar("T")
#: A page's save: a function of the session, the user the wizard is open for, and the moment.
Work = Callable[[Session, User, datetime], object]

CONTEXT, QUESTIONS, DECISION, VISIT, NEXT_STEPS = range(5)
RESUME_AT = {
    "context": QUESTIONS,
    "questions": DECISION,
    "decision": VISIT,
    "visit": NEXT_STEPS,
    "next_steps": NEXT_STEPS,
}


class _Page(QWizardPage):
    """A page that saves through the wizard's `save` and shows refusals on itself."""

    def __init__(self, wizard: SafeAndWellWizard, title: str, subtitle: str = "") -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a4280b; font-weight: bold;")

    def saved(self, work: Work) -> bool:
        self.error.clear()
        return self.wiz.save(work, say=self.error.setText)


class ContextPage(_Page):
    def __init__(self, wizard: SafeAndWellWizard) -> None:
        super().__init__(wizard, "The child and this absence")
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        c = self.wiz.context

        def block(title: str, lines: list[str]) -> str:
            return f"<p><b>{title}</b><br>" + "<br>".join(lines or ["—"]) + "</p>"

        self.text.setText(
            f"<h3>{c.name} ({c.group})</h3><p>Born {c.date_of_birth} · {c.address}</p>"
            f"<p style='color:#a4280b'><b>{', '.join(c.flags) or 'No flags recorded'}</b>"
            + (f" · social worker: {c.social_worker}" if c.social_worker else "")
            + "</p>"
            + f"<p><b>{c.episode}</b> · attendance {c.attendance}</p>"
            + block("Contacts", c.contacts)
            + block("Calls for this absence", c.calls)
            + block("Recent absences", c.recent_absences)
            + block("Siblings here", c.siblings)
            + block("Siblings' schools", c.sibling_schools)
        )


class QuestionsPage(_Page):
    def __init__(self, wizard: SafeAndWellWizard) -> None:
        super().__init__(
            wizard,
            "The six questions",
            "Answer each one, even if the answer is no. Saved when you press Next.",
        )
        self.answers: dict[str, QPlainTextEdit] = {}
        form = QFormLayout(self)
        for key, question in sw.QUESTIONS.items():
            edit = QPlainTextEdit()
            edit.setAccessibleName(question)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(52)
            self.answers[key] = edit
            form.addRow(QLabel(question), edit)
        form.addRow(self.error)

    def initializePage(self) -> None:  # noqa: N802
        for key, edit in self.answers.items():
            edit.setPlainText(getattr(self.wiz.check, key) or "")

    def validatePage(self) -> bool:  # noqa: N802
        answers = {k: e.toPlainText() for k, e in self.answers.items()}
        return self.saved(
            lambda s, u, now: sw.save_answers(
                s, check_id=self.wiz.check_id, answers=answers, user=u, now=now
            )
        )


class DecisionPage(_Page):
    def __init__(self, wizard: SafeAndWellWizard) -> None:
        super().__init__(
            wizard, "Decision", "Visit today or not, and why. The rationale is required."
        )
        self.visit = QRadioButton("Visit &today")
        self.not_today = QRadioButton("&Not today")
        group = QButtonGroup(self)
        group.addButton(self.visit)
        group.addButton(self.not_today)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.rationale = QPlainTextEdit()
        self.rationale.setAccessibleName("Rationale")
        self.rationale.setTabChangesFocus(True)
        layout = QVBoxLayout(self)
        for widget in (
            self.hint,
            self.visit,
            self.not_today,
            QLabel("Rationale"),
            self.rationale,
            self.error,
        ):
            layout.addWidget(widget)

    def initializePage(self) -> None:  # noqa: N802
        check = self.wiz.check
        decision = check.decision or self.wiz.default_decision
        (self.visit if decision == "visit_today" else self.not_today).setChecked(True)
        self.rationale.setPlainText(check.rationale or "")
        self.hint.setText(
            f"School day {check.episode_day} of this absence. "
            + (
                "A visit is due today: 'not today' needs a fuller rationale."
                if self.wiz.default_decision == "visit_today"
                else ""
            )
        )

    def validatePage(self) -> bool:  # noqa: N802
        decision = "visit_today" if self.visit.isChecked() else "not_today"
        text = self.rationale.toPlainText()
        return self.saved(
            lambda s, u, now: sw.save_decision(
                s,
                check_id=self.wiz.check_id,
                decision=decision,
                rationale=text,
                user=u,
                now=now,
            )
        )

    def nextId(self) -> int:  # noqa: N802
        return VISIT if self.visit.isChecked() else NEXT_STEPS


class VisitPage(_Page):
    def __init__(self, wizard: SafeAndWellWizard) -> None:
        super().__init__(wizard, "The visit", "Two members of staff, with a risk assessment done.")
        self.staff_one = QLineEdit(accessibleName="First member of staff")
        self.staff_two = QLineEdit(accessibleName="Second member of staff")
        self.risk = QCheckBox("Risk assessment completed")
        self.when = datetime_edit(name="Time of the visit")
        self.answered_by = QLineEdit(accessibleName="Who answered the door")
        self.outcomes: dict[str, QRadioButton] = {}
        group = QButtonGroup(self)
        self.enquiries = QPlainTextEdit()
        self.enquiries.setAccessibleName("Reasonable enquiries made")
        self.enquiries.setTabChangesFocus(True)
        self.enquiries.setPlaceholderText("Neighbours, siblings' schools, other agencies…")
        self.letter = QCheckBox("Letter left at the property")
        self.print_letter = QPushButton("Print the letter to leave…")
        self.print_letter.clicked.connect(self._print_letter)
        form = QFormLayout(self)
        form.addRow("Staff", self.staff_one)
        form.addRow("", self.staff_two)
        form.addRow("", self.risk)
        form.addRow("Visited at", self.when)
        form.addRow("Answered by", self.answered_by)
        for key, label in sw.OUTCOMES.items():
            button = QRadioButton(label)
            group.addButton(button)
            self.outcomes[key] = button
            form.addRow("" if key != "seen_safe" else "Outcome", button)
        form.addRow("Enquiries", self.enquiries)
        form.addRow("", self.letter)
        form.addRow("", self.print_letter)
        form.addRow(self.error)

    def initializePage(self) -> None:  # noqa: N802
        check = self.wiz.check
        self.staff_one.setText(check.staff_one or self.wiz.user_name)
        self.staff_two.setText(check.staff_two or "")
        self.risk.setChecked(bool(check.risk_assessment_done))
        self.when.setDateTime(QDateTime(check.visited_at or self.wiz.now()))
        if check.outcome:
            self.outcomes[check.outcome].setChecked(True)
        self.enquiries.setPlainText(check.enquiries or "")
        self.letter.setChecked(bool(check.letter_left))

    def visit(self) -> sw.Visit:
        outcome = next((k for k, b in self.outcomes.items() if b.isChecked()), "")
        return sw.Visit(
            self.staff_one.text(),
            self.staff_two.text(),
            self.risk.isChecked(),
            picked_moment(self.when),
            self.answered_by.text(),
            outcome,
            self.enquiries.toPlainText(),
            self.letter.isChecked(),
        )

    def validatePage(self) -> bool:  # noqa: N802
        visit = self.visit()
        return self.saved(
            lambda s, u, now: sw.save_visit(
                s, check_id=self.wiz.check_id, visit=visit, user=u, now=now
            )
        )

    def nextId(self) -> int:  # noqa: N802
        return NEXT_STEPS

    def _print_letter(self) -> None:
        check_id, now = self.wiz.check_id, self.wiz.now()
        staff = (self.staff_one.text(), self.staff_two.text())
        try:  # the letter only; the page is saved with Next
            pdf = read(
                self.wiz.factory,
                lambda session: check_wizard.draft_visit_letter(
                    session, check_id=check_id, staff=staff, now=now
                ),
            )
        except DocumentIncomplete as exc:
            QMessageBox.warning(self, "Letter not printed", str(exc))
            return
        print_pdf(pdf, self, "Letter left at the property")


class NextStepsPage(_Page):
    def __init__(self, wizard: SafeAndWellWizard) -> None:
        super().__init__(
            wizard,
            "Next steps",
            "Tick every step taken. Finish makes the check "
            "read-only; corrections are added as notes.",
        )
        self.steps: dict[str, QCheckBox] = {}
        self.police_ref = QLineEdit(placeholderText="Police reference number")
        self.police_ref.setAccessibleName("Police reference number")
        self.note = QLineEdit(placeholderText="Anything to add (optional)")
        self.note.setAccessibleName("Note on the next steps")
        form = QFormLayout(self)
        for key, label in sw.NEXT_STEPS.items():
            box = QCheckBox(label)
            self.steps[key] = box
            form.addRow(box)
            if key == "police":
                form.addRow("Reference", self.police_ref)
        form.addRow("Note", self.note)
        cme = QPushButton("CME notification form…")
        cme.clicked.connect(lambda: self.wiz.document(cme_notice, "CME notification"))
        police = QPushButton("Police request summary…")
        police.clicked.connect(lambda: self.wiz.document(police_summary, "Police request summary"))
        form.addRow(cme, police)
        form.addRow(self.error)

    def validatePage(self) -> bool:  # noqa: N802
        chosen = [k for k, box in self.steps.items() if box.isChecked()]
        if not chosen and not self.wiz.check.next_steps:
            self.error.setText("Tick at least one next step (or 'No further action').")
            return False
        reference, note = self.police_ref.text(), self.note.text()

        def work(session: Session, user: User, now: datetime) -> None:
            for kind in chosen:
                sw.add_next_step(
                    session,
                    check_id=self.wiz.check_id,
                    kind=kind,
                    user=user,
                    now=now,
                    reference=reference if kind == "police" else None,
                    note=note,
                )
            sw.finish(session, check_id=self.wiz.check_id, user=user, now=now)

        return self.saved(work)


class SafeAndWellWizard(QWizard):
    """Opened for one pupil by a user allowed to record safeguarding; resumes their check."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        *,
        pupil_id: int,
        user_id: int,
        parent: object = None,
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("Safe and well check")
        self.setObjectName("safe_and_well_wizard")
        self.factory, self.now, self.user_id = factory, now, user_id
        opened = self._run(
            lambda session, user, at: check_wizard.begin_check(
                session, pupil_id=pupil_id, user=user, now=at
            )
        )
        assert isinstance(opened, Done)  # NotAllowed is raised: the caller says who may open it
        first = opened.value
        self.check_id, self.user_name = first.check_id, first.user_name
        self.default_decision, self.context = first.default_decision, first.context
        self._reload()
        for page_id, page in (
            (CONTEXT, ContextPage),
            (QUESTIONS, QuestionsPage),
            (DECISION, DecisionPage),
            (VISIT, VisitPage),
            (NEXT_STEPS, NextStepsPage),
        ):
            self.setPage(page_id, page(self))
        self.setStartId(CONTEXT if self.check.step == "context" else RESUME_AT[self.check.step])
        self.resize(760, 640)

    def _run(
        self,
        work: Callable[[Session, User, datetime], T],
        refusals: tuple[type[Exception], ...] = (),
        say: Callable[[str], object] | None = None,
    ) -> Done[T] | Refused:
        """`work` in one transaction as the user the wizard was opened for (whom the check
        records), at the wizard's time; a refusal of `refusals` is handed to `say`."""
        user_id = self.user_id

        def as_opener(session: Session, _acting: User, at: datetime) -> T:
            user = session.get(User, user_id)
            assert user is not None
            return work(session, user, at)

        return change(self, self.factory, self.now, as_opener, refusals=refusals, say=say)

    def _reload(self) -> None:
        self.check = read(self.factory, lambda s: check_wizard.check_as_saved(s, self.check_id))

    def save(self, work: Work, *, say: Callable[[str], object]) -> bool:
        """Run one page's save in its own transaction, then refresh the check."""
        if not isinstance(self._run(work, (SafeguardingError, NotAllowed), say), Done):
            return False
        self._reload()
        return True

    def document(self, build: check_wizard.Document, title: str) -> None:
        check_id = self.check_id
        done = self._run(
            lambda session, user, at: check_wizard.check_document(
                session, build, check_id=check_id, user=user, now=at
            ),
            (NotAllowed,),
            lambda message: QMessageBox.warning(self, title, message),
        )
        if isinstance(done, Done):
            save_pdf(done.value, self, f"{title.lower().replace(' ', '-')}.pdf")
