"""Compulsory school age, and the one attendance code that depends on it: `X`.

Education Act 1996 s8: a child begins to be of compulsory school age on the prescribed day
on or after their fifth birthday (31 December, 31 March or 31 August: the Education (Start
of Compulsory School Age) Order 1998), and stops at the end of the school leaving date (the
last Friday in June) of the school year in which they turn 16 (the Education (School
Leaving Date) Order 1997). `X` means "not of compulsory school age, not required to attend"
(the 2024 code set), so it is refused for a pupil who is of compulsory school age that day.

The register grid, the marks CSV import and the CTF import all ask `code_problem`.
"""

from __future__ import annotations

from datetime import date, timedelta

from attendance_desk.uk_dates import day_text, plain_date

NOT_COMPULSORY_AGE = "X"
#: (month, day) of the prescribed days, in calendar order.
PRESCRIBED_DAYS = ((3, 31), (8, 31), (12, 31))


def _birthday(born: date, age: int) -> date:
    """The day a child born on `born` turns `age` (28 February for a 29 February birthday)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return date(born.year + age, 2, 28)


def starts(born: date) -> date:
    """The first day of compulsory school age: the fifth birthday if it is a prescribed day,
    otherwise the next prescribed day."""
    fifth = _birthday(born, 5)
    return next(
        date(fifth.year, month, day)
        for month, day in PRESCRIBED_DAYS
        if (fifth.month, fifth.day) <= (month, day)
    )


def last_friday_of_june(year: int) -> date:
    end = date(year, 6, 30)
    return end - timedelta(days=(end.weekday() - 4) % 7)


def ends(born: date) -> date:
    """The last day of compulsory school age: the last Friday in June of the school year
    (September to August) in which the child turns 16."""
    sixteenth = _birthday(born, 16)
    school_year_ends = sixteenth.year + (1 if sixteenth.month >= 9 else 0)
    return last_friday_of_june(school_year_ends)


def is_compulsory_school_age(born: date, day: date) -> bool:
    return starts(born) <= day <= ends(born)


def code_problem(code: str, born: date, day: date, who: str = "the pupil") -> str | None:
    """Why `code` cannot be recorded for a pupil born on `born` on `day`, or None."""
    if code != NOT_COMPULSORY_AGE or not is_compulsory_school_age(born, day):
        return None
    return (
        f"X (not of compulsory school age) cannot be used for {who} on {day_text(day)}: "
        f"born {plain_date(born)}, of compulsory school age from {plain_date(starts(born))} to "
        f"{plain_date(ends(born))}; record the absence with its reason code"
    )
