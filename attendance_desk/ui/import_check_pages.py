"""The import wizard's dry run: the first rows with their problems, then the counts, with
Import refused while any row is wrong."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableView,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from attendance_desk.interop import ImportFailed
from attendance_desk.interop.import_preview import preview_import
from attendance_desk.interop.row_verdicts import Status
from attendance_desk.ui.import_choice_pages import ERROR_STYLE
from attendance_desk.ui.import_preview_model import SHOWN, ImportPreviewModel
from attendance_desk.ui.style import heading

if TYPE_CHECKING:
    from attendance_desk.ui.import_wizard import ImportWizard


class PreviewPage(QWizardPage):
    """The first rows as they will be read, problems in red, and every problem listed."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Check the rows")
        self.model = ImportPreviewModel()
        self.table = QTableView()
        self.table.setObjectName("preview_table")
        self.table.setAccessibleName("The file's first rows")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.legacy = QLabel()
        self.legacy.setObjectName("legacy_codes")
        self.legacy.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("problems")
        self.problems.setAccessibleName("Problems in the file")
        self.problems.setMaximumHeight(130)
        self.problems_label = QLabel("P&roblems:")
        self.problems_label.setBuddy(self.problems)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legacy)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems)

    def initializePage(self) -> None:  # noqa: N802
        wizard = self._wizard
        wizard.preview = None
        self.problems.clear()
        try:
            with wizard.factory() as session:  # read only: never committed
                wizard.preview = preview_import(
                    session, wizard.kind, wizard.path, mapping=wizard.mapping, now=wizard.now()
                )
        except ImportFailed as exc:
            self.problems.addItems(exc.errors)
        preview = wizard.preview
        self.model.set_preview(preview)
        shown = min(len(preview.rows), SHOWN) if preview else 0
        total = len(preview.rows) if preview else 0
        self.setSubTitle(
            f"The first {shown} of {total} rows of {wizard.path.name}. Red cells have a "
            "problem: hover over one to read it."
        )
        if preview:
            self.problems.addItems([_short(p, preview.file) for p in preview.problems])
        self.problems_label.setVisible(self.problems.count() > 0)
        self.problems.setVisible(self.problems.count() > 0)
        if preview and preview.legacy:
            lines = "<br>".join(escape(str(code)) for code in preview.legacy)
            self.legacy.setText(f"<b>Pre-2024 codes are recorded as today's:</b><br>{lines}")
        else:
            self.legacy.clear()
        self.legacy.setVisible(bool(preview and preview.legacy))
        self.table.setFocus()

    def isComplete(self) -> bool:  # noqa: N802
        return self._wizard.preview is not None


class SummaryPage(QWizardPage):
    """The counts; Import stays disabled while any row has a problem."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Ready to import?")
        self.setCommitPage(True)  # no going back once the import has started
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.counts: dict[Status, QLabel] = {}
        form = QFormLayout()
        for status, text in (
            (Status.NEW, "New"),
            (Status.UPDATED, "Updated"),
            (Status.UNCHANGED, "Unchanged"),
            (Status.ERROR, "With problems"),
        ):
            label = heading("0", scale=1.4, bold=True, name=f"count_{status.value}")
            self.counts[status] = label
            form.addRow(QLabel(text), label)
        self.verdict = QLabel()
        self.verdict.setObjectName("summary_verdict")
        self.verdict.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addWidget(self.verdict)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        preview = self._wizard.preview
        assert preview is not None
        self.setSubTitle(f"What importing {preview.file} would do, row by row.")
        for status, label in self.counts.items():
            label.setText(str(preview.counts.get(status, 0)))
        errors = preview.counts.get(Status.ERROR, 0)
        if errors:
            text = (
                f"{errors} row{'s have' if errors != 1 else ' has'} problems, so nothing can be "
                "imported yet. Correct the file (Back shows each problem with its line), save "
                "it, then choose Back and Next to check it again."
            )
        elif not preview.rows:
            text = "The file has no rows to import."
        else:
            text = (
                f"Import {self._wizard.kind} from {preview.file}: all of it, or nothing if "
                "anything goes wrong. Each change is recorded in the audit log."
            )
        self.verdict.setText(text)
        self.verdict.setStyleSheet(ERROR_STYLE if not preview.can_import else "")

    def isComplete(self) -> bool:  # noqa: N802
        preview = self._wizard.preview
        return preview is not None and preview.can_import


def _short(problem: str, file: str) -> str:
    """A problem without the file's folder: "line 5: date_of_birth: …"."""
    _, found, rest = problem.partition(f"{file}:")
    return f"line {rest}" if found else problem
