"""The import wizard's first two steps: what to import and from which file, then which
column of the file holds each of ours."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from attendance_desk.interop import ImportFailed
from attendance_desk.interop.column_mapping import (
    EXPECTED,
    KINDS,
    apply_mapping,
    missing_required,
    suggest_mapping,
)
from attendance_desk.interop.import_preview import file_columns
from attendance_desk.ui.operations.run import read
from attendance_desk.ui.widgets.style import muted

if TYPE_CHECKING:
    from attendance_desk.ui.interop.import_wizard import ImportWizard

KIND_LABELS = {"pupils": "&Pupils", "contacts": "&Contacts", "marks": "&Marks"}
NOT_IN_FILE = "(not in the file)"
ERROR_STYLE = "color: #a4280b;"


class SourcePage(QWizardPage):
    """What to import, and from which file."""

    def __init__(self, wizard: ImportWizard, kind: str) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("What to import")
        self.setSubTitle(
            "A CSV file exported from your MIS. Nothing is imported until the last step."
        )
        self.kinds = QButtonGroup(self)
        choices = QHBoxLayout()
        for index, name in enumerate(KINDS):
            button = QRadioButton(KIND_LABELS[name])
            button.setObjectName(f"kind_{name}")
            button.setChecked(name == kind)
            self.kinds.addButton(button, index)
            choices.addWidget(button)
        choices.addStretch(1)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("import_path")
        self.path_edit.setAccessibleName("CSV file")
        self.path_edit.setPlaceholderText("Type the file's path, or choose Browse")
        self.path_edit.textChanged.connect(self.completeChanged)
        browse = QPushButton("&Browse…")
        browse.setObjectName("browse")
        browse.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path_edit)
        self.message = QLabel()
        self.message.setObjectName("source_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Import:"))
        layout.addLayout(choices)
        layout.addSpacing(12)
        layout.addWidget(file_label)
        layout.addLayout(file_row)
        layout.addWidget(self.message)
        layout.addStretch(1)
        advice = muted(
            QLabel(
                "Pupils first, then contacts and marks: those name pupils by UPN. "
                "Marks in the pre-2024 codes (H, F, J, Y) are mapped to today's codes, "
                "and the preview shows how."
            )
        )
        advice.setWordWrap(True)
        layout.addWidget(advice)

    def kind(self) -> str:
        return KINDS[max(self.kinds.checkedId(), 0)]

    def path(self) -> Path:
        return Path(self.path_edit.text().strip().strip('"')).expanduser()

    def browse(self) -> None:
        start = str(self.path().parent) if self.path_edit.text().strip() else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose the CSV file", start, "CSV files (*.csv);;All files (*)"
        )
        if name:
            self.path_edit.setText(name)

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:  # noqa: N802
        path = self.path()
        if not path.is_file():
            self.message.setText(f"There is no file at {path}.")
            return False
        try:
            headers, sample = file_columns(path)
        except ImportFailed as exc:
            lines = [short_problem(error, str(path)) for error in exc.errors]
            self.message.setText("This file cannot be imported:\n" + "\n".join(lines))
            return False
        if not headers:
            self.message.setText("The file has no header row.")
            return False
        self.message.clear()
        self._wizard.set_source(self.kind(), path, headers, sample)
        return True


class MappingPage(QWizardPage):
    """A combo box per column of ours, listing the file's columns."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Match the columns")
        self.combos: dict[str, QComboBox] = {}
        self.samples: dict[str, QLabel] = {}
        self.note = muted(QLabel())
        self.note.setObjectName("mapping_note")
        self.note.setWordWrap(True)
        self.missing = QLabel()
        self.missing.setObjectName("mapping_missing")
        self.missing.setStyleSheet(ERROR_STYLE)
        self.missing.setWordWrap(True)
        self._scroll = QScrollArea(widgetResizable=True)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to a combo
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self.missing)

    def initializePage(self) -> None:  # noqa: N802
        wizard = self._wizard
        self.setSubTitle(
            f"Which column of {wizard.path.name} holds each item? Items marked * are needed."
        )
        mapping, remembered = read(
            wizard.factory, lambda session: suggest_mapping(session, wizard.kind, wizard.headers)
        )
        self.note.setText(
            "Filled in as you matched them last time for a file with these columns."
            if remembered
            else "Filled in from the column names: check each one."
        )
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setColumnStretch(2, 1)
        grid.addWidget(muted(QLabel("Attendance Desk")), 0, 0)
        grid.addWidget(muted(QLabel("Column in your file")), 0, 1)
        grid.addWidget(muted(QLabel("First value")), 0, 2)
        self.combos, self.samples = {}, {}
        for row, column in enumerate(EXPECTED[wizard.kind], start=1):
            label = QLabel(f"{column.label}{' *' if column.required else ''}")
            combo = QComboBox()
            combo.setObjectName(f"map_{column.name}")
            combo.setAccessibleName(f"Column for {column.label}")
            combo.addItems([NOT_IN_FILE, *wizard.headers])
            combo.setCurrentText(mapping.get(column.name) or NOT_IN_FILE)
            label.setBuddy(combo)
            sample = muted(QLabel())
            sample.setObjectName(f"sample_{column.name}")
            self.combos[column.name] = combo
            self.samples[column.name] = sample
            combo.currentIndexChanged.connect(lambda _i, name=column.name: self._changed(name))
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(sample, row, 2)
            self._show_sample(column.name)
        grid.setRowStretch(len(self.combos) + 1, 1)
        self._scroll.setWidget(holder)
        self._changed("")
        if self.combos:
            next(iter(self.combos.values())).setFocus()

    def mapping(self) -> dict[str, str]:
        return {
            name: "" if combo.currentIndex() == 0 else combo.currentText()
            for name, combo in self.combos.items()
        }

    def _show_sample(self, name: str) -> None:
        """The first value the file has for `name` under the chosen column."""
        mapping = {name: self.mapping().get(name, "")}
        values = (apply_mapping(mapping, row)[name] for row in self._wizard.sample)
        self.samples[name].setText(next((value for value in values if value), ""))

    def _changed(self, name: str) -> None:
        if name:
            self._show_sample(name)
        missing = missing_required(self._wizard.kind, self.mapping())
        self.missing.setText(
            "Choose a column for: " + ", ".join(c.label for c in missing) if missing else ""
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.combos) and not missing_required(self._wizard.kind, self.mapping())

    def validatePage(self) -> bool:  # noqa: N802
        self._wizard.mapping = self.mapping()
        return True


def short_problem(problem: str, file: str) -> str:
    """A problem without the file's folder: "line 5: date_of_birth: …"."""
    _, found, rest = problem.partition(f"{file}:")
    return f"line {rest}" if found else problem
