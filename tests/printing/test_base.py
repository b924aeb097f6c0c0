"""The shared document shape: header on every page, "Page x of y" once the count is known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.platypus import Flowable, PageBreak

from attendance_desk.printing.base import DocumentRenderer, long_date, text
from attendance_desk.wording import plural
from tests.printing.pdftext import page_sizes_mm, pages

PRINTED = datetime(2025, 9, 8, 10, 32)


@dataclass(frozen=True)
class Notice:
    school_name: str
    paragraphs: list[str]


class NoticeRenderer(DocumentRenderer[Notice]):
    TITLE = "Notice"

    def story(self, data: Notice) -> list[Flowable]:
        story: list[Flowable] = []
        for i, para in enumerate(data.paragraphs):
            if i:
                story.append(PageBreak())
            story.append(text(para, self.stylesheet["body"]))
        return story


def test_every_page_has_school_title_and_page_x_of_y() -> None:
    """Each page carries the school, the title and "Printed … · Page n of 3"."""
    pdf = NoticeRenderer(printed_at=PRINTED).render(
        Notice("Hillside Primary", ["one", "two", "three"])
    )
    texts = pages(pdf)
    assert len(texts) == 3
    for number, page in enumerate(texts, start=1):
        assert "Hillside Primary" in page
        assert "Notice" in page
        assert f"Printed 8 Sep 2025 10:32 · Page {number} of 3" in page
    assert page_sizes_mm(pdf) == [(210, 297)] * 3


def test_text_is_escaped_not_markup() -> None:
    """A name with & or < prints as typed instead of breaking the paragraph markup."""
    pdf = NoticeRenderer(printed_at=PRINTED).render(Notice("St Mary & St John", ["A <b> & C"]))
    assert "A <b> & C" in pages(pdf)[0]
    assert "St Mary & St John" in pages(pdf)[0]


def test_stylesheet_has_the_named_styles() -> None:
    """Subclasses can rely on the base's named styles."""
    styles = NoticeRenderer(printed_at=PRINTED).stylesheet
    assert {"title", "body", "small", "table"} <= set(styles)


def test_words_for_dates_and_counts() -> None:
    """Dates read the office way; counts take the right plural."""
    assert long_date(PRINTED.date()) == "Monday 8 September 2025"
    assert [plural(n, "pupil") for n in (1, 27, 1200)] == ["1 pupil", "27 pupils", "1,200 pupils"]
