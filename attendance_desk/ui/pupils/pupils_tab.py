"""The Pupils tab: search, the list of pupils on roll, and the selected pupil's contacts.

On a database with no pupils it offers the demo school or a CSV import instead. Every read
goes through `pupil_directory`; every write through the demo builder in one transaction; the
import wizard (opened by the window) does imports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.catalogues.redaction import for_viewer
from attendance_desk.pupils import directory as pupil_directory
from attendance_desk.pupils.directory import PupilRow
from attendance_desk.ui.access.acting_user import acting_user
from attendance_desk.ui.operations.run import read
from attendance_desk.ui.pupils.first_start import FirstStartPanel
from attendance_desk.ui.pupils.pupil_details import PupilDetails
from attendance_desk.ui.pupils.pupil_table_model import Column, PupilTableModel
from attendance_desk.ui.widgets.style import muted
from attendance_desk.ui.workers.demo_worker import DemoWorker
from attendance_desk.wording import plural

#: Typing pauses this long before the list is searched again.
SEARCH_DELAY_MS = 200
#: Column widths in average characters; the name column takes the rest.
COLUMN_CHARS = {
    Column.UPN: 16,
    Column.YEAR: 6,
    Column.GROUP: 9,
    Column.FLAGS: 20,
    Column.ATTENDANCE: 14,
}


class PupilsTab(QWidget):
    """A stack of two pages: the first-start panel, and the directory itself."""

    #: The pupils changed (demo built, file imported): the window refreshes its title.
    data_changed = Signal()
    #: A short message for the status bar.
    message = Signal(str)

    def __init__(
        self,
        factory: sessionmaker[Session],
        today: Callable[[], date],
        now: Callable[[], datetime],
    ) -> None:
        super().__init__()
        self.setObjectName("tab_pupils")
        self._factory = factory
        self._today = today
        self._now = now
        self._worker: DemoWorker | None = None
        self._progress: QProgressDialog | None = None

        self.first_start = FirstStartPanel()
        self.first_start.demo_requested.connect(self.create_demo)

        self.search_edit = QLineEdit(placeholderText="Search name, UPN or group")
        self.search_edit.setObjectName("pupil_search")
        self.search_edit.setAccessibleName("Search pupils")
        self.search_edit.setToolTip(
            "Ctrl+F. Type part of a name, UPN or group; Enter or ↓ to the list"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(320)
        self.count_label = muted(QLabel())
        self.count_label.setObjectName("pupil_count")
        self.count_label.setAccessibleName("Number of pupils shown")

        self.model = PupilTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(PupilTableModel.SortRole)
        self.table = self._make_table()
        self.details = PupilDetails()

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._search_now_and_go_to_list)
        self.search_edit.installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.directory = self._directory_page()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.first_start)
        self.stack.addWidget(self.directory)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._loaded = False  # filled when first shown, so start-up stays quick

    # --- building ----------------------------------------------------------------------
    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("pupil_table")
        table.setAccessibleName("Pupils on roll")
        table.setModel(self.proxy)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setSortingEnabled(True)
        table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(48)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        char = table.fontMetrics().averageCharWidth()
        for column, chars in COLUMN_CHARS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            table.setColumnWidth(column, chars * char + 16)
        return table

    def _directory_page(self) -> QWidget:
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 2)
        top.addSpacing(12)
        top.addWidget(self.count_label, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("pupils_splitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([760, 380])
        page = QWidget()
        page.setObjectName("pupil_directory")
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(8, 8, 8, 4)
        page_layout.addWidget(splitter)
        return page

    # --- loading -----------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        """Show the first-start panel on an empty database, otherwise reload the list."""
        self._load(check_empty=True)

    def reload(self) -> None:
        """Query the pupils matching the search box; keep the selected pupil if still listed."""
        self._load(check_empty=False)

    def _load(self, *, check_empty: bool) -> None:
        self._loaded = True
        self._search_timer.stop()
        search = self.search_edit.text().strip()

        def load(session: Session) -> list | None:
            if check_empty and pupil_directory.is_empty(session):
                return None
            return [
                for_viewer(row, acting_user(session))
                for row in pupil_directory.list_pupils(session, today=self._today(), search=search)
            ]

        rows = read(self._factory, load)
        if rows is None:
            self.stack.setCurrentWidget(self.first_start)
            return
        self.stack.setCurrentWidget(self.directory)
        selected = self.selected_pupil()
        self.model.set_rows(rows)
        self._show_count(len(rows), search)
        if selected is None or not self.select_pupil(selected.pupil_id):
            self.details.clear()

    def _show_count(self, count: int, search: str) -> None:
        noun = "pupil" if count == 1 else "pupils"
        if search:
            verb = "matches" if count == 1 else "match"
            self.count_label.setText(f"{count} {noun} {verb} “{search}”")
        else:
            self.count_label.setText(f"{count} {noun} on roll")

    # --- selection ---------------------------------------------------------------------
    def selected_pupil(self) -> PupilRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row())

    def select_pupil(self, pupil_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, Column.NAME)
            if index.data(PupilTableModel.PupilIdRole) == pupil_id:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return True
        return False

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        row = self.selected_pupil()
        if row is None:
            self.details.clear()
        else:
            self.details.show_pupil(row, self._today())

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _search_now_and_go_to_list(self) -> None:
        if self._search_timer.isActive():
            self.reload()
        if self.proxy.rowCount():
            if self.selected_pupil() is None:
                self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.search_edit and isinstance(event, QKeyEvent):
            key = event.key() if event.type() == QEvent.Type.KeyPress else None
            if key == Qt.Key.Key_Down:
                self._search_now_and_go_to_list()
                return True
            if key == Qt.Key.Key_Escape and self.search_edit.text():
                self.search_edit.clear()
                return True
        return super().eventFilter(watched, event)

    # --- the demo school ---------------------------------------------------------------
    def create_demo(self) -> None:
        """Build the demo school off the UI thread, behind a progress dialog that can cancel."""
        if self._worker is not None:
            return
        worker = DemoWorker(self._factory, self._today())
        progress = QProgressDialog("Building the demo school…", "Cancel", 0, 0, self)
        progress.setObjectName("demo_progress")
        progress.setWindowTitle("Demo school")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(worker.cancel)
        worker.progressed.connect(self._demo_progressed)
        worker.succeeded.connect(self._demo_built)
        worker.failed.connect(self._demo_failed)
        worker.cancelled.connect(lambda: self.message.emit("The demo school was not created."))
        worker.finished.connect(self._demo_finished)
        self._worker, self._progress = worker, progress
        self.first_start.set_busy(True)
        worker.start()
        progress.show()

    def cancel_demo(self) -> None:
        """Stop a demo being built and wait for its transaction to roll back."""
        if self._worker is not None:
            self._worker.cancel()
            self._worker.wait()

    def _demo_progressed(self, done: int, total: int) -> None:
        if self._progress is not None and not self._progress.wasCanceled():
            self._progress.setMaximum(max(total, 1))
            self._progress.setValue(min(done, total))

    def _demo_built(self, summary: object) -> None:
        school = getattr(summary, "school_name", "The demo school")
        pupils = getattr(summary, "pupils", None)
        self.refresh()
        self.data_changed.emit()
        self.message.emit(
            f"{school} is ready" + (f" with {plural(pupils, 'pupil')}." if pupils else ".")
        )

    def _demo_failed(self, text: str) -> None:
        self._close_progress()
        QMessageBox.warning(self, "Demo school not created", f"{text}\n\nNothing was changed.")

    def _demo_finished(self) -> None:
        self._close_progress()
        if self._worker is not None:
            self._worker.wait()
            self._worker.deleteLater()
        self._worker = None
        self.first_start.set_busy(False)

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def demo_running(self) -> bool:
        return self._worker is not None
