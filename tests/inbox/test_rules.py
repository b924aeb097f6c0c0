"""The plain rules that read a reason into a code and words into dates and sessions."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from attendance_desk.inbox.dates import Span, read_dates
from attendance_desk.inbox.reasons import read_reason
from attendance_desk.school.calendar import SchoolCalendar
from tests.helpers.builders import CLOSURES, TERMS

CALENDAR = SchoolCalendar(tuple(TERMS), tuple(CLOSURES))
#: Monday 8 September 2025, before school.
MONDAY = datetime(2025, 9, 8, 7, 50)


@pytest.mark.parametrize(
    ("text", "kind", "code"),
    [
        ("Amy is ill today", "report", "I"),
        ("He has been vomitting all night", "report", "I"),
        ("she has a high temprature", "report", "I"),
        ("Tom has a sickness bug", "report", "I"),
        ("Lily is poorly with D&V", "report", "I"),
        ("Dentist appointment at 10", "report", "M"),
        ("Ollie has a hospital appt this afternoon", "report", "M"),
        ("taking her to the doctor's for her jabs", "report", "M"),
        ("He is ill so we are taking him to the doctor", "report", "I"),
        ("We are going on a family holiday to Spain", "leave", None),
        ("Can she have the day off for my sister's wedding?", "leave", None),
        ("Celebrating Eid with family", "report", "R"),
        ("Amy won't be in today", "report", None),
    ],
)
def test_reason_rules(text: str, kind: str, code: str | None) -> None:
    """Illness is I (even with a doctor), appointments M, a holiday or wedding a leave
    request with no code, religious days R; an absence with no reason has no code."""
    reason = read_reason(text)
    assert (reason.kind, reason.code, reason.about_absence) == (kind, code, True)


def test_ok_is_not_about_an_absence() -> None:
    """A reply that says nothing of an absence ("ok", "thanks") proposes nothing."""
    for text in ("ok", "Thanks!", "Ok will do x"):
        assert read_reason(text).about_absence is False


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("ill today", Span(date(2025, 9, 8), "AM", date(2025, 9, 8), "PM")),
        ("off tomorrow", Span(date(2025, 9, 9), "AM", date(2025, 9, 9), "PM")),
        ("off on Wednesday", Span(date(2025, 9, 10), "AM", date(2025, 9, 10), "PM")),
        ("off until Friday", Span(date(2025, 9, 8), "AM", date(2025, 9, 12), "PM")),
        ("back on Thursday", Span(date(2025, 9, 8), "AM", date(2025, 9, 10), "PM")),
        ("dentist this afternoon", Span(date(2025, 9, 8), "PM", date(2025, 9, 8), "PM")),
        ("appointment at 2.15pm", Span(date(2025, 9, 8), "PM", date(2025, 9, 8), "PM")),
        (
            "orthodontist at 9:30, in after lunch",
            Span(date(2025, 9, 8), "AM", date(2025, 9, 8), "AM"),
        ),
        ("off for the rest of the week", Span(date(2025, 9, 8), "AM", date(2025, 9, 12), "PM")),
        ("off for two days", Span(date(2025, 9, 8), "AM", date(2025, 9, 9), "PM")),
        ("ill since Friday", Span(date(2025, 9, 5), "AM", date(2025, 9, 8), "PM")),
        ("holiday 22nd to 26th September", Span(date(2025, 9, 22), "AM", date(2025, 9, 26), "PM")),
        ("away 13/10 - 17/10", Span(date(2025, 10, 13), "AM", date(2025, 10, 17), "PM")),
        ("next Monday", Span(date(2025, 9, 15), "AM", date(2025, 9, 15), "PM")),
    ],
)
def test_date_rules(text: str, span: Span) -> None:
    """Today, tomorrow, weekdays, until, back on, this afternoon, times, whole weeks, a
    number of days, since, and dates written out, from a message on Monday 8 September."""
    assert read_dates(text, MONDAY, CALENDAR) == span


def test_a_message_after_school_is_about_the_next_school_day() -> None:
    """Sent on Friday evening with no date, it is about Monday; sent on Thursday 18th
    evening it skips Friday's INSET day."""
    friday_evening = datetime(2025, 9, 5, 19, 30)
    assert read_dates("not well", friday_evening, CALENDAR).start == date(2025, 9, 8)
    thursday_evening = datetime(2025, 9, 18, 18, 0)
    assert read_dates("not well", thursday_evening, CALENDAR).start == date(2025, 9, 22)


def test_school_sessions_of_a_span_skip_closed_days() -> None:
    """A span over a weekend and an INSET day counts only school sessions."""
    span = Span(date(2025, 9, 18), "PM", date(2025, 9, 22), "AM")
    assert span.sessions(CALENDAR) == [(date(2025, 9, 18), "PM"), (date(2025, 9, 22), "AM")]


def test_a_worry_about_safety_is_said_out_loud() -> None:
    """Words like police, social worker or scared put a note to tell the DSL; an ordinary
    illness does not."""
    from attendance_desk.inbox.reasons import concern

    assert concern("He is scared to come in, the police came round last night") == (
        "mentions 'scared, police': if it is a worry about the child, tell the DSL now"
    )
    assert concern("Amy has a temperature") == ""
