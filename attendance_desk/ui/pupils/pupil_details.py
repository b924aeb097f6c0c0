"""The panel beside the pupil list: who the pupil is and who to phone, in priority order."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from attendance_desk.pupils.directory import FLAG_MEANINGS, ContactRow, PupilRow
from attendance_desk.ui.pupils.pupil_table_model import PERSISTENT_FOREGROUND, attendance_text
from attendance_desk.ui.widgets.style import MUTED, alert, heading, muted

CARD_STYLE = (
    "QFrame#contact_card { background: palette(base); border: 1px solid palette(mid);"
    " border-radius: 6px; }"
    ' QFrame#contact_card[doNotContact="true"] { border: 2px solid #c4574a; }'
)


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _text(text: str, name: str, *, rich: bool = False) -> QLabel:
    """A wrapped label whose text can be selected and copied (phone numbers, UPNs)."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class PupilDetails(QScrollArea):
    """Name, identifiers, flags and contacts for one pupil; a hint when none is selected."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("pupil_details")
        self.setAccessibleName("Pupil details")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(340)
        self.contact_labels: list[QLabel] = []
        self.clear()

    def clear(self) -> None:
        """Show the hint that says what selecting a pupil does."""
        layout = self._new_page()
        hint = muted(_text("Select a pupil to see their details and contacts.", "details_hint"))
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(hint)
        layout.addStretch(2)

    def show_pupil(self, row: PupilRow, today: date) -> None:
        layout = self._new_page()
        name = heading(row.name, scale=1.45, bold=True, name="details_name")
        name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(name)
        if row.legal_name != row.name:
            layout.addWidget(muted(_text(f"Legal name: {row.legal_name}", "details_legal_name")))
        if row.vulnerable:
            layout.addWidget(alert(_text("On the vulnerable list", "details_vulnerable")))
        layout.addSpacing(4)
        layout.addLayout(self._facts(row, today))
        layout.addSpacing(10)
        layout.addWidget(heading("Contacts, in the order to call", scale=1.1, bold=True))
        if not row.contacts:
            layout.addWidget(alert(_text("No contacts recorded", "details_no_contacts")))
        for contact in row.contacts:
            layout.addWidget(self._card(contact))
        layout.addStretch(1)

    def _new_page(self) -> QVBoxLayout:
        """A fresh page for the scroll area; `setWidget` deletes the previous one."""
        self.contact_labels = []
        page = QWidget()
        page.setObjectName("details_page")
        page.setStyleSheet(CARD_STYLE)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 10, 12, 12)
        layout.setSpacing(8)
        self.setWidget(page)
        return layout

    # --- the facts ---------------------------------------------------------------------
    def _facts(self, row: PupilRow, today: date) -> QFormLayout:
        born = row.date_of_birth
        attendance = _text(self._attendance(row), "details_attendance")
        if row.persistent:
            attendance.setStyleSheet(f"color: {PERSISTENT_FOREGROUND.name()}; font-weight: bold;")
        facts = [
            ("UPN", _text(row.upn, "details_upn")),
            ("Born", _text(f"{born.day} {born:%B %Y}, age {age_on(born, today)}", "details_dob")),
            ("Year and group", _text(f"{row.year_name}, {row.reg_group}", "details_group")),
            ("Attendance", attendance),
            ("Flags", _text(self._flags(row), "details_flags")),
        ]
        if row.social_worker:
            facts.append(("Social worker", _text(row.social_worker, "details_social_worker")))
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(5)
        for caption, value in facts:
            caption_label = muted(QLabel(caption))
            caption_label.setBuddy(value)
            value.setAccessibleName(caption)
            form.addRow(caption_label, value)
        return form

    @staticmethod
    def _attendance(row: PupilRow) -> str:
        if row.attendance_pct is None:
            return "No sessions recorded yet this year"
        text = f"{attendance_text(row.attendance_pct)} this year"
        if row.severe:
            return f"{text}: severe absence"
        if row.persistent:
            return f"{text}: persistent absence"
        return text

    @staticmethod
    def _flags(row: PupilRow) -> str:
        flags = [f"{flag}: {FLAG_MEANINGS[flag].lower()}" for flag in row.flags.split()]
        return "\n".join(flags) or "None"

    # --- the contacts ------------------------------------------------------------------
    def _card(self, contact: ContactRow) -> QFrame:
        card = QFrame()
        card.setObjectName("contact_card")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        if contact.do_not_contact:
            card.setProperty("doNotContact", True)
            layout.addWidget(alert(_text("Do not contact", "contact_do_not_contact")))
        text = _text(self._contact_html(contact), "contact_text", rich=True)
        text.setAccessibleName(contact_words(contact))
        layout.addWidget(text)
        self.contact_labels.append(text)
        return card

    @staticmethod
    def _contact_html(contact: ContactRow) -> str:
        responsibility = (
            "Parental responsibility"
            if contact.parental_responsibility
            else "No parental responsibility"
        )
        lines = [
            f"<b>{contact.priority}.&nbsp; {escape(contact.name)}</b>&nbsp; "
            f"<span style='{MUTED}'>{escape(contact.relationship)}</span>",
            f"<span style='{MUTED}'>{responsibility}</span>",
        ]
        phones = [p for p in (contact.phone, contact.phone_alt) if p]
        lines.append("Phone " + escape(" or ".join(phones)) if phones else "No phone number")
        if contact.email:
            lines.append("Email " + escape(contact.email))
        if contact.notes:
            lines.append(f"<i>{escape(contact.notes)}</i>")
        return "<br>".join(lines)


def contact_words(contact: ContactRow) -> str:
    """A contact card as one sentence, for screen readers."""
    parts = [
        f"Priority {contact.priority}: {contact.name}, {contact.relationship}",
        "parental responsibility"
        if contact.parental_responsibility
        else "no parental responsibility",
        *(p for p in (contact.phone, contact.phone_alt, contact.email) if p),
    ]
    if contact.do_not_contact:
        parts.insert(0, "Do not contact")
    return ", ".join(parts)
