"""The evidence pack: everything done to improve a pupil's attendance, dated, in one PDF.

What the local authority attendance officer asks for before a monitoring period, a contract,
a penalty notice or a prosecution: the attendance figures, and every call, letter, visit,
meeting, plan and contract, and penalty notice, with dates and outcomes. Safe-and-well
visits appear as visits (when, who, outcome) in the DSL's, deputy DSL's or head's copy; in
anyone else's only that a visit was made, when (`catalogues.redaction`). The DSL's
answers and rationale always stay in the restricted record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from attendance_desk.access import audit
from attendance_desk.catalogues.call_outcomes import OUTCOMES as CALL_OUTCOMES
from attendance_desk.catalogues.redaction import RESTRICTED, sees_safeguarding
from attendance_desk.letters.letter_parts import summary_table
from attendance_desk.letters.penalties import pounds
from attendance_desk.letters.template_store import template_labels
from attendance_desk.models import (
    ContactAttempt,
    LetterLog,
    PathwayCase,
    PenaltyNotice,
    Pupil,
    SafeAndWellCheck,
    School,
    User,
)
from attendance_desk.pathway.periods import (
    SummaryRow,
    uk_date,
    up_to_yesterday,
    year_start,
)
from attendance_desk.pathway.stages import EVENT_LABELS, PERIOD_KINDS, pathway_preset
from attendance_desk.printing.base import (
    FONT_BOLD,
    LINE,
    RULE,
    SHADE,
    DocumentRenderer,
    Styles,
    TableCommand,
    derive,
    text,
)
from attendance_desk.register import stats
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.uk_dates import numeric

VISIT_OUTCOMES = {
    "seen_safe": "Child seen and safe",
    "seen_concerns": "Child seen, with concerns",
    "not_seen": "Child not seen",
}


@dataclass(frozen=True)
class Section:
    """A dated table: its title, column headings and rows (the first column is the date)."""

    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class EvidenceData:
    school_name: str
    pupil_name: str
    pupil_line: str
    prepared_on: date
    prepared_by: str
    pathway: str
    summary: tuple[SummaryRow, ...]
    sections: tuple[Section, ...]


def _when(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        return f"{numeric(moment.date())} {moment:%H:%M}"
    return numeric(moment)


def _lines(notes: str) -> str:
    return " · ".join(line.strip() for line in notes.splitlines() if line.strip())


def _steps(cases: Sequence[PathwayCase]) -> tuple[Section, Section]:
    meetings: list[tuple[str, ...]] = []
    periods: list[tuple[str, ...]] = []
    for case in cases:
        pathway = pathway_preset(case.pathway)
        for row in case.steps:
            label = pathway.steps[row.step].label if row.step in pathway.steps else row.step
            outcome = EVENT_LABELS.get(row.outcome or "", row.outcome or "open")
            if row.kind == "meeting":
                place = f" ({row.meeting_place})" if row.meeting_place else ""
                when = _when(row.meeting_at or row.done_on or row.entered_on)
                meetings.append((when, label + place, outcome, _lines(row.notes)))
            elif row.kind in PERIOD_KINDS:
                span = f"{_when(row.period_start)} to {_when(row.period_end)}"
                pct = (
                    f" ({stats.percent_text(row.review_pct)})" if row.review_pct is not None else ""
                )
                periods.append(
                    (_when(row.entered_on), label, span, outcome + pct, _lines(row.notes))
                )
    return (
        Section("Meetings", ("Date", "Meeting", "Outcome", "Notes"), tuple(meetings)),
        Section(
            "Plans, monitoring and contracts",
            ("Agreed", "What", "Period", "Outcome", "Notes"),
            tuple(periods),
        ),
    )


def evidence_data(session: Session, *, pupil_id: int, day: date, user: User) -> EvidenceData:
    """Everything on record for the pupil's attendance, oldest first in each section."""
    pupil = session.get(
        Pupil, pupil_id, options=[selectinload(Pupil.contacts), selectinload(Pupil.year_group)]
    )
    if pupil is None:
        raise ValueError(f"there is no pupil {pupil_id}")
    names = {c.id: f"{c.name} ({c.relationship_to_pupil})" for c in pupil.contacts}
    calendar = load_calendar(session)
    start, end = year_start(calendar, day), up_to_yesterday(calendar, day)
    figures = stats.pupil_figures(session, start, end, [pupil_id]).get(pupil_id, stats.Figures())
    calls = session.scalars(
        select(ContactAttempt)
        .where(ContactAttempt.pupil_id == pupil_id)
        .order_by(ContactAttempt.at)
    )
    letters = session.scalars(
        select(LetterLog).where(LetterLog.pupil_id == pupil_id).order_by(LetterLog.sent_at)
    )
    labels = template_labels(session)
    visits = session.scalars(
        select(SafeAndWellCheck)
        .where(SafeAndWellCheck.pupil_id == pupil_id)
        .order_by(SafeAndWellCheck.started_at)
    )
    notices = session.scalars(
        select(PenaltyNotice)
        .where(PenaltyNotice.pupil_id == pupil_id)
        .order_by(PenaltyNotice.issued_on)
    )
    cases = list(
        session.scalars(
            select(PathwayCase)
            .options(selectinload(PathwayCase.steps))
            .where(PathwayCase.pupil_id == pupil_id)
            .order_by(PathwayCase.id)
        )
    )
    meetings, periods = _steps(cases)
    sections = (
        Section(
            "Calls, texts and emails",
            ("When", "To", "Outcome", "By"),
            tuple(
                (
                    _when(a.at),
                    names.get(a.contact_id or 0, "—"),
                    CALL_OUTCOMES.get(a.outcome, a.outcome) + (f": {a.note}" if a.note else ""),
                    a.user_name,
                )
                for a in calls
            ),
        ),
        Section(
            "Letters sent",
            ("Sent", "Letter", "To", "By"),
            tuple(
                (
                    _when(log.sent_at),
                    f"{labels.get(log.template, log.template)}: {log.title}",
                    f"{log.recipient_name}, {log.recipient_address}",
                    log.sent_by_name,
                )
                for log in letters
            ),
        ),
        Section(
            "Home visits",
            ("When", "Staff", "Outcome", "Enquiries"),
            tuple(
                (
                    _when(v.visited_at),
                    " and ".join(s for s in (v.staff_one, v.staff_two) if s),
                    VISIT_OUTCOMES.get(v.outcome or "", "")
                    + ("; letter left" if v.letter_left else ""),
                    v.enquiries or "",
                )
                if sees_safeguarding(user)
                else (_when(v.visited_at), "—", RESTRICTED, "")
                for v in visits
                if v.visited_at is not None
            ),
        ),
        meetings,
        periods,
        Section(
            "Penalty notices",
            ("Issued", "To", "Amount", "Status"),
            tuple(
                (
                    _when(n.issued_on),
                    n.parent_name,
                    f"{pounds(n.amount_pence)} ({n.rate} notice)",
                    n.status + (f": {n.withdrawn_reason}" if n.withdrawn_reason else ""),
                )
                for n in notices
            ),
        ),
    )
    current = next((c for c in reversed(cases) if c.closed_on is None), None)
    pathway = ""
    if current is not None:
        p = pathway_preset(current.pathway)
        pathway = f"{p.name}: Stage {current.stage}, {p.step(current.state).label}"
    return EvidenceData(
        school_name=_school_name(session),
        pupil_name=pupil.display_name,
        pupil_line=f"{pupil.year_group.name} ({pupil.reg_group.name}), UPN {pupil.upn}, "
        f"born {uk_date(pupil.date_of_birth)}",
        prepared_on=day,
        prepared_by=user.full_name,
        pathway=pathway or "Not on the letters pathway",
        summary=(SummaryRow("This school year so far", start, end, figures),),
        sections=sections,
    )


def _school_name(session: Session) -> str:
    return session.scalar(select(School.name).limit(1)) or "The school"


class EvidencePackRenderer(DocumentRenderer[EvidenceData]):
    """The evidence pack: a title block, the figures, then one dated table per kind."""

    TITLE = "Attendance evidence pack"

    def title(self, data: EvidenceData) -> str:
        return f"Attendance evidence pack: {data.pupil_name}"

    def styles(self) -> Styles:
        sheet = super().styles()
        derive(sheet, "cell", "table", fontSize=8.5, leading=10.5)
        derive(sheet, "cell_small", "small", fontSize=7.5, leading=9)
        derive(sheet, "cell_bold", "cell", fontName=FONT_BOLD)
        derive(sheet, "note", "small", spaceBefore=2, spaceAfter=6)
        derive(sheet, "none", "small", spaceAfter=4)
        return sheet

    def story(self, data: EvidenceData) -> list[Flowable]:
        s = self.stylesheet
        width, _ = self.frame_size()
        story: list[Flowable] = [
            text(data.pupil_name, s["title"]),
            text(data.pupil_line, s["body"]),
            text(data.pathway, s["body"]),
            text(f"Prepared {uk_date(data.prepared_on)} by {data.prepared_by}", s["small"]),
            Spacer(0, 3 * mm),
            summary_table(data.summary, None, width, s),
        ]
        for section in data.sections:
            story += self._section(section, width)
        return story

    def _section(self, section: Section, width: float) -> list[Flowable]:
        s = self.stylesheet
        heading = text(f"{section.title} ({len(section.rows)})", s["heading"])
        if not section.rows:
            return [KeepTogether([heading, text("None recorded.", s["none"])])]
        first = 28 * mm
        rest = (width - first) / (len(section.headings) - 1)
        rows: list[list[object]] = [[text(h, s["table_head"]) for h in section.headings]]
        rows += [[text(cell, s["cell"]) for cell in row] for row in section.rows]
        table = Table(rows, colWidths=[first, *[rest] * (len(section.headings) - 1)], repeatRows=1)
        style: list[TableCommand] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.75, RULE),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, LINE),
        ]
        table.setStyle(TableStyle(style))
        return [heading, table]


def evidence_pdf(session: Session, *, pupil_id: int, day: date, user: User, now: datetime) -> bytes:
    """The evidence pack as PDF; making one is audited (it gathers personal data)."""
    data = evidence_data(session, pupil_id=pupil_id, day=day, user=user)
    audit.record(
        session,
        user=user,
        now=now,
        action="evidence_pack",
        entity="pupil",
        entity_id=pupil_id,
    )
    return EvidencePackRenderer(printed_at=now).render(data)
