"""Who is on site: sign pupils out and back in, and print the fire-drill list in one click.

The tree, the printed list and `attendance-desk on-site` all come from `onsite.fire_list`:
groups whose register is not taken yet are named in red above the tree, and their unmarked
pupils are listed, "register not taken".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.desk import onsite
from attendance_desk.models import Pupil, User
from attendance_desk.printing.evacuation import EvacuationList, evacuation_data
from attendance_desk.printing.register_sheet import BlankRegisterSheet, paper_register_data
from attendance_desk.register.errors import RegisterError
from attendance_desk.school.setup import school_name
from attendance_desk.ui.operations.changes import Change
from attendance_desk.ui.operations.run import Done, change, read
from attendance_desk.ui.widgets.pdf_output import print_pdf, save_pdf
from attendance_desk.ui.widgets.pupil_picker import connect_picker
from attendance_desk.wording import plural

WARNING = QColor("#a4280b")


class OnSiteDialog(QDialog):
    """On-site tree, sign-out form, who is out, and the print buttons."""

    def __init__(
        self, factory: sessionmaker[Session], now: Callable[[], datetime], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("On site now")
        self._factory = factory
        self._now = now
        self.summary = QLabel()
        self.summary.setObjectName("on_site_summary")
        self.summary.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.warning = QLabel(accessibleName="Registers not taken")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {WARNING.name()}; font-weight: bold;")
        self.tree = QTreeWidget(accessibleName="Pupils on site by group")
        self.tree.setHeaderLabels(["Pupil", "Note"])
        self.tree.setColumnWidth(0, 260)
        self.print_button = QPushButton("&Print evacuation list")
        self.save_button = QPushButton("Save evacuation list as PDF…")
        self.sheets_button = QPushButton("Print blank &registers for today")
        self.name_edit = QLineEdit(placeholderText="Type a name")
        self.name_edit.setAccessibleName("Pupil leaving")
        self.pupil_box = QComboBox(accessibleName="Matching pupil")
        self.reason_edit = QLineEdit(placeholderText="dentist, unwell, family emergency…")
        self.reason_edit.setAccessibleName("Why they are leaving")
        self.collected_edit = QLineEdit(placeholderText="who collected them")
        self.collected_edit.setAccessibleName("Collected by")
        self.out_button = QPushButton("Sign &out")
        self.out_list = QListWidget(accessibleName="Signed out now")
        self.back_button = QPushButton("Signed &back in")
        self.message = QLabel()
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Pupil", self.name_edit)
        form.addRow("", self.pupil_box)
        form.addRow("Reason", self.reason_edit)
        form.addRow("Collected by", self.collected_edit)
        form.addRow("", self.out_button)
        out_box = QGroupBox("Signing out")
        out_layout = QVBoxLayout(out_box)
        out_layout.addLayout(form)
        out_layout.addWidget(QLabel("Out now:"))
        out_layout.addWidget(self.out_list)
        out_layout.addWidget(self.back_button)
        left = QVBoxLayout()
        left.addWidget(self.summary)
        left.addWidget(self.warning)
        left.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.sheets_button)
        left.addLayout(buttons)
        body = QHBoxLayout(self)
        body.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(out_box)
        right.addWidget(self.message)
        body.addLayout(right, 2)
        for button in (self.print_button, self.save_button, self.sheets_button, self.back_button):
            button.setAutoDefault(False)  # Enter in the form signs out; it never prints
        self.out_button.setDefault(True)
        self.resize(1000, 600)

        connect_picker(self.name_edit, self.pupil_box, factory, now)
        self.out_button.clicked.connect(self.sign_out)
        self.back_button.clicked.connect(self.sign_back_in)
        self.print_button.clicked.connect(lambda: self._output(print_pdf))
        self.save_button.clicked.connect(lambda: self._output(self._save))
        self.sheets_button.clicked.connect(self.print_sheets)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=lambda: self._output(print_pdf))
        self.reload()

    def reload(self) -> None:
        now = self._now()
        fire = read(self._factory, lambda session: onsite.fire_list(session, now))
        self.tree.clear()
        groups = [g for g in fire.groups if g.on_site]
        for group in groups:
            title = f"{group.group} — {len(group.on_site)} on site"
            parent = QTreeWidgetItem([title + ("" if group.taken else " · register not taken")])
            self.tree.addTopLevelItem(parent)
            for pupil in group.on_site:
                note = pupil.note
                if pupil.status == onsite.NOT_TAKEN:
                    note = f"{onsite.NOT_TAKEN} · {note}" if note else onsite.NOT_TAKEN
                child = QTreeWidgetItem([pupil.name, note])
                child.setData(0, Qt.ItemDataRole.UserRole, pupil)
                if pupil.status == onsite.NOT_TAKEN:
                    child.setForeground(1, QBrush(WARNING))
                parent.addChild(child)
            parent.setExpanded(True)
        self.summary.setText(
            f"On site at {now:%H:%M}: {plural(fire.total, 'pupil')} "
            f"in {plural(len(groups), 'group')}"
        )
        self.warning.setText(onsite.not_taken_warning(fire.not_taken) if fire.not_taken else "")
        self.warning.setVisible(bool(fire.not_taken))
        self.out_list.clear()
        for pupil, group_name in fire.signed_out:
            item = QListWidgetItem(f"{pupil.name} ({group_name}) — {pupil.note}")
            item.setData(Qt.ItemDataRole.UserRole, pupil.pupil_id)
            self.out_list.addItem(item)

    def sign_out(self) -> None:
        pupil_id = self.pupil_box.currentData()
        if pupil_id is None:
            self._say("Choose the pupil who is leaving.", error=True)
            return

        def sign_out(session: Session, user: User, now: datetime) -> str:
            onsite.sign_out(
                session,
                pupil_id=pupil_id,
                reason=self.reason_edit.text(),
                collected_by=self.collected_edit.text(),
                user=user,
                now=now,
            )
            return session.get(Pupil, pupil_id).display_name  # type: ignore[union-attr]

        done = change(
            self,
            self._factory,
            self._now,
            sign_out,
            refusals=(RegisterError,),
            changes=[Change.SIGN_OUTS],
            say=lambda text: self._say(text, error=True),
        )
        if not isinstance(done, Done):
            return
        for edit in (self.name_edit, self.reason_edit, self.collected_edit):
            edit.clear()
        self._say(f"{done.value} signed out at {self._now():%H:%M}.")
        self.reload()

    def sign_back_in(self) -> None:
        item = self.out_list.currentItem()
        if item is None:
            self._say("Select who has come back.", error=True)
            return
        pupil_id = item.data(Qt.ItemDataRole.UserRole)
        change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: onsite.sign_back_in(
                session, pupil_id=pupil_id, user=user, now=now
            ),
            refusals=(),
            changes=[Change.SIGN_OUTS],
        )
        self._say("Signed back in.")
        self.reload()

    def evacuation_pdf(self) -> bytes:
        now = self._now()
        return read(
            self._factory,
            lambda session: EvacuationList(printed_at=now).render(
                evacuation_data(session, now, school_name(session))
            ),
        )

    def _output(self, how: Callable[[bytes, QDialog, str], object]) -> None:
        how(self.evacuation_pdf(), self, "Evacuation list")

    def _save(self, pdf: bytes, parent: QDialog, title: str) -> None:
        path = save_pdf(pdf, parent, f"evacuation-{self._now():%Y%m%d-%H%M}.pdf")
        if path:
            self._say(f"{title} saved to {path}")

    def print_sheets(self) -> None:
        now = self._now()
        pdf = read(
            self._factory,
            lambda session: BlankRegisterSheet(printed_at=now).render(
                paper_register_data(session, now.date(), school_name(session))
            ),
        )
        print_pdf(pdf, self, "Blank registers")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #a4280b;" if error else "color: #1d6b2f;")
