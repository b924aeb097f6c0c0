"""What the Pupils tab shows on a new database: build the demo school, or import pupils."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from attendance_desk.ui.widgets.style import centred_column, heading, muted


class FirstStartPanel(QWidget):
    """ "No pupils yet", two buttons, and what a pupils file must contain."""

    demo_requested = Signal()
    import_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("first_start")
        title = heading("No pupils yet", scale=1.8, name="first_start_heading")
        intro = QLabel(
            "Try Attendance Desk on a demo school with 300 made-up pupils and twelve weeks "
            "of registers, or start for real by importing your pupils from a CSV file "
            "exported from your MIS."
        )
        intro.setWordWrap(True)

        self.demo_button = QPushButton("Create the demo school")
        self.demo_button.setObjectName("create_demo")
        self.demo_button.setAccessibleName("Create the demo school")
        self.demo_button.setToolTip("Builds a made-up school to explore; takes a few seconds")
        self.import_button = QPushButton("Import pupils from a CSV file…")
        self.import_button.setObjectName("import_pupils")
        self.import_button.setAccessibleName("Import pupils from a CSV file")
        self.import_button.setToolTip("Opens the import wizard (Ctrl+I)")
        for button in (self.demo_button, self.import_button):
            button.setMinimumHeight(button.sizeHint().height() + 12)
        self.demo_button.setDefault(True)
        self.demo_button.clicked.connect(self.demo_requested)
        self.import_button.clicked.connect(self.import_requested)

        hint = muted(
            QLabel(
                "The import matches your MIS's column names to the ones needed (UPN, names, "
                "date of birth, year and registration group) and shows each problem with its "
                "line before anything is imported. Nothing is imported unless every row is right."
            )
        )
        hint.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.import_button)

        column = centred_column(self, 560)
        for widget, gap in ((title, 12), (intro, 24)):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(widget)
            column.addSpacing(gap)
        column.addLayout(buttons)
        column.addSpacing(24)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(hint)

    def set_busy(self, busy: bool) -> None:
        """Disable the buttons while the demo school is being built."""
        self.demo_button.setEnabled(not busy)
        self.import_button.setEnabled(not busy)
