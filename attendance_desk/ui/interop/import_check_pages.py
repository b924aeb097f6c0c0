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
from attendance_desk.interop.import_preview import Preview, preview_import
from attendance_desk.interop.row_verdicts import Status
from attendance_desk.ui.interop.import_choice_pages import ERROR_STYLE, short_problem
from attendance_desk.ui.interop.import_preview_model import SHOWN, ImportPreviewModel
from attendance_desk.ui.operations.run import read_as
from attendance_desk.ui.widgets.style import heading, muted
from attendance_desk.wording import plural

if TYPE_CHECKING:
    from attendance_desk.ui.interop.import_wizard import ImportWizard


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
        self.about = muted(QLabel())
        self.about.setObjectName("preview_about")
        self.about.setWordWrap(True)
        self.warnings = QListWidget()
        self.warnings.setObjectName("warnings")
        self.warnings.setAccessibleName("Rows to check; they do not stop the import")
        self.warnings.setMaximumHeight(90)
        self.warnings_label = QLabel("C&heck these (they do not stop the import):")
        self.warnings_label.setBuddy(self.warnings)
        self.problems = QListWidget()
        self.problems.setObjectName("problems")
        self.problems.setAccessibleName("Problems in the file")
        self.problems.setMaximumHeight(130)
        self.problems_label = QLabel("P&roblems:")
        self.problems_label.setBuddy(self.problems)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legacy)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.warnings)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems)

    def initializePage(self) -> None:  # noqa: N802
        wizard = self._wizard
        wizard.preview = None
        self.problems.clear()
        self.warnings.clear()
        try:  # a dry run: nothing it does is kept
            wizard.preview = read_as(
                wizard.factory,
                wizard.now,
                lambda session, user, now: preview_import(
                    session, wizard.kind, wizard.path, mapping=wizard.mapping, now=now, viewer=user
                ),
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
            self.problems.addItems([short_problem(p, preview.file) for p in preview.problems])
            self.warnings.addItems([short_problem(w, preview.file) for w in preview.warnings])
        for widget in (self.problems_label, self.problems):
            widget.setVisible(self.problems.count() > 0)
        for widget in (self.warnings_label, self.warnings):
            widget.setVisible(self.warnings.count() > 0)
        self.about.setText(_about(preview))
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
            (Status.SKIPPED, "Skipped (not on roll in the MIS)"),
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


def _about(preview: Preview | None) -> str:
    """How the file was read, and the rows left out on purpose."""
    if preview is None:
        return ""
    parts = [f"Read as {preview.read_as}."] if preview.read_as else []
    for reason, rows in sorted(preview.skipped.items()):
        parts.append(f"{plural(rows, 'row')} skipped ({reason}).")
    return " ".join(parts)
