"""The slip a pupil signed in late carries to class: who, when, and how late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.pagesizes import A6, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from attendance_desk.catalogues import codes
from attendance_desk.printing.base import (
    FONT_BOLD,
    LINE,
    DocumentRenderer,
    Margins,
    Styles,
    clock,
    derive,
    long_date,
    text,
)
from attendance_desk.wording import plural


@dataclass(frozen=True)
class LateSlipData:
    """One late arrival as the desk recorded it."""

    school_name: str
    pupil_name: str
    group: str
    arrived_at: datetime
    code: str
    minutes_late: int
    reason: str | None
    signed_in_by: str


def mark_line(code: str, minutes_late: int) -> str:
    """`L — 12 minutes late`, `U — arrived after the register closed (35 minutes)`."""
    minutes = plural(minutes_late, "minute")
    if code == codes.LATE:
        return f"{code} — {minutes} late"
    meaning = codes.BY_CODE[code].meaning
    return f"{code} — {meaning[0].lower()}{meaning[1:]} ({minutes})"


class LateSlip(DocumentRenderer[LateSlipData]):
    """An A6 slip, landscape, for one pupil signed in late."""

    TITLE = "Late arrival"
    PAGE = landscape(A6)
    MARGINS = Margins(top=19, right=9, bottom=12, left=9)
    HEADER_BASELINE = 10
    FOOTER_BASELINE = 6
    HEADER_SIZE = 9.5
    FOOTER_SIZE = 7

    def styles(self) -> Styles:
        sheet = super().styles()
        derive(sheet, "pupil", "title", fontSize=20, leading=24)
        derive(sheet, "lead", "body", fontSize=11, spaceBefore=1)
        derive(sheet, "label", "small", fontSize=9, leading=12)
        derive(sheet, "value", "body", fontSize=12, leading=15)
        derive(sheet, "strong", "value", fontName=FONT_BOLD)
        return sheet

    def story(self, data: LateSlipData) -> list[Flowable]:
        s = self.stylesheet
        width, _ = self.frame_size()
        details = [
            ("Arrived", data.arrived_at.strftime("%H:%M"), s["strong"]),
            ("Mark", mark_line(data.code, data.minutes_late), s["strong"]),
        ]
        if data.reason and data.reason.strip():
            details.append(("Reason", data.reason.strip(), s["value"]))
        details.append(("Signed in by", data.signed_in_by, s["value"]))
        rows = [[text(label, s["label"]), text(value, style)] for label, value, style in details]
        label_width = 26 * mm
        table = Table(rows, colWidths=[label_width, width - label_width], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    # Sits the smaller label on the value's first line.
                    ("TOPPADDING", (0, 0), (0, -1), 4),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                    ("TOPPADDING", (1, 0), (1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.5, LINE),
                ]
            )
        )
        return [
            text(data.pupil_name, s["pupil"]),
            text(f"{data.group} · {long_date(data.arrived_at.date())}", s["lead"]),
            Spacer(0, 3 * mm),
            table,
        ]

    def header_title(self, data: LateSlipData) -> str:
        return f"{self.TITLE} · {clock(data.arrived_at)}"

    def footer_text(self, page: int, count: int) -> str:
        # A slip is one page: a page count would only be noise.
        return self.printed()
