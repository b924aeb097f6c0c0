"""One colour per code category, shared by every screen and the legend.

Pale tints of the Okabe-Ito palette, which stays distinguishable with the common forms of
colour blindness; the code's letters are always drawn on top, so colour is never the only
signal.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from attendance_desk.codes import BY_CODE, CATEGORY_LABELS, CODES, Category

BACKGROUND: dict[Category, QColor] = {
    Category.PRESENT: QColor("#e3f1e6"),
    Category.ATTENDING_ELSEWHERE: QColor("#d4e9f7"),
    Category.NOT_POSSIBLE_ELSEWHERE: QColor("#e4e4e4"),
    Category.AUTHORISED: QColor("#f9efbf"),
    Category.UNAVOIDABLE: QColor("#eedcea"),
    Category.UNAUTHORISED: QColor("#f6cdb8"),
    Category.ADMINISTRATIVE: QColor("#e4e4e4"),
}

#: Cells that cannot take a mark (not on roll, a future session).
UNAVAILABLE = QColor("#f2f2f2")
#: The outline drawn round edits not yet saved.
PENDING_OUTLINE = QColor("#1f5fbf")


def for_code(code: str) -> QColor | None:
    entry = BY_CODE.get(code)
    return BACKGROUND[entry.category] if entry else None


def legend() -> list[tuple[str, QColor]]:
    """(label with its codes, colour) for each category, in the order the legend shows them."""
    out = []
    for category, colour in BACKGROUND.items():
        members = " ".join(c.code for c in CODES if c.category is category)
        out.append((f"{CATEGORY_LABELS[category]}  {members}", colour))
    return out
