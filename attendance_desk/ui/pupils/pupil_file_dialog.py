"""A pupil's file: the chronology (filter by kind, print), case notes, and the safe-and-well
check for those allowed to open it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed, Permission, allowed
from attendance_desk.catalogues.redaction import for_viewer
from attendance_desk.models import Pupil, User
from attendance_desk.pupils.directory import PupilRow, pupil_row
from attendance_desk.roll.changes import roll_status
from attendance_desk.safeguarding.checks import CheckError
from attendance_desk.safeguarding.chronology import KINDS, chronology
from attendance_desk.safeguarding.chronology_document import ChronologyData, ChronologyDocument
from attendance_desk.safeguarding.notes import NOTE_CATEGORIES, add_note
from attendance_desk.school.setup import school_name
from attendance_desk.ui.operations.run import Done, audited, change, read_as
from attendance_desk.ui.pupils.pupil_file_header import PupilFileHeader
from attendance_desk.ui.roll.removal_dialog import RemovalDialog
from attendance_desk.ui.widgets.dialog_size import fit_to_screen
from attendance_desk.ui.widgets.pdf_output import print_pdf
from attendance_desk.uk_dates import moment_text


class PupilFileDialog(QDialog):
    """Everything about one child, newest first, as the logged-in user may see it."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        *,
        pupil_id: int,
        parent: object = None,
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._factory, self._now, self.pupil_id = factory, now, pupil_id

        def opening(session: Session, user: User, moment: datetime) -> PupilRow:
            pupil = session.get(Pupil, pupil_id)
            assert pupil is not None
            self.pupil_name, self.upn, self.born = (
                pupil.display_name,
                pupil.upn,
                pupil.date_of_birth,
            )
            self.may_see_all = allowed(user, Permission.VIEW_SAFEGUARDING)
            self.roll = roll_status(session, pupil, moment.date())
            found = pupil_row(session, pupil_id, today=moment.date())
            assert found is not None
            return for_viewer(found, user)  # CP, CIN, CLA for the DSL only

        row = read_as(factory, now, opening)
        self.header = PupilFileHeader(row, now().date())
        self.setWindowTitle(f"Pupil file: {self.pupil_name}")
        self.kind_box = QComboBox(accessibleName="Show")
        self.kind_box.addItem("Everything", "")
        for kind, label in KINDS.items():
            self.kind_box.addItem(label, kind)
        self.tree = QTreeWidget(accessibleName="Chronology")
        self.tree.setHeaderLabels(["When", "What", "Detail", "By"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column in (0, 1, 3):  # When, What and By as wide as they need; Detail the rest
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.print_button = QPushButton("&Print…")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName("New case note")
        self.note_edit.setPlaceholderText("Add a note to the file…")
        self.note_edit.setFixedHeight(60)
        self.category_box = QComboBox(accessibleName="Note category")
        for key, label in NOTE_CATEGORIES.items():
            if key != "safeguarding" or self.may_see_all:
                self.category_box.addItem(label, key)
        self.add_button = QPushButton("&Add note")
        self.message = QLabel()
        top = QHBoxLayout()
        # A leaver's record is read-only; one still on roll can be removed from here.
        read_only = " · read-only" if self.roll.read_only else ""
        self.roll_label = QLabel(f"{self.roll.text}{read_only}", accessibleName="Roll status")
        top.addWidget(self.roll_label, 1)
        self.remove_button = QPushButton("Remove from r&oll…")
        self.remove_button.setVisible(self.roll.left_on is None)
        self.remove_button.clicked.connect(self.remove_from_roll)
        top.addWidget(self.remove_button)
        top.addWidget(QLabel("Show"))
        top.addWidget(self.kind_box)
        top.addWidget(self.print_button)
        notes = QHBoxLayout()
        notes.addWidget(self.note_edit, 1)
        side = QVBoxLayout()
        side.addWidget(self.category_box)
        side.addWidget(self.add_button)
        notes.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addLayout(notes)
        layout.addWidget(self.message)
        fit_to_screen(self, 1100, 700)
        self.kind_box.currentIndexChanged.connect(self.reload)
        self.add_button.clicked.connect(self.add_note)
        self.print_button.clicked.connect(self.print_file)
        self.reload()

    def _entries(self, session: Session, viewer: User, now: datetime) -> list:
        kind = self.kind_box.currentData()
        return chronology(
            session,
            pupil_id=self.pupil_id,
            viewer=viewer,
            now=now,
            kinds={kind} if kind else None,
        )

    def reload(self) -> None:
        entries = audited(self._factory, self._now, self._entries)
        self.tree.clear()
        for entry in entries:
            item = QTreeWidgetItem([moment_text(entry.at), entry.title, entry.detail, entry.by])
            item.setToolTip(2, entry.detail)
            self.tree.addTopLevelItem(item)

    def remove_from_roll(self) -> QDialog:
        dialog = RemovalDialog(self._factory, self._now, self, pupil_id=self.pupil_id)
        dialog.show()
        return dialog

    def add_note(self) -> None:
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: add_note(
                session,
                pupil_id=self.pupil_id,
                text=self.note_edit.toPlainText(),
                category=self.category_box.currentData(),
                user=user,
                now=now,
            ),
            refusals=(CheckError, NotAllowed),
            say=self.message.setText,
        )
        if not isinstance(done, Done):
            return
        self.note_edit.clear()
        self.message.setText("Note added.")
        self.reload()

    def document(self) -> bytes:
        data = audited(
            self._factory,
            self._now,
            lambda session, user, now: ChronologyData(
                school_name=school_name(session),
                pupil_name=self.pupil_name,
                upn=self.upn,
                date_of_birth=self.born,
                entries=self._entries(session, user, now),
                printed_by=user.full_name,
                restricted=self.may_see_all,
            ),
        )
        return ChronologyDocument(printed_at=self._now()).render(data)

    def print_file(self) -> None:
        if not print_pdf(self.document(), self, f"Chronology {self.pupil_name}"):
            QMessageBox.information(self, "Not printed", "Printing was cancelled.")
