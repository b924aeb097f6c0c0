"""The Letters tab: letters due by stage, ticked, previewed and sent; the pathways; the log.

*Due* lists every letter the pathway calls for today, grouped by stage. Tick the ones to
send (Space or a click), check the meeting a letter proposes, look at the preview, then
save them as PDFs or print them: either way they are logged (who, when, to whom, which
template, the PDF) and each pupil's case moves on; a progress dialog counts the letters and
can cancel the batch, which then sends nothing. *Pathways* shows where every open case is
and records meetings, reviews and decisions. *Sent* is the log, with re-printing.
*Templates* is where the school rewords its letters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QTabWidget, QTreeWidget, QVBoxLayout, QWidget
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.ui.letters.due_panel import DuePanel
from attendance_desk.ui.letters.letter_template_editor import LetterTemplateEditor
from attendance_desk.ui.letters.letters_cases import CasesPanel
from attendance_desk.ui.letters.letters_sent import SentPanel
from attendance_desk.ui.operations.changes import Change, announce


class LettersTab(QWidget):
    """Due letters, the pathways and the sent log, on three pages."""

    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        super().__init__()
        self.setObjectName("tab_letters")
        self.due_panel = DuePanel(factory, now)
        self.cases_panel = CasesPanel(factory, now)
        self.sent_panel = SentPanel(factory, now)
        self.template_editor = LetterTemplateEditor(factory, now)
        self.pages = QTabWidget()
        self.pages.setAccessibleName("Letters pages")
        self.pages.addTab(self.due_panel, "&Due")
        self.pages.addTab(self.cases_panel, "Path&ways")
        self.pages.addTab(self.sent_panel, "S&ent")
        self.pages.addTab(self.template_editor, "Te&mplates")
        self._page = 0
        self.pages.currentChanged.connect(self._page_changed)
        self.template_editor.saved.connect(lambda _name: self.due_panel.reload())
        self.due_panel.sent.connect(self._after_sending)
        self.cases_panel.changed.connect(self.due_panel.reload)
        self.cases_panel.changed.connect(lambda: announce(self, Change.LETTERS))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    # Shortcuts the tests and the main window use.
    @property
    def tree(self) -> QTreeWidget:
        return self.due_panel.tree

    def save_to(self, folder: Path) -> list[Path]:
        """Send and save the ticked due letters in `folder` (what "Save PDFs…" does)."""
        return self.due_panel.save_to(folder)

    def reload(self) -> None:
        self.due_panel.reload()
        self.cases_panel.reload()
        self.sent_panel.reload()
        self.template_editor.reload()

    def _page_changed(self, index: int) -> None:
        """Leaving the Templates page with unsaved wording asks first (and can stay)."""
        editor_page = self.pages.indexOf(self.template_editor)
        leaving = self._page == editor_page and index != editor_page
        if leaving and not self.template_editor.confirm_leave():
            self.pages.blockSignals(True)
            self.pages.setCurrentIndex(editor_page)
            self.pages.blockSignals(False)
            return
        self._page = index

    def _after_sending(self, _count: int) -> None:
        self.cases_panel.reload()
        self.sent_panel.reload()
        announce(self, Change.LETTERS)
