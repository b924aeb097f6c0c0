"""Everything the Reports tab shows for a range, gathered in one call as plain values.

Three passes over the marks: one tally for the range (headline, breakdowns, codes, lists),
one daily pass for the weeks of the year and the weekdays of the range, and one small tally
per half-term of the year for the PA trend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from attendance_desk.figures.breakdowns import (
    Breakdown,
    Headline,
    breakdowns_from,
    compulsory_from,
    headline_from,
    school_target,
)
from attendance_desk.figures.codes_used import CodeUse, codes_used_from
from attendance_desk.figures.lists import AT_RISK_FROM, ConcernLists, concern_lists_from
from attendance_desk.figures.ranges import DateRange
from attendance_desk.figures.tally import range_tally
from attendance_desk.figures.trends import HalfTermPoint, WeekdayPoint, WeekPoint, half_terms
from attendance_desk.figures.trends import time_profile as load_time_profile
from attendance_desk.models import User
from attendance_desk.pupils.directory import school_title
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.term_dates import year_start


@dataclass(frozen=True)
class Report:
    """The figures for `range`, and the year they sit in.

    `weeks` and `half_terms` run from the start of the academic year (or the range, if it
    starts earlier) to the range's end, so the trend is always seen whole; `weekdays`,
    `breakdowns`, `codes` and `lists` cover the range itself.
    """

    range: DateRange
    school_name: str
    headline: Headline
    breakdowns: tuple[Breakdown, ...]
    codes: tuple[CodeUse, ...]
    lists: ConcernLists
    trend_start: date
    weeks: tuple[WeekPoint, ...]
    weekdays: tuple[WeekdayPoint, ...]
    half_terms: tuple[HalfTermPoint, ...]

    def breakdown(self, name: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.name == name)


def load_report(session: Session, start: date, end: date, *, now: datetime, viewer: User) -> Report:
    """All the Reports tab's figures for `start`..`end`, as `viewer` may read them; `now`
    bounds the "last action"."""
    span = DateRange(start, end)
    calendar = load_calendar(session)
    tally = range_tally(session, start, end, watch_from=AT_RISK_FROM)
    trend_start = min(start, year_start(calendar, end))
    profile = load_time_profile(session, weeks=(trend_start, end), weekdays=(start, end))
    return Report(
        range=span,
        school_name=school_title(session) or "School",
        headline=headline_from(tally, school_target(session), compulsory_from(session, tally)),
        breakdowns=tuple(breakdowns_from(session, tally)),
        codes=tuple(codes_used_from(tally)),
        lists=concern_lists_from(
            session, tally, viewer=viewer, up_to=min(now, datetime.combine(end, time.max))
        ),
        trend_start=trend_start,
        weeks=profile.weeks,
        weekdays=profile.weekdays,
        half_terms=tuple(half_terms(session, calendar, trend_start, end)),
    )
