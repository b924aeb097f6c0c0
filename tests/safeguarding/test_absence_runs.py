"""Absences read as runs: dates, sessions and codes in one line each."""

from __future__ import annotations

from datetime import date

from attendance_desk.safeguarding.absence_runs import AbsenceRun, absence_runs

NOV = [date(2026, 11, d) for d in (25, 26, 27, 30)] + [date(2026, 12, d) for d in (1, 2, 3, 4)]


def _both(day: date, am: str, pm: str) -> list[tuple[date, str, str]]:
    return [(day, "AM", am), (day, "PM", pm)]


def test_a_run_across_a_weekend_is_one_line() -> None:
    """Eight school days of O then N, over a weekend, are "Wed 25 Nov – Fri 4 Dec, 16
    sessions, O then N"; a present session before it starts a new run."""
    marks = _both(date(2026, 11, 24), "O", "/")
    for day in NOV:
        marks += _both(day, "O", "O") if day < date(2026, 12, 1) else _both(day, "N", "N")
    runs = absence_runs(marks)
    assert [r.describe() for r in runs] == [
        "Wed 25 Nov – Fri 4 Dec, 16 sessions, O then N",
        "Tue 24 Nov, 1 session, O",
    ]


def test_codes_are_named_once_in_the_order_they_came() -> None:
    """O, N, O, I reads "O then N then I"; present marks and lates between end a run."""
    day = date(2026, 11, 2)
    marks = [*_both(day, "O", "N"), *_both(date(2026, 11, 3), "O", "I")]
    assert absence_runs(marks) == [AbsenceRun(day, date(2026, 11, 3), 4, ("O", "N", "I"))]
    assert absence_runs([*_both(day, "O", "L"), *_both(date(2026, 11, 3), "/", "\\")]) == [
        AbsenceRun(day, day, 1, ("O",))
    ]
    assert absence_runs([]) == []
