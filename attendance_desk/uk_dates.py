"""How dates are written for an English school office, in one place.

In running text and tables a date reads "Mon 7 Dec 2026" (no leading zero, the year shown
unless the context makes it plain); in an editor it is typed and shown as 07/12/2026. Every
screen, printout and message takes its dates from here, so no dialog shows "7 12 2026"
beside a report showing 2026-12-07.
"""

from __future__ import annotations

from datetime import date, datetime

#: Qt's display format for date editors (QDateEdit.setDisplayFormat): `07/12/2026`.
EDITOR_FORMAT = "dd/MM/yyyy"
#: The same with a time, for date-and-time editors: `07/12/2026 09:40`.
EDITOR_TIME_FORMAT = "dd/MM/yyyy HH:mm"


def day_text(day: date, *, year: bool = True) -> str:
    """`Mon 7 Dec 2026`, or `Mon 7 Dec` with `year=False`."""
    text = f"{day:%a} {day.day} {day:%b}"
    return f"{text} {day.year}" if year else text


def plain_date(day: date) -> str:
    """`1 May 2017`: a date for which the weekday means nothing, such as a birthday."""
    return f"{day.day} {day:%b %Y}"


def letter_date(day: date) -> str:
    """`8 September 2025`, as an English letter is dated."""
    return f"{day.day} {day:%B %Y}"


def full_day(day: date, *, year: bool = True) -> str:
    """`Monday 7 December 2026` (a heading or a letter), `Monday 7 December` without year."""
    text = f"{day:%A} {day.day} {day:%B}"
    return f"{text} {day.year}" if year else text


def numeric(day: date) -> str:
    """`07/12/2026`, as typed in an editor or printed in a form's box."""
    return f"{day:%d/%m/%Y}"


def moment_text(moment: datetime, *, year: bool = True) -> str:
    """`Mon 7 Dec 2026 09:40`."""
    return f"{day_text(moment.date(), year=year)} {moment:%H:%M}"


def span_text(start: date, end: date, *, year: bool = True) -> str:
    """`Wed 25 Nov – Fri 4 Dec 2026`; one day is just that day; the year once when shared
    (or not at all with `year=False`, where the context says which year)."""
    if start == end:
        return day_text(start, year=year)
    first = day_text(start, year=year and start.year != end.year)
    return f"{first} – {day_text(end, year=year)}"
