"""The Templates page of the Letters tab: the school rewords a letter and sees it as printed.

Pick a letter on the left; its wording in use (the standard text or the school's own) opens
in the editor. The merge fields are listed underneath: double-click one, or press Enter on
it, to put it in at the cursor. A moment after typing stops, the preview shows the letter to
a real parent (the first letter due today) or to an obviously made-up family, and any
mistake is named under the text with its line. Ctrl+S saves the wording for every PC;
"Back to the standard wording" undoes the school's changes (both stay in the history).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import (
    PERMISSIONS,
    ROLE_LABELS,
    NotAllowed,
    Permission,
    allowed,
)
from attendance_desk.letters import template_store as store
from attendance_desk.letters.template_preview import Sample, preview_template, sample_for
from attendance_desk.letters.templates import TemplateError
from attendance_desk.models import User
from attendance_desk.ui.letters.letters_preview import PdfPreview
from attendance_desk.ui.letters.merge_fields import MergeFields, insert_field
from attendance_desk.ui.letters.template_problem import problem_label, show_problem
from attendance_desk.ui.letters.wording_history import TEXT_ROLE, WordingHistory
from attendance_desk.ui.operations.run import Done, change, read, read_as
from attendance_desk.ui.widgets.style import muted
from attendance_desk.uk_dates import moment_text

NAME_ROLE = Qt.ItemDataRole.UserRole
#: How long after the last key press the preview is drawn again.
PREVIEW_DELAY_MS = 400
REFUSALS = (store.TemplateStoreError, TemplateError, NotAllowed)


def editors_text() -> str:
    """Who may change the wording, for the read-only note."""
    roles = [
        ROLE_LABELS[r] for r, p in PERMISSIONS.items() if Permission.EDIT_LETTER_TEMPLATES in p
    ]
    return ", ".join(roles[:-1]) + f" or {roles[-1]}" if len(roles) > 1 else roles[0]


def may_edit(user: User) -> bool:
    """Whether `user` may change the wording (the page is read-only otherwise)."""
    return allowed(user, Permission.EDIT_LETTER_TEMPLATES)


class LetterTemplateEditor(QWidget):
    """Letter list, editor with merge fields and problems, live preview, save and history."""

    saved = Signal(str)

    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        super().__init__()
        self._factory = factory
        self._now = now
        self._name = ""
        self._label = ""
        self._saved_text = ""
        self._own = False
        self._sample: Sample | None = None
        self.can_edit = False

        self.templates = QListWidget(accessibleName="Letter templates")
        self.fields = MergeFields()
        self.fields.itemActivated.connect(self._insert_field)
        self.field_help = muted(QLabel("Choose a field to see what it holds."))
        self.field_help.setWordWrap(True)
        self.fields.currentItemChanged.connect(
            lambda item, _: self.field_help.setText(item.toolTip()) if item is not None else None
        )

        self.editor = QPlainTextEdit(accessibleName="Template text")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.textChanged.connect(self._text_changed)
        self.state = muted(QLabel())
        self.state.setWordWrap(True)
        self.problem = problem_label()
        self.read_only_note = muted(
            QLabel(f"Read only: the wording can be changed by the {editors_text()}.")
        )
        self.read_only_note.setWordWrap(True)
        self.save_button = QPushButton("&Save wording")
        self.save_button.setToolTip("Save this wording for every PC (Ctrl+S)")
        self.standard_button = QPushButton("Back to the standard &wording…")
        self.save_button.clicked.connect(self.save)
        self.standard_button.clicked.connect(self.back_to_standard)
        save_key = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        save_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.history = WordingHistory()
        self.history.itemActivated.connect(self._restore_version)

        self.sample_label = muted(QLabel())
        self.sample_label.setWordWrap(True)
        self.preview = PdfPreview("The letter appears here as you type.")
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self.templates.currentItemChanged.connect(self._template_chosen)
        self._build_layout()
        self._loaded = False  # read when first shown: the sample letter costs start-up time

    def _build_layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Letters"))
        left_layout.addWidget(self.templates, 2)
        left_layout.addWidget(QLabel("Merge fields (double-click to insert)"))
        left_layout.addWidget(self.fields, 3)
        left_layout.addWidget(self.field_help)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.state)
        middle_layout.addWidget(self.editor, 4)
        middle_layout.addWidget(self.problem)
        middle_layout.addWidget(self.read_only_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.standard_button)
        buttons.addStretch(1)
        middle_layout.addLayout(buttons)
        middle_layout.addWidget(QLabel("History"))
        middle_layout.addWidget(self.history, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.sample_label)
        right_layout.addWidget(self.preview, 1)
        splitter = QSplitter()
        for widget in (left, middle, right):
            splitter.addWidget(widget)
        splitter.setSizes([230, 520, 450])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # -- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the letters and the wording in use again (another PC may have saved).

        Words being edited are kept: only the list and who may edit are brought up to date.
        Before the page is first shown there is nothing to bring up to date.
        """
        if self._loaded:
            self._load()

    def _load(self) -> None:
        self._loaded = True
        keep_editing = self.is_dirty()
        self.can_edit, texts = read_as(
            self._factory,
            self._now,
            lambda session, user, _now: (may_edit(user), store.letters_in_order(session)),
        )
        current = self._name or (texts[0].name if texts else "")
        self.templates.blockSignals(True)
        self.templates.clear()
        for text in texts:
            item = QListWidgetItem(text.label + (" (school's wording)" if text.own else ""))
            item.setData(NAME_ROLE, text.name)
            self.templates.addItem(item)
            if text.name == current:
                self.templates.setCurrentItem(item)
        self.templates.blockSignals(False)
        self._sample = None
        if current and not keep_editing:
            self._open(current)
        self._apply_permission()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Someone else may have logged in since: follow their permission."""
        if not self._loaded:
            self._load()
        self.can_edit = read_as(self._factory, self._now, lambda _s, user, _now: may_edit(user))
        self._apply_permission()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        """No preview is drawn for a page nobody sees (or a database already closed)."""
        self._timer.stop()
        super().hideEvent(event)

    def _apply_permission(self) -> None:
        self.editor.setReadOnly(not self.can_edit)
        self.read_only_note.setVisible(not self.can_edit)
        self._update_buttons()

    def _open(self, name: str) -> None:
        text, versions = read(
            self._factory,
            lambda session: (store.current_text(session, name), store.history(session, name)),
        )
        self._name, self._label = name, text.label
        self._saved_text, self._own = text.text, text.own
        if text.own and text.saved_at is not None:
            self.state.setText(
                f"{text.label}: the school's own wording, saved by {text.saved_by} "
                f"on {moment_text(text.saved_at)}."
            )
        else:
            self.state.setText(f"{text.label}: the standard wording.")
        self.history.show_versions(versions)
        self.editor.blockSignals(True)
        self.editor.setPlainText(text.text)
        self.editor.blockSignals(False)
        self.refresh_preview()

    def _template_chosen(
        self, item: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        if item is None or item.data(NAME_ROLE) == self._name:
            return
        if not self.confirm_leave():
            self.templates.blockSignals(True)
            if previous is not None:
                self.templates.setCurrentItem(previous)
            self.templates.blockSignals(False)
            return
        self._open(item.data(NAME_ROLE))

    # -- editing ------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        """True when the editor holds words that are not saved."""
        return bool(self._name) and self.editor.toPlainText() != self._saved_text

    def _text_changed(self) -> None:
        self._update_buttons()
        self._timer.start()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.can_edit and self.is_dirty())
        self.standard_button.setEnabled(self.can_edit and self._own)

    def _insert_field(self, item: QListWidgetItem) -> None:
        if self.can_edit:
            insert_field(self.editor, item)

    def _restore_version(self, item: QListWidgetItem) -> None:
        if not (self.can_edit and item.flags() & Qt.ItemFlag.ItemIsEnabled):
            return
        text = item.data(TEXT_ROLE)
        self.editor.setPlainText(text if text is not None else store.standard_text(self._name))

    # -- preview and problems -----------------------------------------------------------------

    def refresh_preview(self) -> None:
        """Check the text and draw it as a letter; a mistake is shown under the text instead."""
        self._timer.stop()
        if not self._name:
            return
        now = self._now()
        name, text = self._name, self.editor.toPlainText()
        try:
            if self._sample is None:
                self._sample = read(self._factory, lambda session: sample_for(session, now.date()))
            sample = self._sample
            pdf = read(
                self._factory,
                lambda session: preview_template(
                    session, sample, name=name, text=text, day=now.date(), printed_at=now
                ),
            )
        except TemplateError as exc:
            self._show_problem(exc)
            return
        self._show_problem(None)
        self.sample_label.setText(self._sample.describe)
        self.preview.show_pdf(pdf)

    def _show_problem(self, error: TemplateError | None) -> None:
        show_problem(self.editor, self.problem, error)

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the editor's wording for every PC; a problem is shown and nothing saved."""
        if not (self.can_edit and self.is_dirty()):
            return False
        name, text = self._name, self.editor.toPlainText()
        try:
            store.check_text(name, text)
        except TemplateError as exc:
            self._show_problem(exc)
            return False
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: store.save_text(
                session, name=name, text=text, user=user, now=now
            ),
            refusals=REFUSALS,
            say=lambda message: QMessageBox.warning(self, "Wording not saved", message),
        )
        if not isinstance(done, Done):
            return False
        self._saved_text = text
        self.reload()
        self.state.setText(self.state.text() + " Every PC prints this wording from now on.")
        self.saved.emit(self._name)
        return True

    def back_to_standard(self) -> None:
        """After a confirmation, print this letter with the standard wording again."""
        if not (self.can_edit and self._own):
            return
        answer = QMessageBox.question(
            self,
            "Back to the standard wording",
            f"Print {self._label} with the standard wording again? Unsaved changes are lost."
            "\n\nThe school's wording stays in the history and can be brought back.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        name = self._name
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: store.revert_to_standard(
                session, name=name, user=user, now=now
            ),
            refusals=REFUSALS,
            say=lambda message: QMessageBox.warning(self, "Wording not changed", message),
        )
        if not isinstance(done, Done):
            return
        self._saved_text = self.editor.toPlainText()  # unsaved words were given up above
        self.reload()
        self.saved.emit(self._name)

    def confirm_leave(self) -> bool:
        """Ask about unsaved words before they are left; True when it is fine to go."""
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved wording",
            "The letter's wording has changes that are not saved. Save them?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.editor.setPlainText(self._saved_text)
            return True
        return False
