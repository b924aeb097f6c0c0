"""File → Import…: pupils, contacts or marks from a CSV file exported from the MIS.

Five steps: the kind and the file; which of the file's columns holds each of ours
(remembered for the next file with the same headers); a preview of the first rows with
problems in red; the counts, with Import refused while any row is wrong; the import itself
on a worker thread with a progress bar, all or nothing, then what it did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.interop.csv_io import Row
from attendance_desk.interop.import_preview import Preview
from attendance_desk.ui.interop.import_check_pages import PreviewPage, SummaryPage
from attendance_desk.ui.interop.import_choice_pages import MappingPage, SourcePage
from attendance_desk.ui.interop.import_run_pages import ImportingPage, ImportWorker, ResultPage

SOURCE, MAPPING, PREVIEW, SUMMARY, IMPORTING, RESULT = range(6)


class ImportWizard(QWizard):
    """The import, step by step; once it has committed, `imported` says what it did."""

    imported = Signal(str)

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        *,
        kind: str = "pupils",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("import_wizard")
        self.setWindowTitle("Import from your MIS")
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.factory, self.now = factory, now
        self.kind, self.path = kind, Path()
        self.headers: tuple[str, ...] = ()
        self.sample: list[Row] = []
        self.mapping: dict[str, str] = {}
        self.preview: Preview | None = None
        self.worker: ImportWorker | None = None
        self.source_page = SourcePage(self, kind)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.summary_page = SummaryPage(self)
        self.importing_page = ImportingPage(self)
        self.result_page = ResultPage()
        for page_id, page in (
            (SOURCE, self.source_page),
            (MAPPING, self.mapping_page),
            (PREVIEW, self.preview_page),
            (SUMMARY, self.summary_page),
            (IMPORTING, self.importing_page),
            (RESULT, self.result_page),
        ):
            self.setPage(page_id, page)
        self.resize(1000, 700)

    def set_source(
        self, kind: str, path: Path, headers: tuple[str, ...], sample: list[Row]
    ) -> None:
        self.kind, self.path, self.headers, self.sample = kind, path, headers, sample

    def start_import(self, page: ImportingPage) -> None:
        worker = ImportWorker(self.factory, self.now(), self.kind, self.path, self.mapping)
        worker.progressed.connect(page.progressed)
        worker.succeeded.connect(lambda text: self._finished(page, True, [text]))
        worker.failed.connect(lambda lines: self._finished(page, False, lines))
        self.worker = worker
        worker.start()

    def _finished(self, page: ImportingPage, ok: bool, lines: list[str]) -> None:
        if self.worker is None:  # stopped by closing the wizard
            return
        self.worker.wait()
        self.worker = None
        self.result_page.show_result(ok, lines)
        page.finished()
        if ok:
            self.imported.emit(f"Imported {self.kind} from {self.path.name}: {lines[0]}")

    def done(self, result: int) -> None:
        """Closing while importing stops the import (it rolls back) before the window goes."""
        if self.worker is not None:
            worker, self.worker = self.worker, None
            worker.stop()
            worker.wait()
        super().done(result)
