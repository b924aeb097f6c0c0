"""Review periods and "attendance improved?": the register's answer for a case's step.

A letter with a review, a plan, a monitoring period or a contract runs for a number of
school days; when it ends, attendance over it is compared with the pathway's target. That
answer is shown to a person, who confirms it (`cases.confirm_review`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from attendance_desk.models import PathwayCase, PathwayStep
from attendance_desk.pathway.periods import (
    pct_text,
    target_text,
    uk_date,
    uk_long_date,
    uk_span,
    uk_time,
)
from attendance_desk.pathway.stages import Pathway
from attendance_desk.register import stats
from attendance_desk.school.calendar import SchoolCalendar


@dataclass(frozen=True)
class Meeting:
    """When and where a letter invites the parents to meet."""

    at: datetime
    place: str

    def describe(self) -> str:
        return f"{uk_long_date(self.at.date())} at {uk_time(self.at)}, {self.place}"


@dataclass(frozen=True)
class Review:
    """Attendance over a step's review period: "attendance improved?" as the register says."""

    start: date
    #: The last day counted so far (the period's last day once it has ended).
    end: date
    figures: stats.Figures
    target: float
    ended: bool
    #: The period's last day.
    until: date

    @property
    def improved(self) -> bool | None:
        """At or above the target over the period (unrounded: 95.97 % has not reached 96 %);
        None when there were no sessions."""
        pct = self.figures.attendance_pct
        return None if pct is None else pct >= self.target

    def describe(self) -> str:
        if self.end < self.start:
            return (
                f"The review period runs from {uk_date(self.start)} to {uk_date(self.until)} "
                f"(target {target_text(self.target)})"
            )
        verdict = {True: "improved", False: "not improved", None: "no sessions to judge"}
        so_far = "" if self.ended else " so far"
        return (
            f"Attendance {pct_text(self.figures.attendance_pct, self.target)}{so_far} between "
            f"{uk_span(self.start, self.end)} against the target of {target_text(self.target)}: "
            f"{verdict[self.improved]}"
        )


def current_row(case: PathwayCase) -> PathwayStep:
    """The row of the step the case is at (the last one added)."""
    return case.steps[-1]


def review_period(calendar: SchoolCalendar, day: date, school_days: int) -> tuple[date, date]:
    """The `school_days` school days after `day`: a review starts once the letter has gone."""
    try:
        return calendar.add_school_days(day, 1), calendar.add_school_days(day, school_days)
    except ValueError:  # the calendar does not reach that far yet: count weekdays
        start = day + timedelta(days=1)
        return start, start + timedelta(days=(school_days - 1) * 7 // 5)


def review_of(session: Session, case: PathwayCase, pathway: Pathway, day: date) -> Review | None:
    """The review of the case's current step, running or ended; None when it has none."""
    row = current_row(case)
    if row.period_start is None or row.period_end is None or row.outcome is not None:
        return None
    end = min(row.period_end, day)
    figures = stats.Figures()
    if end >= row.period_start:
        found = stats.pupil_figures(session, row.period_start, end, [case.pupil_id])
        figures = found.get(case.pupil_id, figures)
    target = pathway.target_pct(session)
    return Review(row.period_start, end, figures, target, day > row.period_end, row.period_end)
