"""Printing or saving a PDF that a renderer made: the system print dialog, or a file.

Every printed document is rendered once by ReportLab; printing draws its pages (via QtPdf)
onto the chosen printer, so the paper copy is exactly the saved PDF.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from attendance_desk.store.private_files import write_private


def load_pdf(pdf: bytes) -> QPdfDocument:
    """A QtPdf document over the bytes (kept alive by the document's parent buffer)."""
    document = QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def print_pdf(pdf: bytes, parent: QWidget, title: str) -> bool:
    """Ask for a printer and print every page; False when the user cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {title}")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    paint_pages(load_pdf(pdf), printer)
    return True


def paint_pages(document: QPdfDocument, printer: QPrinter) -> None:
    painter = QPainter(printer)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            area = painter.viewport()
            size = (
                document.pagePointSize(page)
                .scaled(area.size().toSizeF(), Qt.AspectRatioMode.KeepAspectRatio)
                .toSize()
            )
            painter.drawImage(QRect(area.topLeft(), size), document.render(page, size))
    finally:
        painter.end()


def save_pdf(pdf: bytes, parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save and write the file; None when the user cancels."""
    name, _ = QFileDialog.getSaveFileName(parent, "Save PDF", suggested, "PDF files (*.pdf)")
    if not name:
        return None
    path = Path(name if name.lower().endswith(".pdf") else f"{name}.pdf")
    write_private(path, pdf)  # pupils' details: for this user's eyes only
    return path
