"""The weekly SLT pack: one PDF for the weekly SLT and attendance officer meeting
(docs/rules.md#weekly-reports).

Figures first (this week beside the year so far, against the target), then the charts, what
is still to do (the worklist by kind), what was done (safe-and-well checks, letters), and the
PA list with each pupil's week last, as it runs longest. Drawn with ReportLab only, so it
renders on a server with no screen (`attendance-desk report weekly`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from attendance_desk.figures import palette, pdf_charts
from attendance_desk.figures.formatting import (
    DASH,
    against_target,
    count_and_share,
    pct,
    short_year,
)
from attendance_desk.figures.weekly import WEEKLY_LINE, WeeklyPack, gather_weekly
from attendance_desk.models import User
from attendance_desk.printing.base import (
    FONT,
    FONT_BOLD,
    INK,
    LINE,
    MUTED,
    RULE,
    SHADE,
    DocumentRenderer,
    Margins,
    Styles,
    TableCommand,
    derive,
    long_date,
    text,
)
from attendance_desk.uk_dates import day_text, moment_text
from attendance_desk.wording import plural

CHART_HEIGHT = 62 * mm


def _table_style(*, numeric_from: int, extra: Sequence[TableCommand] = ()) -> TableStyle:
    """A plain table: grey header, hairlines between rows, numbers right-aligned."""
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5, 10.5),
            ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
            ("LINEBELOW", (0, 0), (-1, 0), 1, RULE),
            ("FONT", (0, 1), (-1, -1), FONT, 9.5, 12),
            ("TEXTCOLOR", (0, 1), (-1, -1), INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, LINE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
            *extra,
        ]
    )


class SltPack(DocumentRenderer[WeeklyPack]):
    """A4 portrait: headline, charts, actions, checks, letters, then the PA list."""

    TITLE = "Weekly attendance pack"
    MARGINS = Margins(top=22, right=15, bottom=17, left=15)

    def title(self, data: WeeklyPack) -> str:
        return f"{self.TITLE} · week of {data.week.start.day} {data.week.start:%b %Y}"

    def styles(self) -> Styles:
        sheet = super().styles()
        derive(sheet, "lead", "body", textColor=MUTED, spaceAfter=3 * mm)
        derive(sheet, "chart_title", "table_head", fontSize=9.5, leading=12, textColor=INK)
        derive(sheet, "cell", "table", fontSize=9.5, leading=11.5)
        return sheet

    def story(self, data: WeeklyPack) -> list[Flowable]:
        s = self.stylesheet
        week = data.week
        upto = "" if data.as_of >= week.end else f" (so far, to {long_date(data.as_of)})"
        story: list[Flowable] = [
            text(f"Attendance: week of {long_date(week.start)}", s["title"]),
            Spacer(0, 1.5 * mm),
            text(
                f"For the weekly SLT meeting{upto}. Target {pct(data.target)}; the year runs "
                f"from {long_date(data.year.start)}.",
                s["lead"],
            ),
            self._headline_table(data),
            text("Trends", s["heading"]),
            *self._charts(data),
            *self._actions(data),
            *self._checks(data),
            *self._letters(data),
            *self._pa_list(data),
        ]
        return story

    # --- sections ----------------------------------------------------------------------
    def _headline_table(self, data: WeeklyPack) -> Table:
        week, year = data.this_week, data.year.summary
        dfe = data.year.compulsory or year
        below = data.below_line_this_week
        rows = [
            ["", "This week", "Year to date"],
            ["Attendance", pct(week.attendance_pct), pct(year.attendance_pct)],
            [
                f"Against the {pct(data.target)} target",
                against_target(_gap(week.attendance_pct, data.target)),
                against_target(data.year.gap_to_target),
            ],
            ["Authorised absence", pct(week.authorised_pct), pct(year.authorised_pct)],
            ["Unauthorised absence", pct(week.unauthorised_pct), pct(year.unauthorised_pct)],
            ["Pupils with sessions", f"{week.pupils:,}", f"{year.pupils:,}"],
            [
                "Persistent absentees (10 %+ missed)",
                DASH,
                count_and_share(year.persistent, year.persistent_pct),
            ],
            [
                "Severe absentees (50 %+ missed)",
                DASH,
                count_and_share(year.severe, year.severe_pct),
            ],
            [
                f"Pupils below {WEEKLY_LINE:g} % this week",
                count_and_share(below, 100.0 * below / week.pupils if week.pupils else None),
                DASH,
            ],
            ["Late marks (L)", f"{week.figures.late:,}", f"{year.figures.late:,}"],
            [
                "Attendance, compulsory school age only (as the DfE publishes)",
                pct(data.this_week_compulsory.attendance_pct),
                pct(dfe.attendance_pct),
            ],
            [
                "Persistent absentees, compulsory school age only",
                DASH,
                count_and_share(dfe.persistent, dfe.persistent_pct),
            ],
        ]
        width, _ = self.frame_size()
        table = Table(rows, colWidths=[width - 90 * mm, 45 * mm, 45 * mm], hAlign="LEFT")
        table.setStyle(
            _table_style(
                numeric_from=1,
                extra=[
                    ("FONT", (1, 1), (-1, 1), FONT_BOLD, 13, 16),
                    ("FONT", (0, 1), (0, 1), FONT_BOLD, 9.5, 12),
                    ("BACKGROUND", (0, 1), (-1, 1), SHADE),
                ],
            )
        )
        return table

    def _charts(self, data: WeeklyPack) -> list[Flowable]:
        s = self.stylesheet
        width, _ = self.frame_size()
        weekly = [
            text("Attendance week by week, this year", s["chart_title"]),
            pdf_charts.weekly_line(data.weeks, data.target, width=width, height=CHART_HEIGHT),
        ]
        half = (width - 6 * mm) / 2
        years_week = {g.key: g for g in data.year_groups_week.groups}
        groups = list(data.year_groups_year.groups)
        by_year = pdf_charts.bars(
            [short_year(g.label) for g in groups],
            [
                (
                    "This week",
                    palette.ATTENDANCE_LIGHT,
                    [
                        years_week[g.key].summary.attendance_pct if g.key in years_week else None
                        for g in groups
                    ],
                ),
                (
                    "Year to date",
                    palette.ATTENDANCE,
                    [g.summary.attendance_pct for g in groups],
                ),
            ],
            width=half,
            height=CHART_HEIGHT,
            target=data.target,
        )
        pa = pdf_charts.bars(
            [p.name for p in data.half_terms],
            [
                (
                    "% of pupils missing 10 %+ of the half-term",
                    palette.PERSISTENT,
                    [p.summary.persistent_pct for p in data.half_terms],
                )
            ],
            width=half,
            height=CHART_HEIGHT,
            percent_axis=False,
        )
        pair = Table(
            [
                [
                    text("Attendance by year group", s["chart_title"]),
                    text("Persistent absence by half-term", s["chart_title"]),
                ],
                [by_year, pa],
            ],
            colWidths=[half + 3 * mm, half + 3 * mm],
            hAlign="LEFT",
        )
        pair.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return [KeepTogether(weekly), Spacer(0, 3 * mm), KeepTogether([pair])]

    def _actions(self, data: WeeklyPack) -> list[Flowable]:
        s = self.stylesheet
        heading = text(
            f"Outstanding actions on {long_date(data.actions_on)}: {data.actions_total:,}",
            s["heading"],
        )
        if not data.actions:
            return [heading, text("Nothing is waiting on the worklist.", s["body"])]
        rows = [["Action", "Open"]]
        rows += [[a.label, f"{a.count:,}"] for a in data.actions]
        rows.append(["Total", f"{data.actions_total:,}"])
        table = Table(rows, colWidths=[95 * mm, 25 * mm], hAlign="LEFT", repeatRows=1)
        table.setStyle(
            _table_style(
                numeric_from=1,
                extra=[
                    ("FONT", (0, -1), (-1, -1), FONT_BOLD, 9.5, 12),
                    ("LINEABOVE", (0, -1), (-1, -1), 1, RULE),
                ],
            )
        )
        return [CondPageBreak(40 * mm), heading, table]

    def _checks(self, data: WeeklyPack) -> list[Flowable]:
        s = self.stylesheet
        heading = text(f"Safe-and-well checks finished this week: {len(data.checks)}", s["heading"])
        if not data.checks:
            return [heading, text("None this week.", s["body"])]
        rows: list[list[object]] = [["Pupil", "Group", "Finished", "Decision", "Outcome", "By"]]
        rows += [
            [
                text(c.pupil, s["cell"]),
                c.group,
                moment_text(c.finished_at, year=False),
                c.decision,
                text(c.outcome, s["cell"]),
                text(c.by, s["cell"]),
            ]
            for c in data.checks
        ]
        width, _ = self.frame_size()
        widths = [42 * mm, 16 * mm, 30 * mm, 24 * mm, 36 * mm]
        widths.append(width - sum(widths))
        table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1)
        table.setStyle(_table_style(numeric_from=len(widths)))
        return [CondPageBreak(30 * mm), heading, table]

    def _letters(self, data: WeeklyPack) -> list[Flowable]:
        s = self.stylesheet
        heading = text(f"Letters sent this week: {len(data.letters)}", s["heading"])
        if not data.letters:
            return [heading, text("No letters were recorded this week.", s["body"])]
        rows: list[list[object]] = [["Pupil", "Letter", "Sent", "To"]]
        rows += [
            [
                text(x.pupil, s["cell"]),
                text(x.letter, s["cell"]),
                day_text(x.sent_on, year=False),
                x.to,
            ]
            for x in data.letters
        ]
        width, _ = self.frame_size()
        widths = [50 * mm, 60 * mm, 25 * mm]
        widths.append(width - sum(widths))
        table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1)
        table.setStyle(_table_style(numeric_from=len(widths)))
        return [heading, table]

    def _pa_list(self, data: WeeklyPack) -> list[Flowable]:
        s = self.stylesheet
        heading = text(
            f"Persistent absentees this year: {plural(len(data.persistent), 'pupil')}",
            s["heading"],
        )
        lead = text(
            "Pupils who have missed 10 % or more of their sessions this year, lowest "
            "attendance first; severe absence (half or more missed) in bold.",
            s["small"],
        )
        if not data.persistent:
            return [CondPageBreak(30 * mm), heading, text("No persistent absentees.", s["body"])]
        rows: list[list[object]] = [
            ["Pupil", "Group", "Year", "This week", "Unauth.", "Stage", "Last action"]
        ]
        bold: list[TableCommand] = []
        for i, p in enumerate(data.persistent, start=1):
            last = (
                f"{day_text(p.last_action.at, year=False)}: {p.last_action.what}"
                if p.last_action
                else DASH
            )
            rows.append(
                [
                    text(
                        p.name
                        + (f" (left {day_text(p.left_on, year=False)})" if p.left_on else ""),
                        s["cell"],
                    ),
                    p.reg_group,
                    pct(p.attendance_pct),
                    pct(data.week_attendance.get(p.pupil_id)),
                    f"{p.unauthorised}",
                    text(p.stage or DASH, s["cell"]),
                    text(last, s["cell"]),
                ]
            )
            if p.severe:
                bold.append(("FONT", (2, i), (2, i), FONT_BOLD, 9.5, 12))
        width, _ = self.frame_size()
        widths = [48 * mm, 15 * mm, 17 * mm, 18 * mm, 15 * mm, 22 * mm]
        widths.append(width - sum(widths))
        table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1)
        table.setStyle(
            _table_style(
                numeric_from=2,
                extra=[("ALIGN", (5, 0), (-1, -1), "LEFT"), *bold],
            )
        )
        return [CondPageBreak(50 * mm), heading, lead, Spacer(0, 2 * mm), table]


def _gap(pct_: float | None, target: float) -> float | None:
    return None if pct_ is None else pct_ - target


def weekly_pack(session: Session, week_monday: date, now: datetime, *, viewer: User) -> bytes:
    """The SLT pack for the school week starting `week_monday`, as PDF bytes, with the
    safeguarding detail `viewer` may see (checks' decisions and outcomes for the DSL,
    deputy DSL and head only)."""
    data = gather_weekly(session, week_monday, now, viewer=viewer)
    return SltPack(printed_at=now).render(data)
