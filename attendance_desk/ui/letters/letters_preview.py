"""A PDF shown page after page (QtPdf), for previewing letters before and after sending."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from attendance_desk.ui.widgets.pdf_output import load_pdf


class PdfPreview(QWidget):
    """The pages of one PDF, fitted to the width; a message when there is nothing to show."""

    def __init__(self, empty_text: str = "Choose a letter to see it here.") -> None:
        super().__init__()
        self.view = QPdfView()
        self.view.setAccessibleName("Letter preview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.empty = QLabel(empty_text)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #545b62;")
        self._document: QPdfDocument | None = None
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self.view)

    @property
    def page_count(self) -> int:
        """Pages of the PDF on show; 0 when the message is showing."""
        if self._document is None or self._stack.currentWidget() is not self.view:
            return 0
        return self._document.pageCount()

    def show_pdf(self, pdf: bytes | None, message: str = "") -> None:
        """Show `pdf`, or `message` (or the empty text) when there is none."""
        if pdf is None:
            # QPdfView has no "no document": the last one stays behind the message.
            if message:
                self.empty.setText(message)
            self._stack.setCurrentWidget(self.empty)
            return
        old, self._document = self._document, load_pdf(pdf)
        self._document.setParent(self)
        self.view.setDocument(self._document)
        if old is not None:
            old.deleteLater()
        self._stack.setCurrentWidget(self.view)
