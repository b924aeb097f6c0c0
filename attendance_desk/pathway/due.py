"""Which letters are due on a day, worked out afresh from the register and the open cases.

A letter is due when:

- a pupil with no open case crosses the pathway's trigger (attendance below the target
  over the trigger window, once enough sessions are on record): the entry letter;
- a case is at a letter step whose letter has not gone (after a missed meeting, say);
- a case's review period has ended and the register says attendance did not improve, and
  the pathway's next step is a letter: sending it confirms "not improved".

Pupils whose last case closed are judged only on attendance since it closed, and a letter a
person closed on the Today worklist (done or dismissed) stays off the list.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.catalogues.action_kinds import ActionKind
from attendance_desk.models import (
    ActionOutcome,
    PathwayCase,
    PathwayStep,
)
from attendance_desk.pathway.cases import open_cases
from attendance_desk.pathway.named import Named, named, named_on_roll
from attendance_desk.pathway.periods import (
    SummaryRow,
    complete_weeks,
    pct_text,
    target_text,
    uk_span,
    up_to_yesterday,
    year_start,
)
from attendance_desk.pathway.review import Meeting, current_row, review_of
from attendance_desk.pathway.stages import (
    CLOSED,
    PERIOD_KINDS,
    Pathway,
    Step,
    current_pathway,
    pathway_preset,
)
from attendance_desk.register import stats
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.calendar_store import load_calendar

YEAR_LABEL = "This school year so far"
REVIEW_LABEL = "Review period"


@dataclass(frozen=True)
class LetterDue:
    """One letter the pathway calls for today, for one pupil (one copy per parent)."""

    pupil_id: int
    upn: str
    pupil_name: str
    forename: str
    year: str
    group: str
    pathway: str
    stage: int
    step: str
    label: str
    template: str
    reason: str
    #: Names the occasion, for the Today worklist (stays the same from day to day).
    key: str
    due: date
    case_id: int | None
    #: The review outcome that sending this letter confirms, if any.
    pending_event: str | None
    #: The period that prompted the letter first, then the school year so far.
    summary: tuple[SummaryRow, ...]
    target: float
    #: The school days the letter's target or review period runs after it is sent.
    review_days: int
    #: The meeting the letter proposes (the office may change it before sending).
    meeting: Meeting | None
    #: Tells the pupil apart from a namesake in the lists, beside the group.
    date_of_birth: date | None = None

    @property
    def uid(self) -> str:
        """Unique among all due letters (`key` is unique per pupil)."""
        return f"{self.pupil_id}:{self.key}"

    @property
    def detail(self) -> str:
        """What the Today worklist says about it."""
        return f"{self.label}: {self.reason}"


def letters_due(
    session: Session,
    day: date,
    pathway: Pathway | None = None,
    *,
    pupil_ids: Collection[int] | None = None,
) -> list[LetterDue]:
    """Every letter due on `day` (to pupils of `pupil_ids`, or all), by stage then pupil
    name."""
    pathway = pathway or current_pathway(session)
    calendar = load_calendar(session)
    outcomes = select(ActionOutcome.pupil_id, ActionOutcome.key).where(
        ActionOutcome.kind == ActionKind.LETTER
    )
    if pupil_ids is not None:
        outcomes = outcomes.where(ActionOutcome.pupil_id.in_(pupil_ids))
    closed = {(pupil_id, key) for pupil_id, key in session.execute(outcomes)}
    cases = open_cases(session, pupil_ids)
    found: list[LetterDue] = []
    for case in cases:
        if case.pupil.on_roll(day):
            own = pathway if case.pathway == pathway.key else pathway_preset(case.pathway)
            letter = _case_letter(session, case, own, calendar, day)
            if letter is not None:
                found.append(letter)
    found += _new_letters(session, pathway, calendar, day, {c.pupil_id for c in cases}, pupil_ids)
    return sorted(
        (d for d in found if (d.pupil_id, d.key) not in closed),
        key=lambda d: (d.stage, d.pupil_name, d.key),
    )


def pupils_in_pathway(session: Session) -> set[int]:
    """Pupils with an open case on a letters pathway."""
    return set(session.scalars(select(PathwayCase.pupil_id).where(PathwayCase.closed_on.is_(None))))


def review_days_of(pathway: Pathway, step: Step) -> int:
    """How long the letter's target runs: its own review, or the plan or contract it starts."""
    for _ in range(3):  # the letter itself, or the meeting it calls, then the plan or contract
        if step.review_school_days:
            return step.review_school_days
        after = step.on.get("sent", step.on.get("held", CLOSED))
        if after == CLOSED:
            return 0
        step = pathway.step(after)
        if step.kind not in ("meeting", *PERIOD_KINDS):
            return 0
    return 0


def proposed_meeting(pathway: Pathway, calendar: SchoolCalendar, day: date) -> Meeting:
    """The pathway's usual meeting, `days_ahead` school days after `day`."""
    try:
        when = calendar.add_school_days(day, pathway.meetings.days_ahead)
    except ValueError:
        when = day + timedelta(days=pathway.meetings.days_ahead)
    return Meeting(datetime.combine(when, pathway.meetings.time), pathway.meetings.place)


def _letter(
    pupil: Named,
    pathway: Pathway,
    step: Step,
    calendar: SchoolCalendar,
    *,
    day: date,
    key: str,
    due: date,
    reason: str,
    case_id: int | None,
    pending: str | None,
    summary: tuple[SummaryRow, ...],
    target: float,
) -> LetterDue:
    assert step.template is not None
    return LetterDue(
        pupil_id=pupil.id,
        upn=pupil.upn,
        pupil_name=pupil.name,
        date_of_birth=pupil.date_of_birth,
        forename=pupil.forename,
        year=pupil.year,
        group=pupil.group,
        pathway=pathway.key,
        stage=step.stage,
        step=step.id,
        label=step.label,
        template=step.template,
        reason=reason,
        key=key,
        due=due,
        case_id=case_id,
        pending_event=pending,
        summary=summary,
        target=target,
        review_days=review_days_of(pathway, step),
        meeting=proposed_meeting(pathway, calendar, day) if step.meeting else None,
    )


def _figures(session: Session, pupil_id: int, start: date, end: date) -> stats.Figures:
    if end < start:
        return stats.Figures()
    return stats.pupil_figures(session, start, end, [pupil_id]).get(pupil_id, stats.Figures())


def _year_row(session: Session, pupil_id: int, calendar: SchoolCalendar, day: date) -> SummaryRow:
    start, end = year_start(calendar, day), up_to_yesterday(calendar, day)
    return SummaryRow(YEAR_LABEL, start, end, _figures(session, pupil_id, start, end))


def _last_review(session: Session, case: PathwayCase) -> SummaryRow | None:
    """The most recent completed review period of the case, with its figures."""
    for row in reversed(case.steps):
        if row.period_start and row.period_end and row.outcome is not None:
            figures = _figures(session, case.pupil_id, row.period_start, row.period_end)
            return SummaryRow(REVIEW_LABEL, row.period_start, row.period_end, figures)
    return None


def _case_letter(
    session: Session,
    case: PathwayCase,
    pathway: Pathway,
    calendar: SchoolCalendar,
    day: date,
) -> LetterDue | None:
    row: PathwayStep = current_row(case)
    step = pathway.step(case.state)
    target = pathway.target_pct(session)
    year = _year_row(session, case.pupil_id, calendar, day)
    if step.kind == "letter" and row.done_on is None:
        last = _last_review(session, case)
        return _letter(
            named(case.pupil),
            pathway,
            step,
            calendar,
            key=f"case{case.id}:{row.id}",
            due=row.entered_on,
            reason=row.notes.splitlines()[0] if row.notes else step.label,
            pending=None,
            summary=(last, year) if last else (year,),
            day=day,
            case_id=case.id,
            target=target,
        )
    review = review_of(session, case, pathway, day)
    if review is None or not review.ended or review.improved is not False:
        return None
    after = step.on["not_improved"]
    if after == CLOSED or pathway.step(after).kind != "letter":
        return None
    assert row.period_end is not None
    return _letter(
        named(case.pupil),
        pathway,
        pathway.step(after),
        calendar,
        key=f"case{case.id}:{row.id}:review",
        due=calendar.next_school_day(row.period_end) or day,
        reason=review.describe(),
        pending="not_improved",
        summary=(SummaryRow(REVIEW_LABEL, review.start, review.end, review.figures), year),
        day=day,
        case_id=case.id,
        target=target,
    )


def trigger_window(pathway: Pathway, calendar: SchoolCalendar, day: date) -> tuple[date, date]:
    """The dates the entry letter's trigger measures (an empty window ends before it starts)."""
    weeks = pathway.trigger.window_school_weeks
    if weeks == 0:
        return year_start(calendar, day), up_to_yesterday(calendar, day)
    found = complete_weeks(calendar, day, weeks)
    return found if found else (day, day - timedelta(days=1))


def _window_label(pathway: Pathway, start: date) -> str:
    weeks = pathway.trigger.window_school_weeks
    if weeks == 0:
        return YEAR_LABEL
    if weeks == 1:
        return f"The week beginning {start.day} {start:%B}"
    return f"The last {weeks} school weeks"


def _new_letters(
    session: Session,
    pathway: Pathway,
    calendar: SchoolCalendar,
    day: date,
    open_ids: set[int],
    pupil_ids: Collection[int] | None,
) -> list[LetterDue]:
    start, end = trigger_window(pathway, calendar, day)
    if end < start:
        return []
    scope = None if pupil_ids is None else list(pupil_ids)
    figures = stats.pupil_figures(session, start, end, scope)
    starts = dict.fromkeys(figures, start)
    # Judge a pupil whose case closed inside the window only on what came after it.
    for pupil_id, closed_on in session.execute(
        select(PathwayCase.pupil_id, func.max(PathwayCase.closed_on))
        .where(PathwayCase.closed_on >= start)
        .group_by(PathwayCase.pupil_id)
    ):
        if pupil_id in figures and closed_on is not None:
            starts[pupil_id] = closed_on + timedelta(days=1)
            figures[pupil_id] = _figures(session, pupil_id, starts[pupil_id], end)
    target = pathway.target_pct(session)
    below = {
        pupil_id: f
        for pupil_id, f in figures.items()
        if pupil_id not in open_ids
        and f.possible >= pathway.trigger.min_sessions
        and (pct := f.attendance_pct) is not None
        and pct < target  # unrounded: 95.97 % is below a 96 % target
    }
    if not below:
        return []
    pupils = named_on_roll(session, below, day)
    year_from = year_start(calendar, day)
    weekly = pathway.trigger.window_school_weeks > 0
    year_to = up_to_yesterday(calendar, day)
    year = stats.pupil_figures(session, year_from, year_to, list(below)) if weekly else {}
    step = pathway.step(pathway.entry)
    found = []
    for pupil in pupils:
        f, since = below[pupil.id], starts[pupil.id]
        summary = [SummaryRow(_window_label(pathway, since), since, end, f)]
        if weekly:
            summary.append(SummaryRow(YEAR_LABEL, year_from, year_to, year.get(pupil.id, f)))
        reason = (
            f"attendance {pct_text(f.attendance_pct, target)} between {uk_span(since, end)}, below "
            f"the target of {target_text(target)}"
        )
        found.append(
            _letter(
                pupil,
                pathway,
                step,
                calendar,
                day=day,
                key=f"{pathway.key}:{step.id}:{since.isoformat()}",
                due=day,
                reason=reason,
                case_id=None,
                pending=None,
                summary=tuple(summary),
                target=target,
            )
        )
    return found
