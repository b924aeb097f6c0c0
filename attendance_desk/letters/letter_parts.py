"""The flowables a letter's body is made of: paragraphs, bullets, the attendance table, the
meeting box and the signature block."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from attendance_desk.letters.templates import Block
from attendance_desk.pathway.periods import (
    SummaryRow,
    pct_text,
    target_text,
    uk_long_date,
    uk_time,
)
from attendance_desk.pathway.review import Meeting
from attendance_desk.printing.base import INK, LINE, RULE, SHADE, Styles, text

if TYPE_CHECKING:
    from attendance_desk.letters.render import LetterData


def text_blocks(block: Block, s: Styles) -> list[Flowable]:
    """A paragraph or bullet points; their text is already markup (escaped, with <b>)."""
    if block.kind == "bullets":
        return [Paragraph(line, s["bullet"], bulletText="•") for line in block.lines]
    return [Paragraph(line, s["body"]) for line in block.lines]


def _right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_right", parent=style, alignment=TA_RIGHT)


def summary_table(
    rows: Sequence[SummaryRow], target: float | None, width: float, s: Styles
) -> Flowable:
    """Sessions possible, attended, missed and unauthorised, and attendance, per period."""
    head, cell, bold = _right(s["table_head"]), _right(s["cell"]), _right(s["cell_bold"])
    numbers = [w * mm for w in (22, 20, 18, 25, 22)]
    widths = [width - sum(numbers), *numbers]
    data: list[list[object]] = [
        [
            text("Period", s["table_head"]),
            *(
                text(t, head)
                for t in ("Possible sessions", "Attended", "Missed", "Unauthorised", "Attendance")
            ),
        ]
    ]
    for row in rows:
        f = row.figures
        dates = f"{row.start.day} {row.start:%b} to {row.end.day} {row.end:%b %Y}"
        data.append(
            [
                [text(row.label, s["cell"]), text(dates, s["cell_small"])],
                text(str(f.possible), cell),
                text(str(f.present + f.attending_elsewhere), cell),
                text(str(row.missed), cell),
                text(str(f.unauthorised), cell),
                text(pct_text(f.attendance_pct, target), bold),
            ]
        )
    table = Table(data, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, RULE),
                ("LINEBELOW", (0, 1), (-1, -1), 0.5, LINE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (0, -1), 5),
            ]
        )
    )
    note = "A session is a morning or an afternoon in school."
    if target is not None:
        note += f" The school's attendance target is {target_text(target)}."
    return KeepTogether([Spacer(0, 2.5 * mm), table, text(note, s["note"])])


def meeting_box(meeting: Meeting, width: float, s: Styles) -> Flowable:
    """The meeting's date, time and place in a quiet shaded box."""
    rows = [
        [text("Date", s["table_head"]), text(uk_long_date(meeting.at.date()), s["cell_bold"])],
        [text("Time", s["table_head"]), text(uk_time(meeting.at), s["cell_bold"])],
        [
            text("Place", s["table_head"]),
            text(meeting.place[:1].upper() + meeting.place[1:], s["cell_bold"]),
        ],
    ]
    table = Table(rows, colWidths=[22 * mm, width * 0.66 - 22 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LINEBEFORE", (0, 0), (0, -1), 2, INK),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (0, -1), 8),
            ]
        )
    )
    return KeepTogether([table, Spacer(0, 3 * mm)])


def signature(letter: LetterData, s: Styles) -> list[Flowable]:
    """`Yours sincerely,`, room to sign, then the name, role and school."""
    parts: list[Flowable] = [
        Spacer(0, 1 * mm),
        text("Yours sincerely,", s["signature_line"]),
        Spacer(0, 13 * mm),
    ]
    if letter.signatory_name:
        parts.append(text(letter.signatory_name, s["signature_name"]))
    if letter.signatory_role:
        parts.append(text(letter.signatory_role, s["signature_line"]))
    parts.append(text(letter.school_name, s["signature_line"]))
    return parts
