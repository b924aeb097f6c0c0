"""Blank paper registers for a day when the office PC cannot be used.

One page per registration group, pupils in the order the register grid lists them (surname,
then forename), so the marks can be typed back in top to bottom. Rows are sized to fill the
page, never below a comfortable height for handwriting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.printing.base import (
    FONT,
    FONT_BOLD,
    INK,
    LINE,
    MUTED,
    RULE,
    SHADE,
    DocumentRenderer,
    Margins,
    Styles,
    TableCommand,
    derive,
    long_date,
    text,
)
from attendance_desk.register.sheet import group_choices, load_sheet
from attendance_desk.wording import plural

#: The codes a teacher most often writes on a paper register, in the order of the key.
KEY_CODES = ("/", "\\", "L", "U", "N", "I", "M", "C", "B", "V")

#: (pupil name as the grid shows it, UPN)
PupilRow = tuple[str, str]

#: Rows share what the heading and the key leave, within these bounds (a class of 32 still
#: fits one page at the minimum, which is as tall as a ruled exercise-book line).
MIN_ROW = 5.6 * mm
MAX_ROW = 10 * mm
NAME_SIZE = 11
MIN_NAME_SIZE = 7.5
HEADER_ROW = 13 * mm

ENTRY_NOTE = (
    "Type these into Attendance Desk in the same order: "
    "the register grid lists pupils in this order."
)


@dataclass(frozen=True)
class PaperRegisterData:
    """Every group's pupils for one day, each group's rows already in grid order."""

    school_name: str
    day: date
    groups: Sequence[tuple[str, Sequence[PupilRow]]]


class BlankRegisterSheet(DocumentRenderer[PaperRegisterData]):
    """One blank AM/PM register page per registration group."""

    TITLE = "Paper register"
    MARGINS = Margins(top=21, right=14, bottom=15, left=14)
    #: Column widths in mm; the pupil column takes what is left.
    NUMBER, UPN, CODE, MINUTES, NOTES = 8, 25, 15, 15, 38

    def title(self, data: PaperRegisterData) -> str:
        return f"Paper register · {long_date(data.day)}"

    def styles(self) -> Styles:
        sheet = super().styles()
        derive(sheet, "key", "small", fontSize=8, leading=9.5, textColor=INK)
        derive(sheet, "key_code", "key", fontName=FONT_BOLD)
        derive(sheet, "table_head_centre", "table_head", alignment=TA_CENTER)
        derive(sheet, "entry_note", "body", fontName=FONT_BOLD, fontSize=10)
        return sheet

    def story(self, data: PaperRegisterData) -> list[Flowable]:
        if not data.groups:
            empty = f"No registration group has pupils on roll on {long_date(data.day)}."
            return [text(empty, self.stylesheet["body"])]
        story: list[Flowable] = []
        for index, (group, pupils) in enumerate(data.groups):
            if index:
                story.append(PageBreak())
            story.extend(self._group_page(data.day, group, pupils))
        return story

    def _group_page(self, day: date, group: str, pupils: Sequence[PupilRow]) -> list[Flowable]:
        s = self.stylesheet
        width, height = self.frame_size()
        top = [
            text(f"{group} — register", s["title"]),
            text(f"{long_date(day)} · {plural(len(pupils), 'pupil')}", s["body"]),
            Spacer(0, 3 * mm),
        ]
        bottom = [
            Spacer(0, 3 * mm),
            self._taken_by(width),
            Spacer(0, 4 * mm),
            self._code_key(width),
            Spacer(0, 2.5 * mm),
            text(ENTRY_NOTE, s["entry_note"]),
        ]
        # Fill the page: whatever the heading and the key leave is shared by the rows.
        fixed = sum(f.wrap(width, height)[1] for f in top + bottom) + HEADER_ROW + 2 * mm
        row = max(MIN_ROW, min(MAX_ROW, (height - fixed) / max(len(pupils), 1)))
        return [*top, self._register_table(width, row, pupils), *bottom]

    def _register_table(self, width: float, row: float, pupils: Sequence[PupilRow]) -> Table:
        fixed = [self.NUMBER, self.UPN, self.CODE, self.MINUTES, self.CODE, self.MINUTES]
        name = width - (sum(fixed) + self.NOTES) * mm
        n, upn, am, am_late, pm, pm_late = (w * mm for w in fixed)
        widths = [n, name, upn, am, am_late, pm, pm_late, self.NOTES * mm]
        head = self.stylesheet["table_head_centre"]
        rows: list[list[object]] = [
            ["", "Pupil", "UPN", "AM", "", "PM", "", "Notes"],
            ["", "", "", *[text("Code", head), text("Mins late", head)] * 2, ""],
        ]
        rows += [
            [str(i), name_, upn_, "", "", "", "", ""] for i, (name_, upn_) in enumerate(pupils, 1)
        ]
        half = HEADER_ROW / 2
        table = Table(
            rows, colWidths=widths, rowHeights=[half, half] + [row] * len(pupils), repeatRows=2
        )
        style: list[TableCommand] = [
            # Two header rows: AM and PM each span a code and a minutes column.
            ("SPAN", (0, 0), (0, 1)),
            ("SPAN", (1, 0), (1, 1)),
            ("SPAN", (2, 0), (2, 1)),
            ("SPAN", (3, 0), (4, 0)),
            ("SPAN", (5, 0), (6, 0)),
            ("SPAN", (7, 0), (7, 1)),
            ("FONT", (0, 0), (-1, 1), FONT_BOLD, 9, 11),
            ("TEXTCOLOR", (0, 0), (-1, 1), MUTED),
            ("ALIGN", (3, 0), (6, 1), "CENTER"),
            ("BACKGROUND", (0, 0), (-1, 1), SHADE),
            ("LINEBELOW", (0, 1), (-1, 1), 1, INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            # Pupils.
            ("FONT", (0, 2), (-1, -1), FONT, NAME_SIZE, NAME_SIZE + 2),
            ("TOPPADDING", (0, 2), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 2), (-1, -1), 1),
            ("TEXTCOLOR", (0, 2), (-1, -1), INK),
            ("FONT", (0, 2), (0, -1), FONT, 8, 10),
            ("TEXTCOLOR", (0, 2), (0, -1), MUTED),
            ("ALIGN", (0, 2), (0, -1), "RIGHT"),
            ("FONT", (2, 2), (2, -1), FONT, 8, 10),
            ("TEXTCOLOR", (2, 2), (2, -1), MUTED),
            ("LINEBELOW", (0, 2), (-1, -1), 0.5, RULE),
            # Boxes to write in: the four mark columns and the notes.
            ("INNERGRID", (3, 1), (-1, -1), 0.5, RULE),
            ("LINEBELOW", (3, 0), (6, 0), 0.5, RULE),
            ("LINEBEFORE", (3, 0), (3, -1), 1, INK),
            ("LINEBEFORE", (5, 0), (5, -1), 1, INK),
            ("LINEBEFORE", (7, 0), (7, -1), 1, INK),
            ("BOX", (0, 0), (-1, -1), 1, INK),
        ]
        style += [("BACKGROUND", (0, r), (-1, r), SHADE) for r in range(3, len(rows), 2)]
        # A long name gets smaller type rather than running into the UPN.
        room = name - 12
        for r, (name_, _) in enumerate(pupils, 2):
            size = float(NAME_SIZE)
            while size > MIN_NAME_SIZE and stringWidth(name_, FONT, size) > room:
                size -= 0.5
            if size < NAME_SIZE:
                style.append(("FONTSIZE", (1, r), (1, r), size))
        table.setStyle(TableStyle(style))
        return table

    def _taken_by(self, width: float) -> Table:
        """`AM taken by ____ at ____    PM taken by ____ at ____`, with ruled blanks."""
        label, at, gap = 24 * mm, 7 * mm, 8 * mm
        blank = (width - gap - 2 * (label + at)) / 2
        name_blank, time_blank = blank * 0.68, blank * 0.32
        cells = [
            ["AM taken by", "", "at", "", "", "PM taken by", "", "at", ""],
        ]
        widths = [label, name_blank, at, time_blank, gap, label, name_blank, at, time_blank]
        table = Table(cells, colWidths=widths, rowHeights=[9 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 10.5, 13),
                    ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("ALIGN", (2, 0), (2, 0), "CENTER"),
                    ("ALIGN", (7, 0), (7, 0), "CENTER"),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                    *[("LINEBELOW", (c, 0), (c, 0), 0.75, INK) for c in (1, 3, 6, 8)],
                ]
            )
        )
        return table

    def _code_key(self, width: float) -> Table:
        """The common codes with their meanings, from `codes.BY_CODE`, in two columns."""
        s = self.stylesheet
        entries = [codes.BY_CODE[c] for c in KEY_CODES]
        half = (len(entries) + 1) // 2
        rows: list[list[object]] = []
        for i in range(half):
            row: list[object] = []
            for entry in (entries[i], entries[i + half] if i + half < len(entries) else None):
                row += (
                    [text(entry.code, s["key_code"]), text(entry.meaning, s["key"])]
                    if entry
                    else ["", ""]
                )
            rows.append(row)
        code_col = 8 * mm
        table = Table(rows, colWidths=[code_col, width / 2 - code_col] * 2, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
                    ("LINEABOVE", (0, 0), (-1, 0), 0.5, LINE),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.5, LINE),
                ]
            )
        )
        return table


def paper_register_data(session: Session, day: date, school_name: str) -> PaperRegisterData:
    """Every registration group with pupils on roll on `day`, rows in register-grid order."""
    groups: list[tuple[str, Sequence[PupilRow]]] = []
    for choice in group_choices(session):
        if choice.kind != "reg_group":
            continue
        sheet = load_sheet(session, choice, day, day)
        rows = [(r.name, r.upn) for r in sheet.rows if r.on_roll(day)]
        if rows:
            groups.append((choice.label, rows))
    return PaperRegisterData(school_name, day, groups)
