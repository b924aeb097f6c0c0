"""The welcome wizard's pages (the calendar ones are in `welcome_calendar_pages`): each fills
in its part of the school's profile.

A page checks its part with the wizard's dry run (`WelcomeWizard.verify`) before Next moves
on, so every problem is said on the page where it can be put right.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWizardPage,
)

from attendance_desk.school import profile as school_profile
from attendance_desk.school.profile import PHASES
from attendance_desk.ui.school.admin_fields import AdminFields
from attendance_desk.ui.widgets.style import muted

if TYPE_CHECKING:
    from attendance_desk.ui.school.welcome_wizard import WelcomeWizard

PROBLEM = "color: #a4280b;"
WARNING = "color: #8a5a00;"


def wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class ProfilePage(QWizardPage):
    """A page with a line for what must be put right before it can move on."""

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.message = wrapped("")
        self.message.setObjectName("page_message")

    def welcome(self) -> WelcomeWizard:
        return self.wizard()  # type: ignore[return-value]

    def say(self, text: str, style: str = PROBLEM) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)


class WelcomePage(QWizardPage):
    """What the wizard asks and that nothing is kept until Finish."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Welcome to Attendance Desk")
        self.setSubTitle(
            "Five minutes to set up your school, then you can take the first register."
        )
        layout = QVBoxLayout(self)
        for text in (
            "You will be asked for:",
            "• the school's name and DfE numbers (URN, LA and establishment numbers)\n"
            "• this year's term dates: a typical England year with the bank holidays is filled "
            "in for you to check against your local authority's dates\n"
            "• when the morning and afternoon registers open and close\n"
            "• the attendance target and how absences are followed up\n"
            "• your own login: you become the administrator who adds the other staff\n"
            "• then whether to import your pupils from the MIS now",
            "Nothing is saved until you press Finish on the last page. If you close this "
            "window before then, nothing is kept and it starts again next time.",
        ):
            layout.addWidget(wrapped(text))
        keys = muted(wrapped("Keys: Enter or Alt+N for Next, Alt+B for Back, Tab between boxes."))
        layout.addStretch(1)
        layout.addWidget(keys)


class SchoolPage(ProfilePage):
    """Name, DfE numbers and phase."""

    def __init__(self) -> None:
        super().__init__("Your school", "As it appears on Get Information about Schools.")
        self.name = QLineEdit(accessibleName="School name", objectName="school_name")
        self.urn = QLineEdit(accessibleName="URN", objectName="urn", maxLength=6)
        self.la_number = QLineEdit(accessibleName="LA number", objectName="la_number", maxLength=3)
        self.estab = QLineEdit(
            accessibleName="Establishment number", objectName="estab", maxLength=4
        )
        self.urn.setPlaceholderText("6 digits, e.g. 123456")
        self.la_number.setPlaceholderText("3 digits, e.g. 330")
        self.estab.setPlaceholderText("4 digits, e.g. 2143")
        self.phase = QComboBox(accessibleName="Phase", objectName="phase")
        for key, (label, _groups) in PHASES.items():
            self.phase.addItem(label, key)
        form = QFormLayout(self)
        form.addRow("School &name", self.name)
        form.addRow("&URN", self.urn)
        form.addRow("&LA number", self.la_number)
        form.addRow("&Establishment number", self.estab)
        form.addRow("P&hase", self.phase)
        form.addRow(muted(wrapped("The three numbers can be left blank and added later.")))
        form.addRow(self.message)

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        profile = self.welcome().profile
        self.name.setText(profile.name)
        self.urn.setText(profile.urn)
        self.la_number.setText(profile.la_number)
        self.estab.setText(profile.estab_number)
        self.phase.setCurrentIndex(max(self.phase.findData(profile.phase), 0))
        self.name.setFocus()

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        wizard = self.welcome()
        wizard.profile = school_profile.with_phase(
            replace(
                wizard.profile,
                name=self.name.text().strip(),
                urn=self.urn.text().strip(),
                la_number=self.la_number.text().strip(),
                estab_number=self.estab.text().strip(),
            ),
            str(self.phase.currentData()),
        )
        return wizard.verify(self, {"school"})


class TargetPage(ProfilePage):
    """The attendance target and the follow-up policy preset, each preset in one line."""

    def __init__(self) -> None:
        super().__init__(
            "Target and follow-up",
            "Both can be changed later on the Settings tab.",
        )
        self.target = QDoubleSpinBox(accessibleName="Attendance target", objectName="target")
        self.target.setRange(50, 100)
        self.target.setDecimals(1)
        self.target.setSuffix(" %")
        self.target.setMaximumWidth(110)
        self.presets = QButtonGroup(self)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("Whole-school attendance &target", self.target)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>How absences are followed up</b> (the Today worklist's steps)"))
        for key, name, description in school_profile.preset_choices():
            button = QRadioButton(name, objectName=f"preset_{key}")
            button.setProperty("preset", key)
            self.presets.addButton(button)
            layout.addWidget(button)
            hint = muted(wrapped(description))
            hint.setContentsMargins(24, 0, 0, 6)
            layout.addWidget(hint)
        layout.addStretch(1)
        layout.addWidget(self.message)

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        profile = self.welcome().profile
        self.target.setValue(profile.attendance_target)
        for button in self.presets.buttons():
            button.setChecked(button.property("preset") == profile.policy_preset)
        self.target.setFocus()

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        wizard = self.welcome()
        chosen = self.presets.checkedButton()
        wizard.profile = replace(
            wizard.profile,
            attendance_target=round(self.target.value(), 1),
            policy_preset=str(chosen.property("preset")) if chosen else "",
        )
        return wizard.verify(self, {"target", "preset"})


class AdminPage(ProfilePage):
    """The first administrator: `AdminFields`, checked by `auth` in the dry run."""

    def __init__(self) -> None:
        super().__init__(
            "Your login",
            "You become the administrator: you add the other staff (File → Users) and choose "
            "what each may see.",
        )
        self.fields = AdminFields()
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        self.fields.full_name.setFocus()

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        if problem := self.fields.problem():
            self.say(problem)
            return False
        wizard = self.welcome()
        wizard.admin = self.fields.details()
        return wizard.verify(self, {"administrator"})


#: The choices on the last page: (key, text, what happens).
PUPIL_CHOICES = (
    (
        "import",
        "&Import our pupils from the MIS",
        "Export a CSV file of pupils from your MIS (SIMS, Arbor, Bromcom…); the import "
        "opens as soon as Attendance Desk does. Nothing is imported unless every row is right.",
    ),
    (
        "demo",
        "Start with the &demo school",
        "300 made-up pupils with twelve weeks of registers, and demo staff logins, to "
        "practise on. The term dates become typical ones reaching back twelve weeks. Best on "
        "a trial database: made-up pupils cannot be removed later.",
    ),
    (
        "later",
        "&Later",
        "Open Attendance Desk with no pupils yet; the Pupils tab offers the import when you "
        "are ready.",
    ),
)


class PupilsPage(ProfilePage):
    """Import from the MIS, the demo school, or later; Finish stores everything at once."""

    def __init__(self) -> None:
        super().__init__(
            "Your pupils",
            "Press Finish to save the school and your login together.",
        )
        self.choices = QButtonGroup(self)
        layout = QVBoxLayout(self)
        for key, text, hint in PUPIL_CHOICES:
            button = QRadioButton(text, objectName=f"pupils_{key}")
            button.setProperty("choice", key)
            self.choices.addButton(button)
            layout.addWidget(button)
            label = muted(wrapped(hint))
            label.setContentsMargins(24, 0, 0, 8)
            layout.addWidget(label)
        self.choices.buttons()[0].setChecked(True)
        self.warnings = wrapped("")
        self.warnings.setStyleSheet(WARNING)
        layout.addStretch(1)
        layout.addWidget(self.warnings)
        layout.addWidget(self.message)

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        warnings = self.welcome().warnings
        self.warnings.setText(
            "Saved as they are, with these warnings:\n" + "\n".join(warnings) if warnings else ""
        )
        if (checked := self.choices.checkedButton()) is not None:
            checked.setFocus()

    def choice(self) -> str:
        checked = self.choices.checkedButton()
        return str(checked.property("choice")) if checked is not None else ""
