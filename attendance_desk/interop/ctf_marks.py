"""AttendMarks: a year's session marks as one string, written and read the same way.

Every calendar day from AttendStartDate takes two places, AM then PM, weekends and
holidays included, so a place maps to its date without the sending school's calendar;
`-` is a session with no mark (not a school day, not on roll, or nothing recorded). A
two-character 2024 code (`C1`, `J1`, `Y7`…) takes two characters: a digit always belongs
to the letter before it, and no code is a digit alone. Pre-2024 codes (`H`, `J`, `Y`…) are
kept as recorded on days before the 2024 code set, and read through `codes.LEGACY_MAPPING`
after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from attendance_desk.catalogues import codes
from attendance_desk.interop.errors import Problems

NO_MARK = "-"
SESSIONS = ("AM", "PM")
#: A YearData covers one academic year: at most this many places, and dates in these years.
MOST_PLACES = 2 * 366
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
#: Unreadable places reported for one AttendMarks before the rest are only counted.
SHOWN_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class SessionMark:
    """One decoded session; `legacy_from` is the pre-2024 code it replaced, if any."""

    day: date
    session: str
    code: str
    legacy_from: str | None


def encode_marks(marks: dict[tuple[date, str], str], first: date, last: date) -> str:
    """AM then PM of every calendar day from `first` to `last`, `-` where there is no mark."""
    out: list[str] = []
    day = first
    while day <= last:
        out += [marks.get((day, session), NO_MARK) for session in SESSIONS]
        day += timedelta(days=1)
    return "".join(out)


def decode_marks(
    text: str, start: date | None, *, line: int, problems: Problems
) -> list[SessionMark]:
    """The marked sessions of `text`; each unreadable place is a problem on `line`."""
    if not text:
        return []
    if start is None:
        problems.add(line, "AttendStartDate", "required with AttendMarks, but missing")
        return []
    if not FIRST_DAY <= start <= LAST_DAY:
        problems.add(line, "AttendStartDate", f"{start} is not a date of a school year")
        return []
    tokens = list(_tokens(text))
    if len(tokens) > MOST_PLACES:
        problems.add(
            line,
            "AttendMarks",
            f"{len(tokens):,} sessions, more than the {MOST_PLACES} of one academic year",
        )
        return []
    marks: list[SessionMark] = []
    unread = 0
    for place, token in enumerate(tokens):
        day = start + timedelta(days=place // 2)
        session = SESSIONS[place % 2]
        if token == NO_MARK:
            continue
        mapped = codes.map_legacy(token, day)  # kept as recorded before the 2024 code set
        try:
            codes.lookup(mapped, day)
        except codes.UnknownCode:
            unread += 1
            if unread <= SHOWN_PROBLEMS:
                problems.add(
                    line,
                    "AttendMarks",
                    f"'{token}' for {day} {session} (place {place + 1}) is not an attendance code",
                )
            continue
        marks.append(SessionMark(day, session, mapped, token if mapped != token else None))
    if unread > SHOWN_PROBLEMS:
        problems.add(line, "AttendMarks", f"… and {unread - SHOWN_PROBLEMS} more places like these")
    return marks


def _tokens(text: str) -> Iterable[str]:
    i = 0
    while i < len(text):
        size = 2 if i + 1 < len(text) and text[i + 1].isdigit() else 1
        yield text[i : i + size]
        i += size
