"""Reading the MIS's attendance summary export: per pupil, possible sessions, present,
authorised, unauthorised and the percentage, by UPN or admission number.

MIS reports put a title above the header ("Attendance summary 01/09/2025 - 24/11/2025")
and a totals line under the pupils; both are understood, and the dates in the title are
the range the summary covers. The file is checked before anything is compared: a line
whose totals do not add up, a percentage that does not fit its counts, a pupil listed
twice, or a summary for other dates than asked are each refused, naming the line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from attendance_desk.interop import fields
from attendance_desk.interop.column_mapping import key
from attendance_desk.interop.errors import ImportFailed, InteropError, Problems
from attendance_desk.interop.text_files import read_text
from attendance_desk.uk_dates import day_text

#: Our column -> names MIS summary reports give it (compared as `column_mapping.key`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": ("UPN", "Unique Pupil Number", "Pupil UPN", "Student UPN"),
    "admission_number": ("Admission Number", "Admission No", "Adno", "Adm No"),
    "name": ("Name", "Pupil", "Student", "Pupil Name", "Student Name", "Legal Name"),
    "surname": ("Surname", "Legal Surname", "Last Name", "Legal Last Name"),
    "forename": ("Forename", "Legal Forename", "First Name", "Legal First Name"),
    "possible": ("Possible", "Possible Sessions", "Sessions Possible", "Poss"),
    "present": (
        "Present",
        "Attended",
        "Sessions Attended",
        "Attended Sessions",
        "Present Sessions",
    ),
    "aea": ("AEA", "Approved Educational Activity", "Attending Elsewhere"),
    "authorised": ("Authorised", "Authorised Absences", "Authorised Absence", "Auth"),
    "unauthorised": ("Unauthorised", "Unauthorised Absences", "Unauthorised Absence", "Unauth"),
    "pct": (
        "%",
        "Attendance %",
        "% Attendance",
        "Attendance Percentage",
        "Percentage",
        "% Present",
    ),
    "start": ("From", "Start Date", "Date From", "Period Start"),
    "end": ("To", "End Date", "Date To", "Period End"),
}
COUNTS = ("possible", "present", "authorised", "unauthorised")
_KEYS = {key(name): column for column, names in COLUMNS.items() for name in names}
#: How far down a title may push the header.
_HEADER_WITHIN = 10
_DATE = re.compile(
    r"\b([0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|[0-9]{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* [0-9]{4})\b",
    re.IGNORECASE,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WHOLE = re.compile(r"([0-9]+)(?:\.0+)?")
_PCT = re.compile(r"([0-9]+(?:\.([0-9]+))?)\s*%?")
_TOTAL = re.compile(r"\b(total|totals|whole school|all pupils)\b", re.IGNORECASE)


class SummaryRefused(InteropError):
    """A summary that cannot be compared, with every problem as `file:line: field: problem`."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(["the MIS summary cannot be compared:", *self.errors]))


@dataclass(frozen=True, slots=True)
class MisCounts:
    """A pupil's sessions as the MIS counts them; `present` includes approved activities."""

    possible: int
    present: int
    authorised: int
    unauthorised: int


@dataclass(frozen=True, slots=True)
class MisPupil:
    line: int
    upn: str | None
    admission_number: str | None
    name: str
    counts: MisCounts


@dataclass(frozen=True, slots=True)
class MisSummary:
    """The summary's pupils and the dates it says it covers (None when it does not say)."""

    file: str
    start: date | None
    end: date | None
    pupils: tuple[MisPupil, ...]


def read_summary(path: Path, *, start: date, end: date) -> MisSummary:
    """Read and check the summary for `start`..`end`, or raise `SummaryRefused`."""
    problems = Problems(str(path))
    try:
        source = read_text(path, problems)
    except ImportFailed as exc:
        raise SummaryRefused(exc.errors) from None
    rows = list(_rows(source.text, source.separator, problems))
    header_at = next(
        (i for i, (_, cells) in enumerate(rows[:_HEADER_WITHIN]) if _is_header(cells)), None
    )
    if header_at is None:
        problems.add(1, "header", _no_header(rows))
        raise SummaryRefused(problems.messages)
    line, header = rows[header_at]
    columns = [_KEYS.get(key(cell), "") for cell in header]
    stated = _stated_range(rows[:header_at], problems)
    pupils = [
        pupil
        for row_line, cells in rows[header_at + 1 :]
        if (pupil := _pupil(row_line, dict(zip(columns, cells, strict=False)), problems))
    ]
    _duplicates(pupils, problems)
    within = _range_in_rows(rows[header_at + 1 :], columns, problems)
    stated = stated or within
    if stated is not None and stated[1] != (start, end):
        at, (said_from, said_to) = stated
        problems.add(
            at,
            "dates",
            f"the summary covers {day_text(said_from)} to {day_text(said_to)}, not "
            f"{day_text(start)} to {day_text(end)}: export it from the MIS for those dates, or "
            f"compare with --from {said_from} --to {said_to}",
        )
    if problems:
        raise SummaryRefused(problems.messages)
    covers = stated[1] if stated else None
    return MisSummary(
        str(path), covers[0] if covers else None, covers[1] if covers else None, tuple(pupils)
    )


def _rows(text: str, separator: str, problems: Problems) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    found: list[tuple[int, list[str]]] = []
    line = 0
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                found.append((start, [cell.strip() for cell in cells]))
    except csv.Error as exc:
        problems.add(line + 1, "file", f"not a readable CSV line ({exc})")
        raise SummaryRefused(problems.messages) from None
    return found


def _is_header(cells: list[str]) -> bool:
    names = {_KEYS.get(key(cell)) for cell in cells}
    return "possible" in names and bool(names & {"upn", "admission_number"})


def _no_header(rows: list[tuple[int, list[str]]]) -> str:
    wanted = ", ".join(COLUMNS[name][0] for name in ("upn", *COUNTS))
    first = ", ".join(f"'{c}'" for c in rows[0][1]) if rows else "nothing"
    return (
        f"no header with a UPN (or admission number) and the session counts ({wanted}) in "
        f"the first {_HEADER_WITHIN} lines; the first line holds {first}"
    )


def _stated_range(
    title: list[tuple[int, list[str]]], problems: Problems
) -> tuple[int, tuple[date, date]] | None:
    """The dates a title above the header gives, with its line."""
    for line, cells in title:
        found = _DATE.findall(" ".join(cells))
        if len(found) >= 2:
            days = [_any_date(text, line, problems) for text in found[:2]]
            if days[0] and days[1]:
                return line, (days[0], days[1])
    return None


def _range_in_rows(
    rows: list[tuple[int, list[str]]], columns: list[str], problems: Problems
) -> tuple[int, tuple[date, date]] | None:
    """From/To columns: every row must give the same dates."""
    if "start" not in columns or "end" not in columns:
        return None
    found: tuple[int, tuple[date, date]] | None = None
    for line, cells in rows:
        cell = dict(zip(columns, cells, strict=False))
        if not (cell.get("start") and cell.get("end")):
            continue
        first, last = (
            _any_date(cell["start"], line, problems),
            _any_date(cell["end"], line, problems),
        )
        if first is None or last is None:
            continue
        if found is None:
            found = (line, (first, last))
        elif found[1] != (first, last):
            problems.add(
                line,
                "dates",
                f"{first} to {last}, but line {found[0]} says {found[1][0]} to {found[1][1]}",
            )
    return found


def _any_date(text: str, line: int, problems: Problems) -> date | None:
    words = text.split()
    try:
        if len(words) == 3:
            month = _MONTHS.index(words[1][:3].lower()) + 1
            return date(int(words[2]), month, int(words[0]))
        return fields.mis_date(text)
    except (ValueError, fields.FieldError) as exc:
        problems.add(line, "dates", f"'{text}' is not a date ({exc})")
        return None


def _pupil(line: int, cell: dict[str, str], problems: Problems) -> MisPupil | None:
    upn = cell.get("upn", "").upper().replace(" ", "") or None
    number = cell.get("admission_number") or None
    name = cell.get("name") or " ".join(p for p in (cell.get("forename"), cell.get("surname")) if p)
    if upn is None and number is None:
        if not _TOTAL.search(" ".join(cell.values())):
            problems.add(line, "upn", "neither a UPN nor an admission number; which pupil is it?")
        return None
    before = len(problems)
    counts = [_count(cell.get(name_, ""), name_, line, problems) for name_ in COUNTS]
    aea = _count(cell["aea"], "aea", line, problems) if cell.get("aea") else 0
    if len(problems) > before:
        return None
    possible, present, authorised, unauthorised = counts
    if present + authorised + unauthorised != possible:
        if aea and present + aea + authorised + unauthorised == possible:
            present += aea
        else:
            extra = f" + AEA {aea}" if aea else ""
            problems.add(
                line,
                "possible",
                f"{possible} possible is not present {present}{extra} + authorised {authorised} "
                f"+ unauthorised {unauthorised} ({present + aea + authorised + unauthorised}): "
                "the totals on this line do not add up",
            )
            return None
    _check_pct(cell.get("pct", ""), present, possible, line, problems)
    return MisPupil(line, upn, number, name, MisCounts(possible, present, authorised, unauthorised))


def _count(text: str, column: str, line: int, problems: Problems) -> int:
    match = _WHOLE.fullmatch(text.replace(",", ""))
    if match is None:
        problems.add(line, column, f"'{text}' is not a number of sessions")
        return 0
    return int(match.group(1))


def _check_pct(text: str, present: int, possible: int, line: int, problems: Problems) -> None:
    """A percentage, with or without "%", that fits the counts to the places it is given to."""
    if not text or text.lower() in ("-", "n/a", "na"):
        return
    match = _PCT.fullmatch(text)
    if match is None:
        problems.add(line, "pct", f"'{text}' is not a percentage")
        return
    try:
        value = Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        problems.add(line, "pct", f"'{text}' is not a percentage")
        return
    if value > 100:
        problems.add(line, "pct", f"{text} is over 100 %")
        return
    if not possible:
        return
    actual = Decimal(present * 100) / Decimal(possible)
    places = len(match.group(2) or "")
    if abs(actual - value) > Decimal(1).scaleb(-places):
        problems.add(
            line,
            "pct",
            f"{text} does not fit {present} present of {possible} possible sessions "
            f"({actual:.1f} %)",
        )


def _duplicates(pupils: list[MisPupil], problems: Problems) -> None:
    checks: tuple[tuple[str, str, Callable[[MisPupil], str | None]], ...] = (
        ("upn", "UPN", _upn_of),
        ("admission_number", "admission number", _number_of),
    )
    for column, what, get in checks:
        seen: dict[str, int] = {}
        for pupil in pupils:
            value = get(pupil)
            if value is None:
                continue
            if value in seen:
                problems.add(
                    pupil.line,
                    column,
                    f"{what} {value} is also on line {seen[value]}: listed twice",
                )
            seen.setdefault(value, pupil.line)


def _upn_of(pupil: MisPupil) -> str | None:
    return pupil.upn


def _number_of(pupil: MisPupil) -> str | None:
    return normal_number(pupil.admission_number) if pupil.upn is None else None


def normal_number(number: str | None) -> str | None:
    """An admission number as compared: leading zeros (which spreadsheets drop) do not count."""
    if not number:
        return None
    return number.strip().upper().lstrip("0") or "0"
