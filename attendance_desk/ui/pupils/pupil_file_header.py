"""The top of a pupil's file: who the child is, their flags, attendance this year and who
to phone, so the office sees them before reading the timeline."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from attendance_desk.pupils.directory import FLAG_MEANINGS, ContactRow, PupilRow
from attendance_desk.ui.pupils.pupil_details import age_on
from attendance_desk.ui.pupils.pupil_table_model import PERSISTENT_FOREGROUND, attendance_text
from attendance_desk.ui.widgets.style import MUTED, alert, heading
from attendance_desk.uk_dates import plain_date

#: Flags that mean a child must not be missed: shown as badges, the others as words.
URGENT_FLAGS = ("CP", "CIN", "CLA")


def contact_line(contact: ContactRow) -> str:
    """`1. Sarah Adams (Mother, PR) 07700 900001`, marked when they must not be contacted."""
    pr = ", PR" if contact.parental_responsibility else ""
    phones = " or ".join(p for p in (contact.phone, contact.phone_alt) if p) or "no phone"
    line = f"{contact.priority}. {contact.name} ({contact.relationship}{pr}) {phones}"
    return f"{line} — DO NOT CONTACT" if contact.do_not_contact else line


class PupilFileHeader(QWidget):
    """Name and identifiers, flags, attendance this year, and the contacts in call order."""

    def __init__(self, row: PupilRow, today: date) -> None:
        super().__init__()
        self.setObjectName("pupil_file_header")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(4)
        title = heading(row.name, scale=1.3, bold=True, name="file_name")
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts = [f"UPN {row.upn}", f"{row.year_name} ({row.reg_group})"]
        born = row.date_of_birth
        facts.append(f"born {plain_date(born)}, age {age_on(born, today)}")
        if row.legal_name != row.name:
            facts.insert(0, f"legal name {row.legal_name}")
        self.facts = QLabel(" · ".join(facts), objectName="file_facts")
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        first = QHBoxLayout()
        first.addWidget(title)
        first.addWidget(self.facts, 1)
        layout.addLayout(first)

        second = QHBoxLayout()
        second.setSpacing(6)
        self.badges: list[QLabel] = []
        flags = row.flags.split()
        for flag in [f for f in flags if f in URGENT_FLAGS] + (["VL"] if row.vulnerable else []):
            meaning = FLAG_MEANINGS.get(flag, "On the vulnerable list")
            badge = alert(QLabel(meaning))
            badge.setToolTip(flag)
            self.badges.append(badge)
            second.addWidget(badge)
        others = [FLAG_MEANINGS[f] for f in flags if f not in URGENT_FLAGS]
        if row.social_worker:
            others.append(f"social worker {row.social_worker}")
        if not others and not self.badges:
            others.append("No flags")
        self.other_flags = QLabel(" · ".join(others), objectName="file_flags")
        self.other_flags.setStyleSheet(MUTED)
        second.addWidget(self.other_flags)
        second.addStretch(1)
        self.attendance = QLabel(self._attendance(row), objectName="file_attendance")
        if row.persistent:
            self.attendance.setStyleSheet(
                f"color: {PERSISTENT_FOREGROUND.name()}; font-weight: bold;"
            )
        second.addWidget(self.attendance)
        layout.addLayout(second)

        lines = [escape(contact_line(c)) for c in row.contacts] or ["No contacts recorded"]
        self.contacts = QLabel(
            f"<span style='{MUTED}'>Contacts:</span> " + " &nbsp;·&nbsp; ".join(lines),
            objectName="file_contacts",
        )
        self.contacts.setTextFormat(Qt.TextFormat.RichText)
        self.contacts.setWordWrap(True)
        self.contacts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.contacts)

    @staticmethod
    def _attendance(row: PupilRow) -> str:
        if row.attendance_pct is None:
            return "Attendance: no sessions yet this year"
        text = f"Attendance this year {attendance_text(row.attendance_pct)}"
        if row.severe:
            return f"{text} (severe absence)"
        if row.persistent:
            return f"{text} (persistent absence)"
        return text
