"""What every printed document shares: page, margins, one stylesheet, header and footer.

Shaped like pretix's invoice renderer: a subclass sets its page size and margins (in mm) as
class attributes, extends the named stylesheet and returns its story; `render()` turns a plain
data object into PDF bytes. The footer's "Page x of y" needs the page count, which is only
known at the end, so `NumberedCanvas` holds every page back and stamps the footers on save.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from io import BytesIO
from typing import Any, ClassVar, Generic, NamedTuple, Protocol, TypeVar
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from attendance_desk.printing import fonts
from attendance_desk.uk_dates import full_day

FONT = fonts.REGULAR
FONT_BOLD = fonts.BOLD
FONT_ITALIC = fonts.ITALIC

#: A calm palette that photocopies well: near-black text, slate greys, one muted navy.
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#9aa5b1")
LINE = colors.HexColor("#cbd2d9")
SHADE = colors.HexColor("#f0f4f8")
ACCENT = colors.HexColor("#243b53")
ACCENT_TINT = colors.HexColor("#d9e2ec")

#: SimpleDocTemplate's frame keeps 6 pt of padding inside the margins on every side.
FRAME_PADDING = 6


class Margins(NamedTuple):
    """Page margins in millimetres."""

    top: float
    right: float
    bottom: float
    left: float


class SchoolDocument(Protocol):
    """The one thing every document's data carries: whose letterhead it goes on."""

    @property
    def school_name(self) -> str: ...


DataT = TypeVar("DataT", bound=SchoolDocument)
FooterDrawer = Callable[[Canvas, int, int], None]
#: The named stylesheet: "title", "heading", "body", "small", "table", "table_head" and more.
Styles = dict[str, ParagraphStyle]
#: One `TableStyle` command, e.g. ("LINEBELOW", (0, 0), (-1, 0), 1, RULE).
TableCommand = tuple[Any, ...]


class NumberedCanvas(Canvas):
    """A canvas that keeps each finished page until `save()`, when the total is known."""

    def __init__(self, *args: Any, footer: FooterDrawer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._held_pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # ReportLab's own page reset

    def save(self) -> None:
        count = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._footer(self, number, count)
            Canvas.showPage(self)
        Canvas.save(self)


def derive(styles: Styles, name: str, parent: str, **changes: Any) -> None:
    """Add style `name` to the sheet: `parent` with `changes` (font size, leading…)."""
    styles[name] = ParagraphStyle(name, parent=styles[parent], **changes)


def text(value: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (names like "Smith & Jones" are escaped, not markup)."""
    return Paragraph(escape(value), style)


def long_date(day: date) -> str:
    """`Monday 8 September 2025`, the way the office writes a date."""
    return full_day(day)


def clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


class DocumentRenderer(ABC, Generic[DataT]):
    """Base for one kind of printed document; subclasses supply `story()`.

    `printed_at` is the clock's time (injected, never read here) for the footer.
    """

    PAGE: ClassVar[tuple[float, float]] = A4
    MARGINS: ClassVar[Margins] = Margins(top=24, right=16, bottom=18, left=16)
    TITLE: ClassVar[str] = "Document"
    #: Where the header's baseline sits, in mm below the top edge of the page.
    HEADER_BASELINE: ClassVar[float] = 12
    #: Where the footer's baseline sits, in mm above the bottom edge of the page.
    FOOTER_BASELINE: ClassVar[float] = 9
    HEADER_SIZE: ClassVar[float] = 10
    FOOTER_SIZE: ClassVar[float] = 8

    def __init__(self, *, printed_at: datetime) -> None:
        fonts.register()  # once, before anything is measured or drawn in them
        self.printed_at = printed_at
        self.stylesheet = self.styles()

    # -- what a subclass fills in ----------------------------------------------------------

    @abstractmethod
    def story(self, data: DataT) -> list[Flowable]:
        """The flowables that make up the document body."""

    def title(self, data: DataT) -> str:
        """The document's title, in the header and the PDF's properties."""
        return self.TITLE

    def header_title(self, data: DataT) -> str:
        """What the header says on the right; the title unless a document wants less."""
        return self.title(data)

    def styles(self) -> Styles:
        """The named stylesheet; subclasses add to `super().styles()`."""
        styles = [
            ParagraphStyle("title", fontName=FONT_BOLD, fontSize=18, leading=22, textColor=INK),
            ParagraphStyle(
                "heading",
                fontName=FONT_BOLD,
                fontSize=13,
                leading=16,
                textColor=ACCENT,
                spaceBefore=4 * mm,
                spaceAfter=2 * mm,
            ),
            ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14, textColor=INK),
            ParagraphStyle("small", fontName=FONT, fontSize=8.5, leading=11, textColor=MUTED),
            ParagraphStyle("table", fontName=FONT, fontSize=10, leading=12.5, textColor=INK),
            ParagraphStyle(
                "table_head", fontName=FONT_BOLD, fontSize=8.5, leading=10.5, textColor=MUTED
            ),
        ]
        return {style.name: style for style in styles}

    # -- page callbacks ---------------------------------------------------------------------

    def draw_header(self, canvas: Canvas, doc: SimpleDocTemplate, data: DataT) -> None:
        """School name left, document title right, a hairline under both (every page).

        Letters override this to draw the full letterhead on the first page.
        """
        width, height = self.PAGE
        left, right = self.MARGINS.left * mm, width - self.MARGINS.right * mm
        y = height - self.HEADER_BASELINE * mm
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.setFont(FONT_BOLD, self.HEADER_SIZE)
        canvas.drawString(left, y, data.school_name)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, self.HEADER_SIZE)
        canvas.drawRightString(right, y, self.header_title(data))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, y - 2.5 * mm, right, y - 2.5 * mm)
        canvas.restoreState()

    def printed(self) -> str:
        return f"Printed {self.printed_at.day} {self.printed_at:%b %Y %H:%M}"

    def footer_text(self, page: int, count: int) -> str:
        return f"{self.printed()} · Page {page} of {count}"

    def draw_footer(self, canvas: Canvas, page: int, count: int) -> None:
        """Drawn once the page count is known (see `NumberedCanvas`)."""
        width, _ = self.PAGE
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, self.FOOTER_SIZE)
        canvas.drawRightString(
            width - self.MARGINS.right * mm,
            self.FOOTER_BASELINE * mm,
            self.footer_text(page, count),
        )
        canvas.restoreState()

    # -- rendering --------------------------------------------------------------------------

    def frame_size(self) -> tuple[float, float]:
        """The width and height (points) the story flows into, inside the frame's padding."""
        width, height = self.PAGE
        top, right, bottom, left = self.MARGINS
        pad = 2 * FRAME_PADDING
        return width - (left + right) * mm - pad, height - (top + bottom) * mm - pad

    def render(self, data: DataT) -> bytes:
        """The document as PDF bytes."""
        buffer = BytesIO()
        top, right, bottom, left = self.MARGINS
        doc = SimpleDocTemplate(
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

        def on_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
            self.draw_header(canvas, doc, data)

        doc.build(
            self.story(data),
            onFirstPage=on_page,
            onLaterPages=on_page,
            canvasmaker=partial(NumberedCanvas, footer=self.draw_footer),
        )
        return buffer.getvalue()
