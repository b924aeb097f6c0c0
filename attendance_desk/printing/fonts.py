"""The typeface of every printed document: DejaVu Sans Condensed, in resources/fonts.

ReportLab's built-in Helvetica covers Latin-1 only, so names such as Wróbel print but Łukasz
or Dvořák would come out as black boxes. DejaVu Sans covers the alphabets of the families a
school writes to (the condensed cut sets about as wide as Helvetica, so layouts hold); it is
embedded in each PDF, so printing needs nothing installed. Reading the four faces takes a
moment, so they are registered when the first document is made, not when the app starts.
"""

from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from attendance_desk.resources import ROOT

REGULAR, BOLD, ITALIC, BOLD_ITALIC = (
    "DejaVuSans",
    "DejaVuSans-Bold",
    "DejaVuSans-Oblique",
    "DejaVuSans-BoldOblique",
)
_FILES = {
    REGULAR: "DejaVuSansCondensed.ttf",
    BOLD: "DejaVuSansCondensed-Bold.ttf",
    ITALIC: "DejaVuSansCondensed-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSansCondensed-BoldOblique.ttf",
}


def register() -> None:
    """Register the four faces once (later calls do nothing) and map <b> and <i> to them."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(ROOT / "fonts" / file)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)
