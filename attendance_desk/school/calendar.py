"""School days, absence day counts and school weeks, as pure functions of a calendar.

Every follow-up rule counts *school* days ("day 3 of this absence", "N older than 5 school
days"), never calendar days, so weekends, half-terms, INSET days and bank holidays must all
be skipped. `SchoolCalendar` is an immutable value built from terms and closures; the
database loader lives in `calendar_store`, so everything here is testable on any calendar.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

SESSIONS: tuple[str, str] = ("AM", "PM")
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Period:
    """A named span of dates, both ends included (a term or a closure)."""

    start: date
    end: date
    name: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"{self.name or 'period'} ends {self.end} before it starts {self.start}"
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class SchoolCalendar:
    """Terms (each a half-term in England) less closures; weekdays only.

    The sorted tuple of school days is computed once, so day arithmetic is a binary search.
    """

    terms: tuple[Period, ...]
    closures: tuple[Period, ...] = ()
    _days: tuple[date, ...] = field(init=False, repr=False, compare=False)
    _starts: list[date] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        terms = tuple(sorted(self.terms, key=lambda t: t.start))
        for earlier, later in zip(terms, terms[1:], strict=False):
            if later.start <= earlier.end:
                raise ValueError(f"terms '{earlier.name}' and '{later.name}' overlap")
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "_starts", [t.start for t in terms])
        object.__setattr__(self, "_days", tuple(_open_days(terms, self.closures)))

    @property
    def days(self) -> tuple[date, ...]:
        """Every school day, in order."""
        return self._days

    @property
    def first_day(self) -> date | None:
        return self._days[0] if self._days else None

    @property
    def last_day(self) -> date | None:
        return self._days[-1] if self._days else None

    def is_school_day(self, day: date) -> bool:
        i = bisect.bisect_left(self._days, day)
        return i < len(self._days) and self._days[i] == day

    def school_days(self, start: date, end: date) -> tuple[date, ...]:
        """School days from `start` to `end`, both included."""
        lo = bisect.bisect_left(self._days, start)
        hi = bisect.bisect_right(self._days, end)
        return self._days[lo:hi]

    def count_school_days(self, start: date, end: date, *, skip: Collection[date] = ()) -> int:
        """School days from `start` to `end`, both included, less those in `skip` (days that
        were not school days for a pupil: an unexpected closure, no possible session)."""
        count = bisect.bisect_right(self._days, end) - bisect.bisect_left(self._days, start)
        return count - sum(1 for d in skip if start <= d <= end and self.is_school_day(d))

    def school_day_number(self, first: date, day: date, *, skip: Collection[date] = ()) -> int:
        """Which school day of an absence `day` is, when the absence began on `first`.

        The first school day is day 1; a weekend, holiday or a day in `skip` in between
        does not count, and does not end the absence. A `first` that is not itself a school
        day counts from the next school day.
        """
        if day < first:
            raise ValueError(f"{day} is before the absence began on {first}")
        return self.count_school_days(first, day, skip=skip)

    def add_school_days(self, day: date, n: int, *, skip: Collection[date] = ()) -> date:
        """The school day `n` school days after `day` (before it, for negative `n`).

        `n == 0` gives `day` itself, or the next school day when `day` is a holiday. Days in
        `skip` are not counted. Raises `ValueError` when the calendar does not reach that far.
        """
        if skip:
            return self._add_skipping(day, n, frozenset(skip))
        if n > 0:
            i = bisect.bisect_right(self._days, day) + n - 1
        else:
            i = bisect.bisect_left(self._days, day) + n
        if not 0 <= i < len(self._days):
            raise ValueError(f"the school calendar does not reach {n} school days from {day}")
        return self._days[i]

    def _add_skipping(self, day: date, n: int, skip: frozenset[date]) -> date:
        found = self.add_school_days(day, 0) if n == 0 else day
        step = 1 if n >= 0 else -1
        left = abs(n)
        while left or found in skip:
            found = self.add_school_days(found, step)
            if found not in skip:
                left = max(left - 1, 0)
        return found

    def previous_school_day(self, day: date) -> date | None:
        i = bisect.bisect_left(self._days, day)
        return self._days[i - 1] if i > 0 else None

    def next_school_day(self, day: date) -> date | None:
        i = bisect.bisect_right(self._days, day)
        return self._days[i] if i < len(self._days) else None

    def term_of(self, day: date) -> Period | None:
        """The term (half-term) containing `day`, if any."""
        i = bisect.bisect_right(self._starts, day) - 1
        if i >= 0 and day in self.terms[i]:
            return self.terms[i]
        return None

    def school_weeks(self, start: date, end: date) -> list[date]:
        """Mondays of the weeks between `start` and `end` with at least one school day."""
        mondays: list[date] = []
        for d in self.school_days(start, end):
            monday = d - timedelta(days=d.weekday())
            if not mondays or mondays[-1] != monday:
                mondays.append(monday)
        return mondays

    def rolling_window_start(self, day: date, weeks: int) -> date:
        """First school day of the `weeks` school weeks that end with `day`'s week.

        Penalty-notice thresholds count sessions in "a rolling 10 school weeks": weeks with
        no school day (holidays) are skipped, not counted. With no school day up to `day`,
        the window starts at `day`.
        """
        mondays = self.school_weeks(self.first_day or day, day)
        if not mondays:
            return day
        return self.school_days(mondays[-weeks:][0], day)[0]


def _open_days(terms: tuple[Period, ...], closures: Iterable[Period]) -> Iterator[date]:
    """Weekdays of the (sorted, separate) terms outside every closure, in order.

    Walks the terms once beside the closures merged into separate spans, so the work grows
    with the school days, not with how long a closure is (one ending in 9999 costs nothing).
    """
    spans: list[tuple[date, date]] = []
    for c in sorted(closures, key=lambda c: c.start):
        if spans and (c.start - spans[-1][1]).days <= 1:
            spans[-1] = (spans[-1][0], max(spans[-1][1], c.end))
        else:
            spans.append((c.start, c.end))
    i = 0
    for term in terms:
        day = term.start
        while day <= term.end:
            while i < len(spans) and spans[i][1] < day:
                i += 1
            if i < len(spans) and spans[i][0] <= day:
                if spans[i][1] >= term.end:
                    break
                day = spans[i][1] + ONE_DAY
                continue
            if day.weekday() < 5:
                yield day
            if day == date.max:
                break
            day += ONE_DAY


def sessions_between(
    calendar: SchoolCalendar, start: date, end: date
) -> Iterable[tuple[date, str]]:
    """Every (day, session) pair the register is taken for between two dates."""
    for d in calendar.school_days(start, end):
        for s in SESSIONS:
            yield d, s
