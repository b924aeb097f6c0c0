"""Plain rows for the screens: where each case is, what happened, what is due next.

The Letters tab and the pupil's page show these; no ORM row leaves the service layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.letters.penalties import PenaltyOption, penalty_options, pounds
from attendance_desk.models import PathwayCase, PathwayStep, PenaltyNotice
from attendance_desk.pathway.cases import load_case, open_cases
from attendance_desk.pathway.periods import uk_date
from attendance_desk.pathway.review import Meeting, Review, current_row, review_of
from attendance_desk.pathway.stages import CLOSED, EVENT_LABELS, Pathway, pathway_preset
from attendance_desk.register.stats import percent_text


@dataclass(frozen=True)
class StepLine:
    """One step of a case's history."""

    label: str
    stage: int
    entered_on: date
    done_on: date | None
    outcome: str
    period: tuple[date, date] | None
    meeting: str
    notes: str


@dataclass(frozen=True)
class Choice:
    """An event a person may record now, and whether it is allowed."""

    event: str
    label: str
    enabled: bool = True
    why: str = ""


@dataclass(frozen=True)
class NoticeLine:
    notice_id: int
    parent_name: str
    issued_on: date
    amount: str
    rate: str
    status: str


@dataclass(frozen=True)
class CaseView:
    """Everything the pathway panel shows for one case."""

    case_id: int
    pupil_id: int
    pupil_name: str
    group: str
    pathway: str
    pathway_key: str
    stage: int
    state: str
    state_label: str
    kind: str
    opened_on: date
    closed_on: date | None
    next_text: str
    steps: tuple[StepLine, ...]
    review: Review | None
    choices: tuple[Choice, ...]
    meeting: Meeting | None
    penalty_options: tuple[PenaltyOption, ...]
    notices: tuple[NoticeLine, ...]

    @property
    def stage_text(self) -> str:
        return f"Stage {self.stage}" if self.stage else "No stage"


def _step_line(pathway: Pathway, row: PathwayStep) -> StepLine:
    label = pathway.steps[row.step].label if row.step in pathway.steps else row.step
    outcome = EVENT_LABELS.get(row.outcome or "", row.outcome or "")
    if row.outcome and row.outcome not in EVENT_LABELS and row.step in pathway.steps:
        step = pathway.steps[row.step]
        if row.outcome in step.on:
            outcome = step.event_label(row.outcome, pathway)
    if row.review_pct is not None:
        outcome += f" ({percent_text(row.review_pct)})"
    meeting = ""
    if row.meeting_at is not None:
        meeting = Meeting(row.meeting_at, row.meeting_place or "").describe()
    period = (row.period_start, row.period_end) if row.period_start and row.period_end else None
    return StepLine(
        label, row.stage, row.entered_on, row.done_on, outcome, period, meeting, row.notes
    )


def _next_text(pathway: Pathway, case: PathwayCase, review: Review | None, day: date) -> str:
    if case.closed_on is not None:
        return f"Closed on {uk_date(case.closed_on)}: {case.outcome or ''}".rstrip(": ")
    step, row = pathway.step(case.state), current_row(case)
    if step.kind == "letter" and row.done_on is None:
        return f"Send {step.label} (on the Due list)"
    if review is not None:
        if review.ended:
            return f"Review ended: {review.describe()}. Confirm whether attendance improved."
        if review.end < review.start:
            return review.describe()
        return f"Under review until {uk_date(review.until)}: {review.describe()}"
    if step.kind == "meeting":
        if row.meeting_at is None:
            return "Book the meeting, then record whether it was held"
        when = Meeting(row.meeting_at, row.meeting_place or "").describe()
        if row.meeting_at.date() > day:
            return f"Meeting booked for {when}"
        return f"Meeting was due {when}: record whether it was held"
    if step.kind == "decision":
        return "Decide the next step with the LAAO"
    if step.kind == "penalty":
        return "Issue penalty notices to the parents, or choose other action"
    if step.kind == "handover":
        return step.label
    return step.label


def case_view(session: Session, case_id: int, day: date) -> CaseView:
    case = load_case(session, case_id)
    pathway = pathway_preset(case.pathway)
    step, row = pathway.step(case.state), current_row(case)
    review = review_of(session, case, pathway, day) if case.closed_on is None else None
    choices: list[Choice] = []
    options: tuple[PenaltyOption, ...] = ()
    if case.closed_on is None and step.kind in ("meeting", "decision", "penalty"):
        if step.kind == "penalty":
            options = tuple(
                penalty_options(session, pupil_id=case.pupil_id, day=day, rules=pathway.penalties)
            )
        for event in step.on:
            enabled, why = True, ""
            if step.kind == "meeting" and row.meeting_at and row.meeting_at.date() > day:
                enabled, why = False, "the meeting has not happened yet"
            if event == "issued" and not any(o.allowed for o in options):
                enabled, why = False, "no parent may be given another notice"
            choices.append(Choice(event, step.event_label(event, pathway), enabled, why))
    meeting = None
    if row.kind == "meeting" and row.meeting_at is not None:
        meeting = Meeting(row.meeting_at, row.meeting_place or "")
    notices = tuple(
        NoticeLine(n.id, n.parent_name, n.issued_on, pounds(n.amount_pence), n.rate, n.status)
        for n in session.scalars(
            select(PenaltyNotice)
            .where(PenaltyNotice.pupil_id == case.pupil_id)
            .order_by(PenaltyNotice.issued_on)
        )
    )
    pupil = case.pupil
    return CaseView(
        case_id=case.id,
        pupil_id=case.pupil_id,
        pupil_name=pupil.display_name,
        group=pupil.reg_group.name,
        pathway=pathway.name,
        pathway_key=pathway.key,
        stage=case.stage,
        state=case.state,
        state_label="Closed" if case.state == CLOSED else step.label,
        kind=step.kind,
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        next_text=_next_text(pathway, case, review, day),
        steps=tuple(_step_line(pathway, r) for r in case.steps),
        review=review,
        choices=tuple(choices),
        meeting=meeting,
        penalty_options=options,
        notices=notices,
    )


@dataclass(frozen=True)
class CaseRow:
    """A line of the open-cases list."""

    case_id: int
    pupil_id: int
    pupil_name: str
    group: str
    stage: int
    state_label: str
    next_text: str
    opened_on: date
    needs_attention: bool


def case_rows(session: Session, day: date) -> list[CaseRow]:
    """Every open case, most advanced stage first; `needs_attention` when a person must act."""
    rows = []
    for case in open_cases(session):
        pathway = pathway_preset(case.pathway)
        step, row = pathway.step(case.state), current_row(case)
        review = review_of(session, case, pathway, day)
        attention = (
            (review is not None and review.ended)
            or step.kind in ("decision", "penalty")
            or (step.kind == "meeting" and (row.meeting_at is None or row.meeting_at.date() <= day))
        )
        rows.append(
            CaseRow(
                case.id,
                case.pupil_id,
                case.pupil.display_name,
                case.pupil.reg_group.name,
                case.stage,
                step.label,
                _next_text(pathway, case, review, day),
                case.opened_on,
                attention,
            )
        )
    return sorted(rows, key=lambda r: (not r.needs_attention, -r.stage, r.pupil_name))


def cases_of_pupil(session: Session, pupil_id: int) -> list[int]:
    """The ids of a pupil's cases, newest first."""
    return list(
        session.scalars(
            select(PathwayCase.id)
            .where(PathwayCase.pupil_id == pupil_id)
            .order_by(PathwayCase.id.desc())
        )
    )
