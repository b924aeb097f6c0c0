"""Desk → Admit a pupil: the admission register entry, with up to two contacts.

The start date is the first day the pupil is expected; the Today list then reminds the
office to send the LA the new-pupil return within five school days.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.followup.roll_actions import NEW_PUPIL_DAYS
from attendance_desk.models import User
from attendance_desk.roll import changes as roll
from attendance_desk.roll.views import group_choices
from attendance_desk.school.setup import YEAR_GROUPS
from attendance_desk.ui.operations.run import Done, change, read
from attendance_desk.ui.widgets.date_editors import date_edit, picked_date
from attendance_desk.uk_dates import day_text

SEX_CHOICES = (("", "Not given"), ("F", "Female"), ("M", "Male"), ("U", "Not known"))


#: The usual titles; another can be typed. Blank when not known (letters then use the name).
TITLES = ("", "Mrs", "Mr", "Ms", "Miss", "Mx", "Dr")


class ContactFields:
    """Name, relationship, phone and parental responsibility for one contact."""

    def __init__(self, number: int) -> None:
        self.title = QComboBox(accessibleName=f"Contact {number} title", editable=True)
        self.title.addItems(TITLES)
        self.name = QLineEdit(accessibleName=f"Contact {number} name")
        self.relationship = QLineEdit(accessibleName=f"Contact {number} relationship")
        self.relationship.setPlaceholderText("Mother, Father, Carer…")
        self.phone = QLineEdit(accessibleName=f"Contact {number} phone")
        self.pr = QCheckBox("Parental responsibility", checked=True)
        self.box = QGroupBox(f"Contact {number}" + (" (phoned first)" if number == 1 else ""))
        form = QFormLayout(self.box)
        form.addRow("Title", self.title)
        form.addRow("Name", self.name)
        form.addRow("Relationship", self.relationship)
        form.addRow("Phone", self.phone)
        form.addRow("", self.pr)

    def contact(self) -> roll.NewContact | None:
        """None when left empty (contacts are optional)."""
        if not (self.name.text().strip() or self.relationship.text().strip()):
            return None
        return roll.NewContact(
            self.name.text(),
            self.relationship.text(),
            self.phone.text(),
            parental_responsibility=self.pr.isChecked(),
            title=self.title.currentText(),
        )


class AdmissionDialog(QDialog):
    """The form and an Admit button; the result (or the field at fault) below."""

    def __init__(
        self, factory: sessionmaker[Session], now: Callable[[], datetime], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("Admit a pupil")
        self._factory, self._now = factory, now
        self.admitted_id: int | None = None
        today = QDate(now().date())
        self.upn_edit = QLineEdit(accessibleName="UPN")
        self.surname_edit = QLineEdit(accessibleName="Legal surname")
        self.forename_edit = QLineEdit(accessibleName="Legal forename")
        self.preferred_edit = QLineEdit(accessibleName="Preferred forename")
        self.born_edit = date_edit(today.addYears(-7).toPython(), name="Date of birth")
        self.sex_box = QComboBox(accessibleName="Sex")
        for code, label in SEX_CHOICES:
            self.sex_box.addItem(label, code)
        self.year_box = QComboBox(accessibleName="Year group")
        for code, name in YEAR_GROUPS:
            self.year_box.addItem(name, code)
        self.group_box = QComboBox(accessibleName="Registration group", editable=True)
        self.groups = read(factory, group_choices)
        self.start_edit = date_edit(today.toPython(), name="Start date")
        self.address_edit = QLineEdit(accessibleName="Home address")
        self.contacts = [ContactFields(1), ContactFields(2)]
        self.admit_button = QPushButton("&Admit")
        self.admit_button.setDefault(True)
        self.status = QLabel(accessibleName="Result")
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&UPN", self.upn_edit)
        form.addRow("Legal &surname", self.surname_edit)
        form.addRow("Legal &forename", self.forename_edit)
        form.addRow("&Preferred forename", self.preferred_edit)
        form.addRow("Date of &birth", self.born_edit)
        form.addRow("Se&x", self.sex_box)
        form.addRow("&Year group", self.year_box)
        form.addRow("Re&gistration group", self.group_box)
        form.addRow("S&tart date", self.start_edit)
        form.addRow("Home a&ddress", self.address_edit)
        people = QHBoxLayout()
        for fields in self.contacts:
            people.addWidget(fields.box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.admit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(people)
        layout.addLayout(buttons)
        self.year_box.currentIndexChanged.connect(self._fill_groups)
        self.admit_button.clicked.connect(self.admit)
        self._fill_groups()

    def _fill_groups(self) -> None:
        """The groups of the chosen year; another name can be typed to create one."""
        year = self.year_box.currentData()
        self.group_box.clear()
        for group in self.groups:
            if group.year_code == year:
                self.group_box.addItem(group.name)

    def admit(self) -> None:
        contacts = [c for f in self.contacts if (c := f.contact()) is not None]

        def admit(session: Session, user: User, now: datetime) -> tuple[int, str]:
            pupil = roll.admit(
                session,
                upn=self.upn_edit.text(),
                legal_surname=self.surname_edit.text(),
                legal_forename=self.forename_edit.text(),
                preferred_forename=self.preferred_edit.text(),
                date_of_birth=self.born_edit.date().toPython(),  # type: ignore[arg-type]
                sex=self.sex_box.currentData(),
                year_group=self.year_box.currentData(),
                reg_group=self.group_box.currentText(),
                start_date=self.start_edit.date().toPython(),  # type: ignore[arg-type]
                address=self.address_edit.text(),
                contacts=contacts,
                user=user,
                now=now,
            )
            return pupil.id, pupil.display_name

        done = change(
            self,
            self._factory,
            self._now,
            admit,
            refusals=(roll.RollError, NotAllowed),
            say=self._refused,
        )
        if not isinstance(done, Done):
            return
        self.admitted_id, name = done.value
        start = picked_date(self.start_edit)
        self.status.setStyleSheet("")
        self.status.setText(
            f"{name} is on roll from {day_text(start)}. Tell the LA within {NEW_PUPIL_DAYS} "
            "school days: it is on the Today list until done."
        )
        self.admit_button.setEnabled(False)

    def _refused(self, text: str) -> None:
        self.status.setStyleSheet("color: #a4280b;")
        self.status.setText(f"Not admitted: {text}")
