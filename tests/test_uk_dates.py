"""Dates are written the UK way from one place: "Mon 7 Dec 2026" in text, 07/12/2026 typed."""

from __future__ import annotations

from datetime import date, datetime

from attendance_desk.figures.formatting import short_date
from attendance_desk.figures.ranges import DateRange
from attendance_desk.printing.base import long_date
from attendance_desk.uk_dates import (
    day_text,
    full_day,
    moment_text,
    numeric,
    plain_date,
    span_text,
)

DAY = date(2026, 12, 7)


def test_text_forms_have_no_leading_zero() -> None:
    """Mon 7 Dec 2026 in text, Monday 7 December 2026 in headings, 07/12/2026 in editors."""
    assert day_text(DAY) == "Mon 7 Dec 2026"
    assert day_text(DAY, year=False) == "Mon 7 Dec"
    assert full_day(DAY) == "Monday 7 December 2026"
    assert numeric(DAY) == "07/12/2026"
    assert plain_date(date(2017, 5, 1)) == "1 May 2017"
    assert moment_text(datetime(2026, 12, 7, 9, 5)) == "Mon 7 Dec 2026 09:05"


def test_spans_say_the_year_once() -> None:
    """A span shares its year; across New Year both ends carry one; one day is that day."""
    assert span_text(date(2026, 11, 25), date(2026, 12, 4)) == "Wed 25 Nov – Fri 4 Dec 2026"
    assert span_text(date(2026, 12, 21), date(2027, 1, 5)) == "Mon 21 Dec 2026 – Tue 5 Jan 2027"
    assert span_text(DAY, DAY) == "Mon 7 Dec 2026"


def test_reports_and_printouts_use_the_same_forms() -> None:
    """The figures, report ranges and printed documents take their dates from here."""
    assert short_date(DAY) == day_text(DAY, year=False)
    assert long_date(DAY) == full_day(DAY)
    assert DateRange(date(2026, 11, 30), DAY).describe() == "Mon 30 Nov – Mon 7 Dec 2026"
