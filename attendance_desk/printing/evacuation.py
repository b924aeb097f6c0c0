"""The fire-drill list: everyone expected on site now, by registration group, with a box to tick.

A fire marshal reads it outdoors, so the type is large, each group starts with its count and
stays on one page where it fits, and pupils signed out are listed apart at the end so nobody
searches the playground for a child who is at the dentist. Groups whose register is not
taken yet are named at the top, and their unmarked pupils say "register not taken": they
are listed from the roll, never left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.desk.onsite import (
    NOT_TAKEN,
    FireList,
    OnSiteGroup,
    OnSitePupil,
    fire_list,
    not_taken_warning,
)
from attendance_desk.printing.base import (
    ACCENT,
    ACCENT_TINT,
    FONT,
    FONT_BOLD,
    INK,
    LINE,
    MUTED,
    RULE,
    DocumentRenderer,
    Styles,
    TableCommand,
    clock,
    derive,
    long_date,
    text,
)
from attendance_desk.wording import plural

#: (name, group, what happened), e.g. ("Amy Smith", "3A", "out 10:30 dentist").
SignedOutRow = tuple[str, str, str]

NAME_SIZE = 13
ROW_PADDING = 2.6
WARNING = colors.HexColor("#a4280b")
WARNING_TINT = colors.HexColor("#fbe9e3")


@dataclass(frozen=True)
class EvacuationData:
    """The fire list at its moment, for the school whose letterhead it goes on."""

    school_name: str
    fire: FireList

    @property
    def taken_at(self) -> datetime:
        return self.fire.at

    @property
    def groups(self) -> list[OnSiteGroup]:
        """The groups with anyone on site, each with its on-site pupils only."""
        return [OnSiteGroup(g.group, g.on_site, g.taken) for g in self.fire.groups if g.on_site]

    @property
    def signed_out(self) -> list[SignedOutRow]:
        return [(p.name, group, p.note) for p, group in self.fire.signed_out]

    @property
    def pupil_count(self) -> int:
        return self.fire.total


class TickBox(Flowable):
    """An empty square for the marshal's tick."""

    def __init__(self, size: float = 4.8 * mm) -> None:
        super().__init__()
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(1)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


def _note(pupil: OnSitePupil) -> str:
    """The pupil's note with the code when it is not a plain present mark ("late L"); an
    unmarked pupil's says so first ("register not taken · this morning /")."""
    note = pupil.note.strip()
    if pupil.status == NOT_TAKEN:
        return f"{NOT_TAKEN} · {note}" if note else NOT_TAKEN
    plain = pupil.code in (codes.present_code("AM"), codes.present_code("PM"))
    if plain or pupil.code in note.split():
        return note
    return f"{note} {pupil.code}".strip()


class EvacuationList(DocumentRenderer[EvacuationData]):
    """The on-site list for a fire drill or a real evacuation."""

    TITLE = "Evacuation list"
    BOX_WIDTH = 12  # mm
    NOTE_WIDTH = 48  # mm

    def title(self, data: EvacuationData) -> str:
        return f"Evacuation list · {clock(data.taken_at)} {long_date(data.taken_at.date())}"

    def styles(self) -> Styles:
        sheet = super().styles()
        derive(sheet, "total", "title", fontSize=22, leading=27, spaceAfter=2)
        derive(sheet, "lead", "body", fontSize=12, leading=16)
        derive(sheet, "note", "table", fontSize=11.5, leading=13)
        derive(
            sheet,
            "warning",
            "body",
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            textColor=WARNING,
            backColor=WARNING_TINT,
            borderColor=WARNING,
            borderWidth=1,
            borderPadding=6,
            spaceBefore=4,
            spaceAfter=12,
        )
        return sheet

    def story(self, data: EvacuationData) -> list[Flowable]:
        s = self.stylesheet
        groups = [g for g in data.groups if g.pupils]
        total = (
            f"On site at {clock(data.taken_at)}: {plural(data.pupil_count, 'pupil')} "
            f"in {plural(len(groups), 'group')}"
        )
        out = len(data.signed_out)
        lead = (
            f"{long_date(data.taken_at.date())}. Tick each pupil as they are seen at the "
            "assembly point. "
            + (
                f"{plural(out, 'pupil')} signed out and not on site "
                f"{'is' if out == 1 else 'are'} listed at the end."
                if out
                else "No pupils are signed out."
            )
        )
        story: list[Flowable] = [text(total, s["total"])]
        if not_taken := data.fire.not_taken:
            story += [Spacer(0, 2 * mm), text(not_taken_warning(not_taken), s["warning"])]
        story += [
            text(lead, s["lead"]),
            Spacer(0, 5 * mm),
            self._summary_table(groups),
            Spacer(0, 8 * mm),
        ]
        for group in groups:
            story.append(KeepTogether([self._group_table(group), Spacer(0, 6 * mm)]))
        story.extend(self._signed_out_section(data.signed_out))
        return story

    def _summary_table(self, groups: Sequence[OnSiteGroup]) -> Table:
        """Every group's count with a box for "accounted for", side by side when many."""
        width, _ = self.frame_size()
        columns = 1 if len(groups) <= 12 else 2
        per_column = -(-len(groups) // columns)
        gap = 8 * mm if columns > 1 else 0
        # One short column reads better than a row stretched across the page.
        block = min((width - gap * (columns - 1)) / columns, 110 * mm)
        count, box = 24 * mm, self.BOX_WIDTH * mm
        rows: list[list[object]] = [["Group", "On site", "Accounted for"] * columns]
        for i in range(per_column):
            row: list[object] = []
            for c in range(columns):
                index = i + c * per_column
                if index < len(groups):
                    g = groups[index]
                    name = g.group if g.taken else f"{g.group} (not taken)"
                    row += [name, str(len(g.pupils)), TickBox()]
                else:
                    row += ["", "", ""]
            rows.append(row)
        widths = [block - count - box - 14 * mm, count, box + 14 * mm] * columns
        style: list[TableCommand] = [
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9, 11),
            ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
            ("FONT", (0, 1), (-1, -1), FONT_BOLD, 13, 16),
            ("TEXTCOLOR", (0, 1), (-1, -1), INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 1), (-1, -1), ROW_PADDING),
            ("BOTTOMPADDING", (0, 1), (-1, -1), ROW_PADDING + 0.6),
        ]
        for c in range(columns):
            first, last = 3 * c, 3 * c + 2
            style += [
                ("LINEBELOW", (first, 0), (last, 0), 1, RULE),
                ("LINEBELOW", (first, 1), (last, -1), 0.5, LINE),
                ("ALIGN", (first + 1, 0), (last, -1), "CENTER"),
            ]
        table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(style))
        return table

    def _group_table(self, group: OnSiteGroup) -> Table:
        s = self.stylesheet
        width, _ = self.frame_size()
        box, note_width = self.BOX_WIDTH * mm, self.NOTE_WIDTH * mm
        heading = f"{group.group} — {len(group.pupils)} on site"
        if not group.taken:
            heading += " · register not taken"
        rows: list[list[object]] = [[heading, "", ""]]
        for pupil in group.pupils:
            note = _note(pupil)
            rows.append([TickBox(), pupil.name, text(note, s["note"]) if note else ""])
        table = Table(
            rows, colWidths=[box, width - box - note_width, note_width], repeatRows=1, hAlign="LEFT"
        )
        table.setStyle(
            TableStyle(
                [
                    # The group heading row, repeated if the group runs onto another page.
                    ("SPAN", (0, 0), (-1, 0)),
                    ("BACKGROUND", (0, 0), (-1, 0), ACCENT_TINT),
                    ("TEXTCOLOR", (0, 0), (-1, 0), ACCENT),
                    ("FONT", (0, 0), (-1, 0), FONT_BOLD, 16, 20),
                    ("TOPPADDING", (0, 0), (-1, 0), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
                    ("LINEABOVE", (0, 0), (-1, 0), 1.2, ACCENT),
                    # Pupils.
                    ("FONT", (0, 1), (-1, -1), FONT, NAME_SIZE, NAME_SIZE + 3),
                    ("TEXTCOLOR", (0, 1), (-1, -1), INK),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (0, 1), (0, -1), "CENTER"),
                    ("TOPPADDING", (0, 1), (-1, -1), ROW_PADDING),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), ROW_PADDING + 0.6),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.5, LINE),
                    ("LINEBELOW", (0, -1), (-1, -1), 1, RULE),
                ]
            )
        )
        return table

    def _signed_out_section(self, signed_out: Sequence[SignedOutRow]) -> list[Flowable]:
        s = self.stylesheet
        heading = text(f"Signed out — not on site: {plural(len(signed_out), 'pupil')}", s["total"])
        if not signed_out:
            none = "Nobody is signed out: every pupil listed above is expected on site."
            return [CondPageBreak(40 * mm), Spacer(0, 4 * mm), heading, text(none, s["lead"])]
        intro = text(
            "These pupils left the site earlier and have not signed back in: "
            "do not search for them.",
            s["lead"],
        )
        parts: list[Flowable] = [CondPageBreak(60 * mm), Spacer(0, 4 * mm), heading, intro]
        width, _ = self.frame_size()
        group_width, detail_width = 22 * mm, 80 * mm
        rows: list[list[object]] = [["Pupil", "Group", "Signed out"]]
        rows += [[name, group, text(detail, s["note"])] for name, group, detail in signed_out]
        table = Table(
            rows,
            colWidths=[width - group_width - detail_width, group_width, detail_width],
            repeatRows=1,
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, 0), FONT_BOLD, 10, 12),
                    ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
                    ("LINEBELOW", (0, 0), (-1, 0), 1, RULE),
                    ("FONT", (0, 1), (-1, -1), FONT, 13, 16),
                    ("TEXTCOLOR", (0, 1), (-1, -1), INK),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 1), (-1, -1), ROW_PADDING),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), ROW_PADDING + 0.6),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.5, LINE),
                ]
            )
        )
        return [*parts, Spacer(0, 3 * mm), table]


def evacuation_data(session: Session, now: datetime, school_name: str) -> EvacuationData:
    """The list as of `now` (`onsite.fire_list`), for printing."""
    return EvacuationData(school_name, fire_list(session, now))
