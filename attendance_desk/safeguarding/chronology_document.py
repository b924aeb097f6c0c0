"""A pupil's chronology printed: the timeline as the screen shows it to the person printing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from attendance_desk.printing.base import LINE, DocumentRenderer, long_date, text
from attendance_desk.safeguarding.chronology import KINDS, Entry


@dataclass(frozen=True)
class ChronologyData:
    school_name: str
    pupil_name: str
    upn: str
    date_of_birth: date
    entries: list[Entry]
    printed_by: str
    restricted: bool  # the copy includes safeguarding detail


class ChronologyDocument(DocumentRenderer[ChronologyData]):
    """Newest first, one row an event: when, what, detail, by whom."""

    TITLE = "Chronology"

    def title(self, data: ChronologyData) -> str:
        return f"Chronology: {data.pupil_name}"

    def story(self, data: ChronologyData) -> list[Flowable]:
        s = self.stylesheet
        width = self.frame_size()[0]
        story: list[Flowable] = [
            text(f"Chronology: {data.pupil_name}", s["title"]),
            text(
                f"UPN {data.upn} · born {long_date(data.date_of_birth)} · printed by "
                f"{data.printed_by}",
                s["small"],
            ),
        ]
        if data.restricted:
            story.append(
                text(
                    "CONFIDENTIAL: contains safeguarding information. Keep it with "
                    "the safeguarding file.",
                    s["heading"],
                )
            )
        story.append(Spacer(0, 3 * mm))
        rows = [
            [
                text("When", s["table_head"]),
                text("What", s["table_head"]),
                text("Detail", s["table_head"]),
                text("By", s["table_head"]),
            ]
        ]
        for entry in data.entries:
            rows.append(
                [
                    text(f"{entry.at:%d %b %Y %H:%M}", s["table"]),
                    Paragraph(
                        f"{escape(entry.title)}<br/><font size=7>{KINDS[entry.kind]}</font>",
                        s["table"],
                    ),
                    Paragraph(escape(entry.detail).replace("\n", "<br/>"), s["table"]),
                    text(entry.by, s["table"]),
                ]
            )
        widths = [30 * mm, 45 * mm, width - 105 * mm, 30 * mm]
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
                ]
            )
        )
        story.append(table if data.entries else text("Nothing recorded yet.", s["body"]))
        return story
