"""One field per declared setting, for the Settings tab: the widget that suits the option's
type, reading a value out of it and showing one in it, and the label with its help beneath.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLabel, QLineEdit, QSpinBox

from attendance_desk.pathway.stages import pathway_choices
from attendance_desk.school import profile as school_profile
from attendance_desk.school import settings

Field = QCheckBox | QSpinBox | QDoubleSpinBox | QLineEdit | QComboBox
LABEL_WIDTH = 380
FIELD_WIDTH = 460

#: Settings chosen from shipped presets: (key, name, description) of each choice.
CHOICES: dict[str, Callable[[], list[tuple[str, str, str]]]] = {
    settings.POLICY_PRESET.key: school_profile.preset_choices,
    settings.LETTER_PATHWAY.key: pathway_choices,
}


def field_for(option: settings.Option[Any]) -> Field:
    """The widget that suits the option: a list of presets, a checkbox, a number box within
    its limits, or a text box (hiding a password)."""
    kind = type(option.default)
    if option.key in CHOICES:
        box = QComboBox()
        for key, name, description in CHOICES[option.key]():
            box.addItem(name, key)
            box.setItemData(box.count() - 1, description, Qt.ItemDataRole.ToolTipRole)
        return box
    if kind is bool:
        return QCheckBox()
    if kind in (int, float):
        low = option.minimum if option.minimum is not None else -1_000_000_000
        high = option.maximum if option.maximum is not None else 1_000_000_000
        if kind is int:
            whole = QSpinBox()
            whole.setRange(int(low), int(high))
            return whole
        decimal = QDoubleSpinBox()
        decimal.setRange(float(low), float(high))
        return decimal
    edit = QLineEdit()
    if "password" in option.key:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def value_of(field: Field) -> Any:
    """What the field holds now, as the setting stores it."""
    if isinstance(field, QComboBox):
        return field.currentData()
    if isinstance(field, QCheckBox):
        return field.isChecked()
    if isinstance(field, QSpinBox | QDoubleSpinBox):
        return field.value()
    return field.text()


def show_value(field: Field, value: Any) -> None:
    """Put a stored value in its field."""
    if isinstance(field, QComboBox):
        index = field.findData(value)
        if index < 0:  # a stored name no longer shipped: shown, so saving keeps it visible
            field.addItem(f"{value} (not shipped with this version)", value)
            index = field.count() - 1
        field.setCurrentIndex(index)
    elif isinstance(field, QCheckBox):
        field.setChecked(bool(value))
    elif isinstance(field, QSpinBox | QDoubleSpinBox):
        field.setValue(value)
    else:
        field.setText(str(value))


def set_editable(field: Field, editable: bool) -> None:
    """Editable, or read-only and looking so (no spin arrows, a list greyed out)."""
    if isinstance(field, QLineEdit | QSpinBox | QDoubleSpinBox):
        field.setReadOnly(not editable)
        if isinstance(field, QSpinBox | QDoubleSpinBox):
            field.setButtonSymbols(
                QSpinBox.ButtonSymbols.UpDownArrows
                if editable
                else QSpinBox.ButtonSymbols.NoButtons
            )
    else:
        field.setEnabled(editable)


def label_for(title: str, help_text: str) -> QLabel:
    """The option's name with its help beneath, as rich text built from escaped words."""
    small = f"<br><small>{escape(help_text)}</small>" if help_text else ""
    label = QLabel(escape(title) + small)
    label.setTextFormat(Qt.TextFormat.RichText)  # never guessed: "Signatory's role" stays so
    label.setWordWrap(True)
    label.setMinimumWidth(LABEL_WIDTH)
    return label
