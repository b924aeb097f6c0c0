"""What goes in the weekly SLT pack (docs/rules.md#weekly-reports: the weekly SLT meeting
and weekly analysis of attendance below 90 %), gathered as plain values for `slt_pack` to print.

The week is a school week, Monday to Friday, read up to the end of the week or `now` if the
week is still going. The pack sets the week beside the year so far: the headline, the weekly
trend, year groups, PA by half-term, the PA list with each pupil's week, the worklist still
open, safe-and-well checks finished, and letters sent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.figures.breakdowns import (
    Breakdown,
    Headline,
    breakdowns_from,
    compulsory_from,
    headline_from,
)
from attendance_desk.figures.breakdowns import school_target as load_target
from attendance_desk.figures.lists import AT_RISK_FROM, ListedPupil, concern_lists_from
from attendance_desk.figures.ranges import DateRange
from attendance_desk.figures.tally import Summary, range_tally
from attendance_desk.figures.trends import HalfTermPoint, WeekPoint, half_terms, time_profile
from attendance_desk.followup.kinds import ORDER
from attendance_desk.followup.rules import KIND_LABELS, actions_for_day
from attendance_desk.models import LetterLog, Pupil, RegGroup, SafeAndWellCheck, User
from attendance_desk.pupils.directory import school_title
from attendance_desk.safeguarding.redaction import RESTRICTED, action_label, sees_safeguarding
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.term_dates import year_start

#: "Should attendance remain below 90% over a one-week period…" (docs/rules.md#letters).
WEEKLY_LINE = 90.0
DECISIONS = {"visit_today": "Visit today", "not_today": "Not today"}
OUTCOMES = {
    "seen_safe": "Child seen and safe",
    "seen_concerns": "Seen, with concerns",
    "not_seen": "No answer / not seen",
}


@dataclass(frozen=True, slots=True)
class ActionCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class CheckDone:
    """A safe-and-well check finished in the week."""

    pupil: str
    group: str
    finished_at: datetime
    decision: str
    outcome: str
    by: str


@dataclass(frozen=True, slots=True)
class LetterSent:
    """A letter sent in the week (filled by the letters feature; see `letters_sent`)."""

    pupil: str
    letter: str
    sent_on: date
    to: str


@dataclass(frozen=True)
class WeeklyPack:
    """Everything the weekly SLT pack prints."""

    school_name: str
    week: DateRange
    as_of: date
    target: float
    this_week: Summary
    #: This week's figures for pupils of compulsory school age only (as the DfE publishes).
    this_week_compulsory: Summary
    year: Headline
    below_line_this_week: int
    weeks: tuple[WeekPoint, ...]
    year_groups_week: Breakdown
    year_groups_year: Breakdown
    half_terms: tuple[HalfTermPoint, ...]
    persistent: tuple[ListedPupil, ...]
    week_attendance: dict[int, float | None]
    actions_on: date
    actions: tuple[ActionCount, ...]
    checks: tuple[CheckDone, ...]
    letters: tuple[LetterSent, ...]

    @property
    def actions_total(self) -> int:
        return sum(a.count for a in self.actions)


def _below_line(summary: Summary) -> bool:
    """Attendance under 90 % (the weekly trigger for the first letter, docs/rules.md#letters)."""
    f = summary.figures
    return (f.authorised + f.unauthorised) * 100 > (100 - WEEKLY_LINE) * f.possible


def letters_sent(session: Session, start: date, end: date) -> list[LetterSent]:
    """Letters sent between two dates (whole days), oldest first, from the letters log."""
    rows = session.execute(
        select(LetterLog.sent_at, LetterLog.title, LetterLog.recipient_name, Pupil)
        .join(Pupil, Pupil.id == LetterLog.pupil_id)
        .where(
            LetterLog.sent_at >= datetime.combine(start, time.min),
            LetterLog.sent_at <= datetime.combine(end, time.max),
        )
        .order_by(LetterLog.sent_at)
    )
    return [
        LetterSent(pupil.display_name, title, sent_at.date(), recipient)
        for sent_at, title, recipient, pupil in rows
    ]


def checks_done(session: Session, start: date, end: date, *, viewer: User) -> list[CheckDone]:
    """Safe-and-well checks finished between two dates (whole days), in order; the decision
    and outcome only for a `viewer` who may read them."""
    full = sees_safeguarding(viewer)
    rows = session.execute(
        select(SafeAndWellCheck, Pupil, RegGroup.name)
        .join(Pupil, Pupil.id == SafeAndWellCheck.pupil_id)
        .join(RegGroup, RegGroup.id == Pupil.reg_group_id)
        .where(
            SafeAndWellCheck.finished_at >= datetime.combine(start, time.min),
            SafeAndWellCheck.finished_at <= datetime.combine(end, time.max),
        )
        .order_by(SafeAndWellCheck.finished_at)
    )
    return [
        CheckDone(
            pupil=pupil.display_name,
            group=group,
            finished_at=check.finished_at or check.started_at,
            decision=DECISIONS.get(check.decision or "", "No decision recorded") if full else "—",
            outcome=OUTCOMES.get(check.outcome or "", "No visit") if full else RESTRICTED,
            by=check.decided_by or check.started_by,
        )
        for check, pupil, group in rows
    ]


def outstanding_actions(session: Session, day: date, *, viewer: User) -> list[ActionCount]:
    """How many worklist actions of each kind are open on `day` (kinds with none left out);
    for a `viewer` who may not see safeguarding detail the DSL's kinds count as one."""
    counts = Counter(a.kind for a in actions_for_day(session, day))
    order = [*ORDER, *sorted(set(counts) - set(ORDER))]
    by_label: dict[str, ActionCount] = {}
    for kind in (k for k in order if counts[k]):
        label = action_label(kind, KIND_LABELS.get(kind, kind), viewer)
        before = by_label.get(label)
        total = counts[kind] + (before.count if before else 0)
        by_label[label] = ActionCount(before.kind if before else kind, label, total)
    return list(by_label.values())


def gather_weekly(
    session: Session, week_monday: date, now: datetime, *, viewer: User
) -> WeeklyPack:
    """The pack's contents for the school week starting `week_monday` (any day of the week
    is taken back to its Monday), read up to the end of that week or `now`, as `viewer` may
    read them."""
    monday = week_monday - timedelta(days=week_monday.weekday())
    friday = monday + timedelta(days=4)
    as_of = max(monday, min(friday, now.date()))
    calendar = load_calendar(session)
    target = load_target(session)
    first = min(year_start(calendar, as_of), monday)
    week_tally = range_tally(
        session, monday, as_of, groupings=("year_group",), with_codes=False, watch_from=0.0
    )
    year_tally = range_tally(
        session, first, as_of, groupings=("year_group",), with_codes=False, watch_from=AT_RISK_FROM
    )
    persistent = concern_lists_from(
        session, year_tally, viewer=viewer, up_to=min(now, datetime.combine(as_of, time.max))
    ).persistent
    profile = time_profile(session, weeks=(first, as_of), weekdays=None)
    actions_on = (
        as_of if calendar.is_school_day(as_of) else (calendar.previous_school_day(as_of) or as_of)
    )
    return WeeklyPack(
        school_name=school_title(session) or "School",
        week=DateRange(monday, friday),
        as_of=as_of,
        target=target,
        this_week=week_tally.school,
        this_week_compulsory=compulsory_from(session, week_tally),
        year=headline_from(year_tally, target, compulsory_from(session, year_tally)),
        below_line_this_week=sum(1 for s in week_tally.pupils.values() if _below_line(s)),
        weeks=profile.weeks,
        year_groups_week=breakdowns_from(session, week_tally)[0],
        year_groups_year=breakdowns_from(session, year_tally)[0],
        half_terms=tuple(half_terms(session, calendar, first, as_of)),
        persistent=persistent,
        week_attendance={
            p.pupil_id: week_tally.pupils[p.pupil_id].attendance_pct
            if p.pupil_id in week_tally.pupils
            else None
            for p in persistent
        },
        actions_on=actions_on,
        actions=tuple(outstanding_actions(session, actions_on, viewer=viewer)),
        checks=tuple(checks_done(session, monday, monday + timedelta(days=6), viewer=viewer)),
        letters=tuple(letters_sent(session, monday, monday + timedelta(days=6))),
    )
