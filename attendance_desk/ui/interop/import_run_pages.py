"""The import wizard's last steps: the import on a worker thread with a progress bar, all
or nothing, then what it did."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QProgressBar, QVBoxLayout, QWizardPage
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.interop import ImportFailed
from attendance_desk.interop.import_preview import import_mapped
from attendance_desk.ui.interop.import_choice_pages import ERROR_STYLE
from attendance_desk.ui.operations.background import change_in_thread

if TYPE_CHECKING:
    from attendance_desk.ui.interop.import_wizard import ImportWizard


class _Stopped(Exception):
    """Raised in the progress callback to roll the import back when the wizard closes."""


class ImportWorker(QThread):
    """Runs the import in its own transaction; committed only when every row is written."""

    progressed = Signal(int, int)
    succeeded = Signal(str)
    failed = Signal(list)

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: datetime,
        kind: str,
        path: Path,
        mapping: Mapping[str, str],
    ) -> None:
        super().__init__()
        self._factory, self._now = factory, now
        self._kind, self._path, self._mapping = kind, path, dict(mapping)
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:  # the worker thread
        try:
            summary = change_in_thread(
                self._factory,
                self._now,
                lambda session, user, now: import_mapped(
                    session,
                    self._kind,
                    self._path,
                    mapping=self._mapping,
                    user=user,
                    now=now,
                    progress=self._progress,
                ),
            )
        except _Stopped:
            self.failed.emit(["The import was stopped; nothing was imported."])
        except ImportFailed as exc:
            self.failed.emit(exc.errors)
        except Exception as exc:  # shown to the user; the transaction has rolled back
            self.failed.emit([str(exc) or type(exc).__name__])
        else:
            self.succeeded.emit(str(summary))

    def _progress(self, done: int, total: int) -> None:
        if self._stop.is_set():
            raise _Stopped
        self.progressed.emit(done, total)


class ImportingPage(QWizardPage):
    """The progress bar while the worker imports; moves on by itself when it has finished."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Importing")
        self.setSubTitle("All or nothing: closing the wizard now stops it and imports nothing.")
        self.bar = QProgressBar()
        self.bar.setObjectName("import_progress")
        self.bar.setAccessibleName("Import progress")
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addStretch(1)
        self.done = False

    def initializePage(self) -> None:  # noqa: N802
        self.done = False
        self.bar.setRange(0, 0)
        self._wizard.start_import(self)

    def progressed(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def finished(self) -> None:
        self.done = True
        self.completeChanged.emit()
        self._wizard.next()

    def isComplete(self) -> bool:  # noqa: N802
        return self.done


class ResultPage(QWizardPage):
    """What the import did, or why it did nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Import finished")
        self.setSubTitle("Every change is in the audit log (Desk → Audit log).")
        self.text = QLabel()
        self.text.setObjectName("import_result")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.problems = QListWidget()
        self.problems.setObjectName("result_problems")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.problems, 1)

    def show_result(self, ok: bool, lines: list[str]) -> None:
        self.setTitle("Imported" if ok else "Nothing was imported")
        self.text.setText(lines[0] if ok else "Nothing was imported:")
        self.text.setStyleSheet("" if ok else ERROR_STYLE)
        self.problems.clear()
        self.problems.addItems([] if ok else lines)
        self.problems.setVisible(not ok)
