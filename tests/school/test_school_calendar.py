"""School-day arithmetic on any calendar (hypothesis) and on England's typical year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attendance_desk.school.calendar import Period, SchoolCalendar
from attendance_desk.school.term_dates import typical_closures, typical_terms
from tests.helpers.builders import CLOSURES, TERMS

FIXED = SchoolCalendar(tuple(TERMS), tuple(CLOSURES))


@st.composite
def calendars(draw: st.DrawFn) -> SchoolCalendar:
    """Up to six non-overlapping terms with random closures inside them."""
    start = draw(st.dates(date(2020, 1, 1), date(2030, 1, 1)))
    terms: list[Period] = []
    for i in range(draw(st.integers(1, 6))):
        start += timedelta(days=draw(st.integers(1, 20)))
        end = start + timedelta(days=draw(st.integers(0, 60)))
        terms.append(Period(start, end, f"T{i}"))
        start = end
    closures = []
    for _ in range(draw(st.integers(0, 6))):
        term = draw(st.sampled_from(terms))
        day = term.start + timedelta(days=draw(st.integers(0, (term.end - term.start).days)))
        closures.append(Period(day, day, "closure"))
    return SchoolCalendar(tuple(terms), tuple(closures))


@given(calendars())
def test_school_days_are_weekdays_in_terms_not_closed(cal: SchoolCalendar) -> None:
    """Every school day is a weekday inside a term and outside every closure."""
    for d in cal.days:
        assert d.weekday() < 5
        assert any(d in t for t in cal.terms)
        assert not any(d in c for c in cal.closures)
    assert list(cal.days) == sorted(set(cal.days))


@given(calendars(), st.data())
def test_add_then_count_round_trips(cal: SchoolCalendar, data: st.DataObject) -> None:
    """Adding n school days to day 1 of an absence lands on its day n+1."""
    if len(cal.days) < 2:
        return
    i = data.draw(st.integers(0, len(cal.days) - 1))
    n = data.draw(st.integers(0, len(cal.days) - 1 - i))
    first = cal.days[i]
    later = cal.add_school_days(first, n)
    assert cal.school_day_number(first, later) == n + 1
    assert cal.add_school_days(later, -n) == first


@given(calendars(), st.dates(date(2019, 1, 1), date(2031, 1, 1)))
def test_next_and_previous_bracket_any_day(cal: SchoolCalendar, day: date) -> None:
    """The next school day is after `day`, the previous before, with none in between."""
    nxt, prev = cal.next_school_day(day), cal.previous_school_day(day)
    if nxt is not None:
        assert nxt > day and cal.count_school_days(day + timedelta(days=1), nxt) == 1
    if prev is not None:
        assert prev < day and cal.count_school_days(prev, day - timedelta(days=1)) == 1


@given(calendars())
def test_school_weeks_cover_every_school_day(cal: SchoolCalendar) -> None:
    """Each school day falls in exactly one listed school week, and no week is empty."""
    if not cal.days:
        return
    weeks = cal.school_weeks(cal.days[0], cal.days[-1])
    assert all(w.weekday() == 0 for w in weeks)
    for d in cal.days:
        assert d - timedelta(days=d.weekday()) in weeks
    for w in weeks:
        assert cal.count_school_days(w, w + timedelta(days=6)) >= 1


def test_day_numbers_skip_weekend_inset_and_half_term() -> None:
    """An absence from Thursday 18 Sept: Friday is INSET, so Monday 22nd is day 2."""
    first = date(2025, 9, 18)
    assert FIXED.school_day_number(first, date(2025, 9, 22)) == 2
    assert FIXED.add_school_days(first, 1) == date(2025, 9, 22)
    # Friday 24 October then half-term: the next school day is Monday 3 November.
    assert FIXED.next_school_day(date(2025, 10, 24)) == date(2025, 11, 3)
    assert FIXED.school_day_number(date(2025, 10, 23), date(2025, 11, 3)) == 3


def test_calendar_edges_raise() -> None:
    """Day arithmetic past the end of the calendar says so instead of guessing."""
    with pytest.raises(ValueError, match="does not reach"):
        FIXED.add_school_days(date(2025, 12, 19), 1)
    with pytest.raises(ValueError, match="before the absence began"):
        FIXED.school_day_number(date(2025, 9, 10), date(2025, 9, 9))


def test_term_of_gives_the_half_term() -> None:
    """Persistent lateness counts per half-term: find the term of a date."""
    assert FIXED.term_of(date(2025, 11, 5)).name == "Autumn 2"  # type: ignore[union-attr]
    assert FIXED.term_of(date(2025, 10, 28)) is None


def test_rolling_window_skips_holiday_weeks() -> None:
    """Ten school weeks back from 19 December skip the half-term week."""
    start = FIXED.rolling_window_start(date(2025, 12, 19), 10)
    assert start == date(2025, 10, 6)


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_typical_year_looks_like_england(year: int) -> None:
    """Six half-terms, about 190 teaching days, and bank holidays inside terms closed."""
    terms = typical_terms(year)
    cal = SchoolCalendar(tuple(terms), tuple(typical_closures(terms)))
    assert len(terms) == 6
    assert 185 <= len(cal.days) <= 195
    assert terms[0].start.month == 9 and terms[-1].end.month == 7
    may_day = next(d for d in [date(year + 1, 5, x) for x in range(1, 8)] if d.weekday() == 0)
    assert not cal.is_school_day(may_day)


@given(calendars(), st.lists(st.tuples(st.integers(-30, 400), st.integers(0, 90)), max_size=8))
def test_long_and_overlapping_closures_close_exactly_their_days(
    cal: SchoolCalendar, spans: list[tuple[int, int]]
) -> None:
    """With closures of any length, overlapping or reaching past the terms, the school days
    are exactly the terms' weekdays that no closure covers."""
    first = cal.terms[0].start
    closures = tuple(
        Period(first + timedelta(days=at), first + timedelta(days=at + n), "c") for at, n in spans
    )
    found = SchoolCalendar(cal.terms, closures).days
    wanted = [
        t.start + timedelta(days=i) for t in cal.terms for i in range((t.end - t.start).days + 1)
    ]
    assert list(found) == [
        d for d in wanted if d.weekday() < 5 and not any(d in c for c in closures)
    ]


def test_a_closure_to_the_end_of_time_costs_nothing() -> None:
    """A closure ending 31/12/9999 closes the rest of the term without walking to 9999."""
    closure = Period(date(2025, 10, 1), date.max, "forever")
    cal = SchoolCalendar(tuple(TERMS), (closure,))
    assert cal.last_day == date(2025, 9, 30)
