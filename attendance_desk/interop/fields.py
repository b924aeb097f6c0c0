"""Turning CSV cells into values, with messages that say what the cell should hold."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from attendance_desk.csv_files import FORMULA_START
from attendance_desk.interop.csv_io import Row
from attendance_desk.interop.errors import InteropError, Problems, shorten
from attendance_desk.roll.identity import SEXES, BadUpn, valid_upn
from attendance_desk.school import setup as school_setup
from attendance_desk.school.calendar import SchoolCalendar

T = TypeVar("T")

_SEX_WORDS = {"MALE": "M", "FEMALE": "F", "UNKNOWN": "U", "NOT KNOWN": "U", "NOT RECORDED": "U"}
YEAR_CODES = tuple(code for code, _ in school_setup.YEAR_GROUPS)

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_UK_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_WHOLE = re.compile(r"[0-9]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: A number with its country code or a dash first: digits, spaces, brackets, dots, dashes.
_PHONE_SIGNED = re.compile(r"[+-][0-9][0-9 ().-]*")
#: How MISs write a year group, beyond our own codes: "Year 3", "Yr 3", "Y3", "Reception".
_YEAR_WORDS = re.compile(r"(?:year|yr|y|nc year|ncy)\s*([0-9]{1,2})", re.IGNORECASE)
_YEAR_NAMES = {name.upper(): code for code, name in school_setup.YEAR_GROUPS}


#: Characters that make text print or read differently from what it says: line breaks,
#: control characters, and the bidirectional controls that can reverse a name on screen.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


_LINE_BREAKS = re.compile("[\r\n]")


class FieldError(InteropError):
    """A cell that cannot be read; the message says what was expected."""


def unprintable(text: str) -> str | None:
    """Why `text` cannot go into a name, a letter or a CTF (None when it can)."""
    found = _UNPRINTABLE.search(text)
    if found is None:
        return None
    char = found.group()
    if char in "\n\r\u2028\u2029":
        return "holds a line break; write it on one line"
    if char == "\t":
        return "holds a tab; write it with spaces"
    if char in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        return (
            f"holds a text-direction control (U+{ord(char):04X}), which can make it read "
            "differently on screen and in letters; retype it"
        )
    return f"holds a control character (U+{ord(char):04X}), which cannot be printed; retype it"


def iso_date(text: str) -> date:
    """A date written `YYYY-MM-DD`; anything else, or a day that does not exist, is refused."""
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        raise FieldError(f"'{text}' is not a date; write dates as YYYY-MM-DD")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise FieldError(f"impossible date {text} ({exc})") from None


def mis_date(text: str) -> date:
    """A date as an MIS exports it: `YYYY-MM-DD`, or the UK's `DD/MM/YYYY`.

    Only these two: a school's MIS in England writes one or the other, and accepting
    anything looser (such as US month-first dates) would read some dates wrongly.
    """
    match = _UK_DATE.fullmatch(text)
    if match is None:
        if _ISO_DATE.fullmatch(text) is None:
            raise FieldError(f"'{text}' is not a date; write dates as YYYY-MM-DD or DD/MM/YYYY")
        return iso_date(text)
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise FieldError(f"impossible date {text} ({exc})") from None


def year_code(text: str) -> str:
    """A National Curriculum year as our code (`R`, `3`…), from `3`, `Year 3`, `Reception`…"""
    code = text.strip().upper()
    if code in YEAR_CODES:
        return code
    if code in _YEAR_NAMES:
        return _YEAR_NAMES[code]
    words = _YEAR_WORDS.fullmatch(text.strip())
    if words and str(int(words.group(1))) in YEAR_CODES:
        return str(int(words.group(1)))
    raise FieldError(
        f"'{text}' is not a National Curriculum year; use one of {', '.join(YEAR_CODES)}"
    )


def sex(text: str) -> str:
    """`M`, `F` or `U`; `Male`, `Female` and `Unknown` as some MISs write them are read too."""
    value = text.strip().upper()
    value = _SEX_WORDS.get(value, value)
    if value not in SEXES:
        raise FieldError(f"expected M, F or U, not '{text}'")
    return value


def email(text: str) -> str:
    """An email address, loosely: something@somewhere.tld with no spaces, and not a
    spreadsheet formula."""
    not_a_formula(text, "an email address")
    if not _EMAIL.fullmatch(text):
        raise FieldError(f"'{text}' is not an email address")
    return text


def phone(text: str) -> str:
    """A telephone number as the office wrote it (words allowed, "07700 900001 (work)"),
    refused only if a spreadsheet would run it as a formula. `+44 …` is a number."""
    if not _PHONE_SIGNED.fullmatch(text):
        not_a_formula(text, "a phone number")
    return text


def not_a_formula(text: str, what: str) -> None:
    """Refuse text a spreadsheet would run as a formula (it could act on a PC that opens an
    export): it starts with `=`, `+`, `-` or `@`."""
    if text.startswith(FORMULA_START):
        raise FieldError(f"'{text}' looks like a spreadsheet formula, not {what}")


#: How MIS exports write a yes/no flag.
_FLAG_WORDS = {
    **dict.fromkeys(("Y", "YES", "TRUE", "T", "1"), True),
    **dict.fromkeys(("N", "NO", "FALSE", "F", "0"), False),
}


def flag(text: str) -> bool:
    """`Y` or `N`, or as an MIS writes them: `Yes`/`No`, `True`/`False`, `1`/`0`."""
    value = _FLAG_WORDS.get(text.strip().upper())
    if value is None:
        raise FieldError(f"expected Y or N (or Yes/No, True/False, 1/0), not '{text}'")
    return value


def yes_no(value: bool) -> str:
    """A flag as written in the CSV layouts."""
    return "Y" if value else "N"


def positive_whole_number(text: str, *, limit: int = 999) -> int:
    """A whole number from 1 to `limit`."""
    if not _WHOLE.fullmatch(text) or not 1 <= int(text) <= limit:
        raise FieldError(f"expected a whole number from 1 to {limit}, not '{text}'")
    return int(text)


def upn(text: str) -> str:
    """A valid Unique Pupil Number, upper-case; the message names what is wrong with it."""
    try:
        return valid_upn(text)
    except BadUpn as exc:
        raise FieldError(str(exc)) from None


def cached(parse: Callable[[str], T]) -> Callable[[str], T]:
    """`parse` remembering each answer (or problem), for columns with few distinct values."""
    answers: dict[str, T] = {}
    refusals: dict[str, str] = {}

    def lookup(text: str) -> T:
        if text in answers:
            return answers[text]
        if text in refusals:
            raise FieldError(refusals[text])
        try:
            answers[text] = value = parse(text)
        except FieldError as exc:
            refusals[text] = str(exc)
            raise
        return value

    return lookup


class RowCheck:
    """Reads one row's cells, recording a problem (and `ok = False`) for each bad one."""

    def __init__(self, problems: Problems, row: Row) -> None:
        self.problems = problems
        self.row = row
        self.ok = True
        #: This row's problems as (column, problem), for a preview to show against its cells.
        self.found: list[tuple[str, str]] = []

    def bad(self, column: str, problem: str) -> None:
        self.ok = False
        problem = shorten(problem)
        self.found.append((column, problem))
        self.problems.add(self.row.line, column, problem)

    def value(self, column: str, parse: Callable[[str], T], *, required: bool = False) -> T | None:
        """The parsed cell, or None when it is empty (a problem too when `required`)."""
        text = self.row[column]
        if not text:
            if required:
                self.bad(column, "required, but empty")
            return None
        try:
            return parse(text)
        except FieldError as exc:
            self.bad(column, str(exc))
            return None

    def text(
        self, column: str, *, max_length: int, required: bool = False, lines: bool = False
    ) -> str | None:
        """The trimmed cell, or None when empty; too long a cell, or one with characters that
        cannot be printed (line breaks too, unless `lines`), is a problem."""
        value = self.row[column]
        if not value:
            if required:
                self.bad(column, "required, but empty")
            return None
        if len(value) > max_length:
            self.bad(column, f"too long: {len(value)} characters, at most {max_length}")
            return None
        if (problem := unprintable(_LINE_BREAKS.sub(" ", value) if lines else value)) is not None:
            self.bad(column, problem)
            return None
        return value


def day_checker(calendar: SchoolCalendar, today: date) -> Callable[[date], str | None]:
    """Why a date in a file cannot carry marks (None when it can), remembered per date."""
    answers: dict[date, str | None] = {}

    def why(day: date) -> str | None:
        if calendar.is_school_day(day):
            return f"{day} is in the future" if day > today else None
        first, last = calendar.first_day, calendar.last_day
        if first is None or last is None:
            return f"{day} is not a school day: the school calendar is empty"
        if not first <= day <= last:
            return f"{day} is not a school day: outside the school calendar ({first} to {last})"
        if day.weekday() >= 5:
            return f"{day} is not a school day: it is a {day:%A}"
        closure = next((c for c in calendar.closures if day in c), None)
        if closure is not None:
            return f"{day} is not a school day: {closure.name}"
        return f"{day} is not a school day: it falls between terms"

    def check(day: date) -> str | None:
        if day not in answers:
            answers[day] = why(day)
        return answers[day]

    return check
