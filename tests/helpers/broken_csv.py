"""Broken CSV files for the fuzz runs: MIS-style pupils, contacts and marks, and calendars.

Each starts from a valid file for the fuzz school (`broken_imports.fuzz_school`) in our
layout or an MIS's, then is changed in one to three ways: valid changes (other codes, dates,
flags) so that many import, or breakages in its cells (blanks, huge values, control
characters, impossible dates, short rows, changes that would leave the register
inconsistent) and in its bytes (encodings, separators, stray quotes, NUL bytes, truncation,
random bytes).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.helpers.builders import make_upn

ADAMS, BROWN, CLARKE, NEW1, NEW2 = (make_upn(n) for n in (1, 2, 3, 10, 11))


@dataclass
class Case:
    """One broken file: its kind, its bytes and how it was broken."""

    kind: str
    data: bytes
    breakages: list[str] = field(default_factory=list)


_TABLES: dict[str, list[list[list[str]]]] = {
    "pupils": [
        [
            [
                "upn",
                "legal_surname",
                "legal_forename",
                "date_of_birth",
                "year_group",
                "reg_group",
                "preferred_forename",
                "sex",
                "sen",
                "ehcp",
                "admission_number",
                "on_roll_from",
                "social_worker",
            ],
            [
                ADAMS,
                "Adams",
                "Amy",
                "2017-05-01",
                "3",
                "3A",
                "Ames",
                "F",
                "N",
                "N",
                "0001",
                "2025-09-03",
                "",
            ],
            [
                NEW1,
                "Young",
                "Zoe",
                "2018-02-11",
                "3",
                "3B",
                "",
                "F",
                "K",
                "",
                "0010",
                "2025-09-15",
                "J. Social",
            ],
            [NEW2, "Young", "Zac", "2016-12-30", "4", "4B", "", "M", "E", "Y", "0011", "", ""],
        ],
        [
            [
                "Admission No",
                "UPN",
                "Legal Surname",
                "Legal Forename",
                "Preferred Name",
                "Date of Birth",
                "Gender",
                "Year Group",
                "Reg Group",
                "Enrolment Status",
                "SEN Status",
                "Pupil Premium",
                "EAL",
                "Looked After",
            ],
            [
                "0001",
                ADAMS,
                "Adams",
                "Amy",
                "Amy Adams",
                "01/05/2017",
                "F",
                "Year 3",
                "3A",
                "Current",
                "N - No Special Educational Need",
                "No",
                "No",
                "No",
            ],
            [
                "0010",
                NEW1,
                "Young",
                "Zoe",
                "Zoe Young",
                "11/02/2018",
                "F",
                "Year 3",
                "3B",
                "Current",
                "K - SEN Support",
                "Yes",
                "Yes",
                "No",
            ],
            [
                "0099",
                NEW2,
                "Young",
                "Zac",
                "Zac Young",
                "30/12/2016",
                "M",
                "Year 4",
                "4B",
                "Leaver",
                "N - No Special Educational Need",
                "No",
                "No",
                "No",
            ],
        ],
    ],
    "contacts": [
        [
            [
                "upn",
                "priority",
                "name",
                "relationship",
                "parental_responsibility",
                "phone",
                "email",
            ],
            [ADAMS, "1", "Sarah Adams", "Mother", "Y", "07700 900001", ""],
            [ADAMS, "2", "Gran Adams", "Grandmother", "N", "", "gran@example.com"],
            [BROWN, "1", "David Brown", "Father", "Y", "07700 900002", ""],
        ],
        [
            [
                "UPN",
                "Surname",
                "Contact Name",
                "Relationship",
                "Priority",
                "Parental Responsibility",
                "Telephone",
                "Email",
            ],
            [ADAMS, "Adams", "Sarah Adams", "Mother", "1st", "Yes", "07700 900001", ""],
            [ADAMS, "Adams", "Tom Adams", "Uncle", "2nd", "No", "07700 900003", ""],
            [BROWN, "Brown", "David Brown", "Father", "1", "True", "", "d@example.com"],
        ],
    ],
    "marks": [
        [
            ["upn", "date", "session", "code", "reason"],
            [ADAMS, "2025-09-15", "AM", "/", ""],
            [ADAMS, "2025-09-15", "PM", "B", "Museum"],
            [BROWN, "2025-09-08", "AM", "I", ""],
            [CLARKE, "2025-09-16", "AM", "N", ""],
        ],
        [
            ["Adno", "UPN", "Surname", "Date", "Session", "Mark"],
            ["0001", ADAMS, "Adams", "15/09/2025", "AM", "/"],
            ["0001", ADAMS, "Adams", "15/09/2025", "PM", "H"],
            ["0002", BROWN, "Brown", "16/09/2025", "AM", "J"],
            ["0003", CLARKE, "Clarke", "16/09/2025", "PM", "L"],
        ],
    ],
    "calendar": [
        [
            ["start", "end", "kind", "name"],
            ["2025-09-03", "2025-10-24", "term", "Autumn 1"],
            ["2025-11-03", "2025-12-19", "term", "Autumn 2"],
            ["2025-09-19", "2025-09-19", "closure", "INSET day"],
            ["05/01/2026", "13/02/2026", "term", "Spring 1"],
        ],
    ],
}


def _roll_after_marks(table: list[list[str]]) -> None:
    """Adams joins after her marks, or a new pupil takes Brown's admission number."""
    header = [h.lower() for h in table[0]]
    if "on_roll_from" in header:
        table[1][header.index("on_roll_from")] = "2025-10-01"
    else:
        table[2][header.index("admission no")] = "0002"


def _mark_before_roll(table: list[list[str]]) -> None:
    """A mark for Clarke a week before she joined."""
    header = [h.lower() for h in table[0]]
    row = list(table[1])
    row[header.index("upn")] = CLARKE
    row[header.index("date")] = "2025-09-08"
    table.append(row)


#: Changes that would leave the register inconsistent or the file contradicting itself:
#: each must be refused.
_SEMANTIC: dict[str, list[Callable[[list[list[str]]], object]]] = {
    "pupils": [_roll_after_marks],
    "calendar": [
        lambda t: t.append(["2025-09-08", "2025-09-12", "closure", "Closed a marked week"]),
        lambda t: t.pop(1),  # Autumn 1 holds the marks
        lambda t: t.append(["2025-10-01", "31/12/9999", "closure", "For ever"]),
    ],
    "marks": [_mark_before_roll],
    "contacts": [lambda t: t.append(list(t[1]))],  # two contacts at one priority
}


#: Other valid values for columns, so that many cases import and `check` is put to work.
_VALID: dict[str, list[str]] = {
    "code": ["/", "\\", "L", "I", "M", "N", "O", "U", "G", "C2", "K", "V", "D", "X", "#", "Q", "H"],
    "mark": ["/", "\\", "I", "N", "H", "J", "Y", "F", "B", "E"],
    "date": ["2025-09-15", "16/09/2025", "2025-10-24", "2025-11-03", "2025-12-19", "2025-09-08"],
    "session": ["AM", "PM", "am", "Morning", "P"],
    "reg_group": ["3A", "3C", "4B", "Robins"],
    "reg group": ["3A", "3C", "4B"],
    "sex": ["M", "F", "U", "Male"],
    "gender": ["Female", "M"],
    "sen": ["Y", "N", "K", "E", "No SEN"],
    "sen status": ["K - SEN Support", "E - EHCP", "N"],
    "ehcp": ["Y", "N", "Yes", ""],
    "enrolment status": ["Current", "Guest", "Leaver", "Subsidiary - Dual Registration"],
    "on_roll_from": ["2025-09-03", "2025-09-15", "", "2025-11-03"],
    "priority": ["1", "2", "3", "1st", "Priority 3"],
    "parental_responsibility": ["Y", "N", "1", "0"],
    "parental responsibility": ["Yes", "No", "True"],
    "relationship": ["Aunt", "Mother", "Carer"],
    "start": ["2025-09-01", "2025-10-20", "2025-11-03"],
    "end": ["2025-10-24", "2025-12-19", "2025-10-21"],
    "kind": ["term", "closure", "Term"],
    "year_group": ["3", "4", "R", "Year 5"],
    "year group": ["Year 3", "Year 4"],
}

NASTY = [
    "x" * 5_000,
    "y" * 100_000,
    "Ann\u202eAdams",
    "Ann\nAdams",
    "Ann\x07",
    "\u0085",
    "0000-00-00",
    "31/12/9999",
    "01/01/0001",
    "2025-02-30",
    '=HYPERLINK("x")',
    "   ",
    "NULL",
    "-1",
    "9" * 40,
    "🙂",
    "'; DROP TABLE pupils; --",
    "\ufeff",
]


def make_csv_case(rng: random.Random, kind: str) -> Case:
    """A broken CSV file of `kind`, changed in one to three ways chosen by `rng`."""
    table = [list(row) for row in rng.choice(_TABLES[kind])]
    vary_only = rng.random() < 0.2  # valid changes only, which should mostly import
    done = [_break_cells(rng, kind, table, vary_only=vary_only) for _ in range(rng.randint(1, 3))]
    separator = rng.choice([",", ",", ",", ";", "\t"])
    out = io.StringIO()
    quoting = rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL])
    csv.writer(out, delimiter=separator, lineterminator="\n", quoting=quoting).writerows(table)
    text = out.getvalue()
    if rng.random() < 0.2:
        text = text.replace("\n", "\r\n")
        done.append("crlf")
    encoding = rng.choice(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"])
    data = text.encode(encoding, errors="replace")
    if not vary_only and rng.random() < 0.35:
        data, how = break_bytes(rng, data)
        done.append(how)
    return Case(kind, data, [f"sep {separator!r}", encoding, *done])


def _break_cells(
    rng: random.Random, kind: str, table: list[list[str]], *, vary_only: bool = False
) -> str:
    rows = len(table) - 1
    if rows < 1 or not all(table[1:]):
        return "none (rows already cut)"
    what = (
        "vary"
        if vary_only
        else rng.choice(
            [
                "vary",
                "vary",
                "nasty",
                "nasty",
                "blank",
                "short",
                "extra",
                "drop_column",
                "duplicate_row",
                "swap",
                "semantic",
                "header_twice",
                "many_columns",
            ]
        )
    )
    r = rng.randint(1, rows)
    c = rng.randrange(min(len(table[0]), len(table[r])))
    if what == "vary":
        choices = _VALID.get(table[0][c].lower())
        if choices:
            table[r][c] = rng.choice(choices)
    elif what == "nasty":
        table[r][c] = rng.choice(NASTY)
    elif what == "blank":
        table[r][c] = ""
    elif what == "short":
        del table[r][rng.randrange(len(table[r])) :]
    elif what == "extra":
        table[r].append("surplus")
    elif what == "drop_column":
        for row in table:
            if c < len(row):
                del row[c]
    elif what == "duplicate_row":
        table.append(list(table[r]))
    elif what == "swap":
        other = rng.randrange(len(table[r]))
        table[r][c], table[r][other] = table[r][other], table[r][c]
    elif what == "header_twice":
        table[0].append(table[0][c])
        for row in table[1:]:
            row.append("")
    elif what == "many_columns":
        for i, row in enumerate(table):
            row.extend(f"c{i}{n}" for n in range(rng.choice([50, 2_000])))
    elif _SEMANTIC.get(kind):
        try:
            rng.choice(_SEMANTIC[kind])(table)
        except (ValueError, IndexError):  # the columns it changes were broken already
            what = "semantic (not applicable)"
    return f"{what} ({r},{c})"


def break_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randint(0, len(data))
    how = rng.choice(
        ["quote", "nul", "truncate", "random", "byte81", "bom_inside", "long_line", "empty"]
    )
    if how == "quote":
        return data[:at] + b'"' + data[at:], how
    if how == "nul":
        return data[:at] + b"\x00" + data[at:], how
    if how == "truncate":
        return data[:at], how
    if how == "random":
        return rng.randbytes(rng.randint(0, 600)), how
    if how == "byte81":
        return data[:at] + b"\x81" + data[at:], how
    if how == "bom_inside":
        return data[:at] + "\ufeff".encode() + data[at:], how
    if how == "long_line":
        return data + b"a," * 500_000, how
    return b"", how
