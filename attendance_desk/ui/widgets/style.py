"""The few looks shared by the window's widgets: headings, muted text, alert badges."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from attendance_desk import resources

#: Secondary text: readable grey (7:1 contrast on white), never the only signal.
MUTED_COLOUR = "#545b62"
MUTED = f"color: {MUTED_COLOUR};"
#: A soft red badge for what must not be missed: vulnerable list, do not contact.
ALERT = (
    "background: #fbe3df; color: #8c1d12; border: 1px solid #e7b3ab; border-radius: 4px;"
    " padding: 3px 8px; font-weight: bold;"
)


def heading(text: str, *, scale: float, bold: bool = False, name: str = "") -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    label.setFont(font)
    if name:
        label.setObjectName(name)
    return label


def muted(label: QLabel) -> QLabel:
    label.setStyleSheet(MUTED)
    return label


def alert(label: QLabel) -> QLabel:
    """Style `label` as a badge only as wide as its text, on one line."""
    label.setWordWrap(False)
    label.setStyleSheet(ALERT)
    label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return label


def centred_column(parent: QWidget, width: int) -> QVBoxLayout:
    """A column `width` pixels wide in the middle of `parent`; add widgets to what it returns.

    Wrapped labels placed with an alignment flag get the wrong height, so the column is a
    fixed-width widget between stretches, and its labels simply fill it.
    """
    column = QWidget(parent)
    column.setFixedWidth(width)
    inner = QVBoxLayout(column)
    inner.setContentsMargins(0, 0, 0, 0)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(column)
    row.addStretch(1)
    outer = QVBoxLayout(parent)
    outer.addStretch(2)
    outer.addLayout(row)
    outer.addStretch(3)
    return inner


def tab_icon(name: str) -> QIcon:
    """A tab's line icon, drawn from SVG so it stays sharp at any screen scaling."""
    return QIcon(str(resources.ROOT / "icons" / "tabs" / f"{name}.svg"))
