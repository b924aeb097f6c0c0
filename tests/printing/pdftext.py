"""Read a rendered PDF back as text, page by page, the way a test can check it."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader


def pages(pdf: bytes) -> list[str]:
    """The extracted text of each page."""
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def page_sizes_mm(pdf: bytes) -> list[tuple[int, int]]:
    """Each page's width and height, rounded to the millimetre."""
    return [
        (round(float(p.mediabox.width) / 72 * 25.4), round(float(p.mediabox.height) / 72 * 25.4))
        for p in PdfReader(BytesIO(pdf)).pages
    ]
