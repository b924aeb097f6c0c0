"""The row of headline figures at the top of the Reports tab, each a large number with what
it means underneath; attendance also says how it stands against the school's target."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from attendance_desk.figures.breakdowns import Headline
from attendance_desk.figures.formatting import against_target, count_and_share, pct
from attendance_desk.figures.tally import Summary
from attendance_desk.ui.widgets.style import MUTED_COLOUR
from attendance_desk.wording import plural

CARD = "QFrame#figure_card { background: #ffffff; border: 1px solid #cbd2d9; border-radius: 6px; }"
#: Below target: dark vermilion text with a ▼; at or above: the palette's blue with a ▲.
BELOW = "#a4280b"
ABOVE = "#005a8c"


class FigureCard(QFrame):
    """One figure: the value large, the caption under it, an optional note under that."""

    def __init__(self, name: str, caption: str) -> None:
        super().__init__()
        self.setObjectName("figure_card")
        self.setStyleSheet(CARD)
        # As tall as the row: the row takes the tallest card's height, the others match it.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.value = QLabel("—")
        self.value.setObjectName(f"figure_{name}")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption)
        self.note = QLabel("")
        self.note.setObjectName(f"figure_{name}_note")
        self.note.setStyleSheet(f"color: {MUTED_COLOUR};")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(1)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        layout.addWidget(self.note)

    def show_figure(self, value: str, note: str = "", colour: str | None = None) -> None:
        self.value.setText(value)
        self.note.setText(note)
        self.note.setStyleSheet(f"color: {colour or MUTED_COLOUR};")
        self.setAccessibleName(f"{self.caption.text()}: {value}. {note}".strip())


class HeadlineRow(QWidget):
    """Attendance against target, authorised and unauthorised absence, PA and severe."""

    def __init__(self) -> None:
        super().__init__()
        self.attendance = FigureCard("attendance", "Attendance")
        self.authorised = FigureCard("authorised", "Authorised absence")
        self.unauthorised = FigureCard("unauthorised", "Unauthorised absence")
        self.persistent = FigureCard("persistent", "Persistent absentees (10 %+ missed)")
        self.severe = FigureCard("severe", "Severe absentees (50 %+ missed)")
        self.compulsory = QLabel("")
        self.compulsory.setObjectName("figure_compulsory")
        self.compulsory.setStyleSheet(f"color: {MUTED_COLOUR};")
        self.compulsory.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for card in self.cards():
            row.addWidget(card, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.compulsory)

    def cards(self) -> list[FigureCard]:
        return [self.attendance, self.authorised, self.unauthorised, self.persistent, self.severe]

    def show_headline(self, headline: Headline) -> None:
        s: Summary = headline.summary
        gap = headline.gap_to_target
        if gap is None:
            colour, mark = None, ""
        elif headline.meets_target:
            colour, mark = ABOVE, "▲ "
        else:
            colour, mark = BELOW, "▼ "
        self.attendance.caption.setText(f"Attendance (target {pct(headline.target)})")
        self.attendance.show_figure(pct(s.attendance_pct), f"{mark}{against_target(gap)}", colour)
        possible = plural(s.figures.possible, "session")
        self.authorised.show_figure(
            pct(s.authorised_pct), f"{s.figures.authorised:,} of {possible}"
        )
        self.unauthorised.show_figure(
            pct(s.unauthorised_pct), f"{s.figures.unauthorised:,} of {possible}"
        )
        pupils = f"of {plural(s.pupils, 'pupil')}"
        self.persistent.show_figure(count_and_share(s.persistent, s.persistent_pct), pupils)
        self.severe.show_figure(count_and_share(s.severe, s.severe_pct), pupils)
        c = headline.compulsory
        self.compulsory.setText(
            ""
            if c is None
            else "Pupils of compulsory school age only, as the DfE publishes: attendance "
            f"{pct(c.attendance_pct)}, authorised absence {pct(c.authorised_pct)}, unauthorised "
            f"{pct(c.unauthorised_pct)}, persistent absentees "
            f"{count_and_share(c.persistent, c.persistent_pct)} and severe "
            f"{count_and_share(c.severe, c.severe_pct)} of {c.pupils:,} pupils"
        )
