"""File → Export changes for the MIS: after an outage, the marks entered or amended since
a moment, as the marks CSV the MIS imports; the batch is remembered so the next export
starts where this one ended."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.interop.changes_export import (
    ExportRangeError,
    count_changes,
    export_changes,
    last_batch_end,
)
from attendance_desk.ui.operations.run import Done, change, read
from attendance_desk.ui.widgets.date_editors import datetime_edit, picked_moment
from attendance_desk.uk_dates import moment_text


class ChangesExportDialog(QDialog):
    """Since (the end of the last batch by default), until now, a count, a file, Export."""

    def __init__(
        self, factory: sessionmaker[Session], now: Callable[[], datetime], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("Export changes for the MIS")
        self._factory, self._now = factory, now
        last = read(factory, last_batch_end)
        start = last or datetime.combine(now().date(), time())
        self.since_edit = datetime_edit(start, name="Changes since")
        self.last_label = QLabel(
            f"The last export ended {moment_text(last)}." if last else "Nothing exported yet."
        )
        self.until_label = QLabel(accessibleName="Until")
        self.count_label = QLabel(accessibleName="Marks to export")
        self.path_edit = QLineEdit(accessibleName="CSV file")
        self.path_edit.setText(str(Path.home() / f"changes-{now():%Y%m%d-%H%M}.csv"))
        self.browse_button = QPushButton("&Browse…")
        self.export_button = QPushButton("&Export")
        self.export_button.setDefault(True)
        self.status = QLabel(accessibleName="Result")
        self.status.setWordWrap(True)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow("", self.last_label)
        form.addRow("Entered or amended &since", self.since_edit)
        form.addRow("Until", self.until_label)
        form.addRow("", self.count_label)
        form.addRow("File", file_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The marks entered or amended in this time, in the marks CSV layout "
            "(upn, date, session, code, reason) for the MIS to import or to re-key."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.resize(620, 260)
        self.since_edit.dateTimeChanged.connect(lambda _dt: self.preview())
        self.browse_button.clicked.connect(self.browse)
        self.export_button.clicked.connect(self.export)
        self.preview()

    def since(self) -> datetime:
        return picked_moment(self.since_edit).replace(second=0, microsecond=0)

    def preview(self) -> None:
        until = self._now()
        self.until_label.setText(f"now ({moment_text(until)})")
        since = self.since()
        count = read(self._factory, lambda session: count_changes(session, since, until))
        self.count_label.setText(f"{count} mark{'s' * (count != 1)} to export")

    def browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export changes", self.path_edit.text(), "CSV files (*.csv)"
        )
        if name:
            self.path_edit.setText(name)

    def export(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self._say("Choose the file to write.", error=True)
            return
        path = Path(text if text.lower().endswith(".csv") else f"{text}.csv")
        now, since = self._now(), self.since()
        result = change(
            self,
            self._factory,
            lambda: now,
            lambda session, user, at: export_changes(
                session, path, since=since, until=at, user=user, now=at
            ),
            refusals=(ExportRangeError, NotAllowed, OSError),
            say=lambda text: self._say(f"Nothing exported: {text}", error=True),
        )
        if not isinstance(result, Done):
            return
        done = result.value
        self._say(f"Done: {done}. The next export starts from {moment_text(now)}.")
        self.export_button.setEnabled(False)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #a4280b;" if error else "")
        self.status.setText(text)
