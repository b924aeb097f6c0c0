"""One colour per code category, shared by every screen and the legend.

Pale tints after the Okabe-Ito palette (green, sky blue, yellow, reddish purple, vermillion
and grey), chosen so that every pair of categories stays apart under simulated protanopia,
deuteranopia and tritanopia (tests/ui/widgets/test_code_colours.py measures it). The code's letters
are always drawn on top, so colour is never the only signal; the two categories that do
not count (dual registration, administrative) share the grey on purpose.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from attendance_desk.catalogues.codes import CATEGORY_LABELS, CODES, STORED, Category

BACKGROUND: dict[Category, QColor] = {
    Category.PRESENT: QColor("#e3f1e6"),
    Category.ATTENDING_ELSEWHERE: QColor("#d4e9f7"),
    Category.NOT_POSSIBLE_ELSEWHERE: QColor("#d6d6d6"),
    Category.AUTHORISED: QColor("#f9efbf"),
    Category.UNAVOIDABLE: QColor("#e6cbe1"),
    Category.UNAUTHORISED: QColor("#f6cdb8"),
    Category.ADMINISTRATIVE: QColor("#d6d6d6"),
}

#: Cells that cannot take a mark (not on roll, a future session).
UNAVAILABLE = QColor("#f2f2f2")
#: The outline drawn round edits not yet saved.
PENDING_OUTLINE = QColor("#1f5fbf")


def for_code(code: str) -> QColor | None:
    entry = STORED.get(code)
    return BACKGROUND[entry.category] if entry else None


#: Short names for the legend, which must fit a 1366-pixel office screen.
SHORT_LABELS: dict[Category, str] = {
    Category.PRESENT: "Present",
    Category.ATTENDING_ELSEWHERE: "Off-site, counts",
    Category.NOT_POSSIBLE_ELSEWHERE: "Dual registered",
    Category.AUTHORISED: "Authorised",
    Category.UNAVOIDABLE: "Unavoidable",
    Category.UNAUTHORISED: "Unauthorised",
    Category.ADMINISTRATIVE: "Not counted",
}


def legend() -> list[tuple[str, str, QColor]]:
    """(short label with its codes, full category name, colour) for each category."""
    out = []
    for category, colour in BACKGROUND.items():
        members = " ".join(c.code for c in CODES if c.category is category)
        out.append((f"{SHORT_LABELS[category]}  {members}", CATEGORY_LABELS[category], colour))
    return out
