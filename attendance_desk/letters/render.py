"""Letters on the school's letterhead, as PDF: one letter, or a batch in one file.

A4 with the letterhead and the parent's address on the first page, the address placed for
a DL window envelope (20 mm from the left edge, about 50-85 mm from the top, so it shows
through whichever way the folded letter slides), fold marks at the thirds, and a short
running head on later pages. In a batch each letter starts on a new page and has its own
"Page x of y", so a printed pile splits cleanly into envelopes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from io import BytesIO
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from attendance_desk.letters.letter_parts import (
    meeting_box,
    signature,
    summary_table,
    text_blocks,
)
from attendance_desk.letters.templates import Block
from attendance_desk.pathway.periods import SummaryRow, uk_date
from attendance_desk.pathway.review import Meeting
from attendance_desk.printing.base import (
    ACCENT,
    FONT,
    FONT_BOLD,
    FRAME_PADDING,
    INK,
    LINE,
    MUTED,
    RULE,
    DocumentRenderer,
    Margins,
    NumberedCanvas,
    Styles,
    derive,
    text,
)


@dataclass(frozen=True)
class Letterhead:
    """What the top and foot of the school's paper carry (from Settings)."""

    school_name: str
    address_lines: tuple[str, ...] = ()
    contact_line: str = ""
    logo_path: str = ""
    footer: str = ""


@dataclass(frozen=True)
class LetterData:
    """One letter to one parent, every field already merged."""

    letterhead: Letterhead
    date: date
    recipient_name: str
    address_lines: tuple[str, ...]
    title: str
    blocks: tuple[Block, ...]
    pupil_name: str
    pupil_line: str
    reference: str
    summary: tuple[SummaryRow, ...] = ()
    target: float | None = None
    meeting: Meeting | None = None
    signatory_name: str = ""
    signatory_role: str = ""

    @property
    def school_name(self) -> str:
        return self.letterhead.school_name


@dataclass(frozen=True)
class LetterBatch:
    """Letters printed together, each starting on a new page."""

    school_name: str
    letters: Sequence[LetterData] = field(default_factory=tuple)


class LetterRenderer(DocumentRenderer[LetterBatch]):
    """Letters on the letterhead; `render(LetterBatch)` gives one PDF."""

    TITLE = "Letter"
    MARGINS = Margins(top=24, right=20, bottom=21, left=25)
    #: Where the first page's text starts, in mm from the top: below the address window.
    FIRST_PAGE_TOP = 91
    #: The address window: left edge and first baseline, in mm.
    ADDRESS_LEFT = 25
    ADDRESS_TOP = 55
    ADDRESS_WIDTH = 82
    ADDRESS_LINES = 7
    #: Where the date and references sit, in mm from the left.
    DETAILS_LEFT = 128
    FOLDS = (99, 198)
    #: The logo's largest side and the letterhead's rule, in mm.
    LOGO_SIZE = 20
    RULE_AT = 37

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._page_letters: list[int] = []
        self._logos: dict[str, ImageReader | None] = {}

    def styles(self) -> Styles:
        sheet = super().styles()
        derive(sheet, "body", "body", fontSize=10, leading=13.6, spaceAfter=6.5)
        derive(sheet, "subject", "body", fontName=FONT_BOLD, fontSize=10.5, spaceAfter=8)
        derive(sheet, "bullet", "body", leftIndent=6 * mm, bulletIndent=1.5 * mm, spaceAfter=2)
        derive(sheet, "cell", "table", fontSize=9.5, leading=12)
        derive(sheet, "cell_small", "small", fontSize=8, leading=10)
        derive(sheet, "cell_bold", "cell", fontName=FONT_BOLD)
        derive(sheet, "note", "small", spaceBefore=2, spaceAfter=10)
        derive(sheet, "signature_name", "body", fontName=FONT_BOLD, spaceAfter=0)
        derive(sheet, "signature_line", "body", spaceAfter=0)
        return sheet

    def title(self, data: LetterBatch) -> str:
        if len(data.letters) == 1:
            letter = data.letters[0]
            return f"{letter.reference}: {letter.pupil_name} ({letter.recipient_name})"
        return f"Letters ({len(data.letters)})"

    # -- the story ------------------------------------------------------------------------

    def story(self, data: LetterBatch) -> list[Flowable]:
        story: list[Flowable] = []
        for index, letter in enumerate(data.letters):
            if index:
                story += [NextPageTemplate(f"first{index}"), PageBreak()]
            story.append(NextPageTemplate(f"later{index}"))
            story += self.letter_story(letter)
        return story

    def letter_story(self, letter: LetterData) -> list[Flowable]:
        s = self.stylesheet
        width, _ = self.frame_size()
        story: list[Flowable] = [text(letter.title, s["subject"])]
        for block in letter.blocks:
            if block.kind == "summary" and letter.summary:
                story.append(summary_table(letter.summary, letter.target, width, s))
            elif block.kind == "meeting" and letter.meeting is not None:
                story.append(meeting_box(letter.meeting, width, s))
            elif block.kind == "signature":
                story.append(KeepTogether(signature(letter, s)))
            else:
                story += text_blocks(block, s)
        return story

    # -- pages ----------------------------------------------------------------------------

    def _frame(self, first: bool) -> Frame:
        width, height = self.PAGE
        top, right, bottom, left = self.MARGINS
        top_mm = self.FIRST_PAGE_TOP if first else top
        return Frame(
            left * mm - FRAME_PADDING,
            bottom * mm,
            width - (left + right) * mm + 2 * FRAME_PADDING,
            height - (top_mm + bottom) * mm,
        )

    def frame_size(self) -> tuple[float, float]:
        width, height = self.PAGE
        top, right, bottom, left = self.MARGINS
        return width - (left + right) * mm, height - (top + bottom) * mm - 2 * FRAME_PADDING

    def _first_page(self, canvas: Canvas, doc: BaseDocTemplate, *, index: int) -> None:
        self._page_letters.append(index)
        letter = self._letters[index]
        self.draw_letterhead(canvas, letter.letterhead)
        self.draw_address(canvas, letter)
        self.draw_details(canvas, letter)
        self.draw_folds(canvas)

    def _later_page(self, canvas: Canvas, doc: BaseDocTemplate, *, index: int) -> None:
        self._page_letters.append(index)
        letter = self._letters[index]
        width, height = self.PAGE
        left, right = self.MARGINS.left * mm, width - self.MARGINS.right * mm
        y = height - 13 * mm
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.setFont(FONT_BOLD, 9)
        canvas.drawString(left, y, letter.school_name)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 9)
        canvas.drawRightString(
            right, y, f"{letter.pupil_name} · {uk_date(letter.date)} · continued"
        )
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.5)
        canvas.line(left, y - 2.5 * mm, right, y - 2.5 * mm)
        canvas.restoreState()

    def _logo(self, path: str) -> ImageReader | None:
        if path not in self._logos:
            try:
                self._logos[path] = ImageReader(path) if path else None
            except OSError:
                self._logos[path] = None  # a missing logo must not stop the letters
        return self._logos[path]

    def draw_letterhead(self, canvas: Canvas, head: Letterhead) -> None:
        """Logo, the school's name, its address and contacts beneath, then a rule."""
        width, height = self.PAGE
        left, right = self.MARGINS.left * mm, width - self.MARGINS.right * mm
        top = height - 14 * mm
        canvas.saveState()
        text_x = left
        logo = self._logo(head.logo_path)
        if logo is not None:
            w, h = logo.getSize()
            scale = min(self.LOGO_SIZE * mm / w, self.LOGO_SIZE * mm / h)
            canvas.drawImage(logo, left, top - h * scale, w * scale, h * scale, mask="auto")
            text_x = left + w * scale + 5 * mm
        room = right - text_x
        canvas.setFillColor(ACCENT)
        canvas.setFont(FONT_BOLD, 18)
        canvas.drawString(text_x, top - 6.5 * mm, _fit(head.school_name, FONT_BOLD, 18, room))
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 9)
        y = top - 12.5 * mm
        for line in (", ".join(head.address_lines), head.contact_line):
            if line:
                canvas.drawString(text_x, y, _fit(line, FONT, 9, room))
                y -= 12
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.8)
        rule = height - self.RULE_AT * mm
        canvas.line(left, rule, right, rule)
        canvas.restoreState()

    def draw_address(self, canvas: Canvas, letter: LetterData) -> None:
        """The window-envelope block: a confidential line, the name and the address."""
        _, height = self.PAGE
        x, y = self.ADDRESS_LEFT * mm, height - self.ADDRESS_TOP * mm
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT_BOLD, 7.5)
        canvas.drawString(x, y + 6 * mm, "PRIVATE AND CONFIDENTIAL")
        canvas.setFillColor(INK)
        lines = [letter.recipient_name, *letter.address_lines][: self.ADDRESS_LINES]
        for number, line in enumerate(lines):
            canvas.setFont(FONT, 11)
            canvas.drawString(x, y - number * 13.5, _fit(line, FONT, 11, self.ADDRESS_WIDTH * mm))
        canvas.restoreState()

    def draw_details(self, canvas: Canvas, letter: LetterData) -> None:
        """Date, pupil and reference opposite the address."""
        _, height = self.PAGE
        x, y = self.DETAILS_LEFT * mm, height - self.ADDRESS_TOP * mm
        value_x = x + 16 * mm
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(FONT, 10.5)
        canvas.drawString(x, y, uk_date(letter.date))
        rows = (
            ("Pupil", letter.pupil_name),
            ("Year", letter.pupil_line),
            ("Ref", letter.reference),
        )
        for number, (label, value) in enumerate(rows, start=1):
            line_y = y - 6 * mm - number * 13
            canvas.setFillColor(MUTED)
            canvas.setFont(FONT, 8.5)
            canvas.drawString(x, line_y, label)
            canvas.setFillColor(INK)
            canvas.setFont(FONT, 10)
            canvas.drawString(value_x, line_y, _fit(value, FONT, 10, 46 * mm))
        canvas.restoreState()

    def draw_folds(self, canvas: Canvas) -> None:
        """Short ticks at the left edge where the letter folds in three for a DL envelope."""
        _, height = self.PAGE
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        for fold in self.FOLDS:
            canvas.line(4 * mm, height - fold * mm, 8 * mm, height - fold * mm)
        canvas.restoreState()

    def draw_footer(self, canvas: Canvas, page: int, count: int) -> None:
        """The school's footer line, and "Page x of y" counted within each letter."""
        index = self._page_letters[page - 1]
        own = [i for i, letter in enumerate(self._page_letters) if letter == index]
        number, total = own.index(page - 1) + 1, len(own)
        letter = self._letters[index]
        width, _ = self.PAGE
        left, right = self.MARGINS.left * mm, width - self.MARGINS.right * mm
        y = 12 * mm
        canvas.saveState()
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.5)
        canvas.line(left, y + 4 * mm, right, y + 4 * mm)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 7.5)
        if letter.letterhead.footer:
            canvas.drawString(left, y, _fit(letter.letterhead.footer, FONT, 7.5, 130 * mm))
        canvas.drawRightString(right, y, f"Page {number} of {total}")
        canvas.restoreState()

    # -- rendering ------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        """Pages in the last PDF rendered."""
        return len(self._page_letters)

    def render(self, data: LetterBatch) -> bytes:
        if not data.letters:
            raise ValueError("there are no letters to render")
        self._letters = list(data.letters)
        self._page_letters = []
        buffer = BytesIO()
        top, right, bottom, left = self.MARGINS
        doc = BaseDocTemplate(
            buffer,
            pagesize=self.PAGE,
            topMargin=top * mm,
            rightMargin=right * mm,
            bottomMargin=bottom * mm,
            leftMargin=left * mm,
            title=self.title(data),
            author=data.school_name,
            creator="Attendance Desk",
        )
        templates = []
        for index in range(len(self._letters)):
            templates += [
                PageTemplate(
                    id=f"first{index}",
                    frames=[self._frame(first=True)],
                    onPage=partial(self._first_page, index=index),
                ),
                PageTemplate(
                    id=f"later{index}",
                    frames=[self._frame(first=False)],
                    onPage=partial(self._later_page, index=index),
                ),
            ]
        doc.addPageTemplates(templates)
        doc.build(self.story(data), canvasmaker=partial(NumberedCanvas, footer=self.draw_footer))
        return buffer.getvalue()


def _fit(value: str, font: str, size: float, width: float) -> str:
    """`value`, shortened with an ellipsis if it would run past `width` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(value, font, size) <= width:
        return value
    while value and stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value.rstrip() + "…"


def render_letters(letters: Sequence[LetterData], *, printed_at: Any) -> bytes:
    """One PDF holding `letters`, each from a new page."""
    if not letters:
        raise ValueError("there are no letters to render")
    return LetterRenderer(printed_at=printed_at).render(
        LetterBatch(letters[0].school_name, tuple(letters))
    )
