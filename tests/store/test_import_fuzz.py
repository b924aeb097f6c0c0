"""Fuzz harness: broken pupils, contacts and marks files only ever raise `ImportFailed`, and a
failed import leaves the database (and the session) exactly as it was.

Each example starts from a valid file for the test school and breaks it in one to three
ways: wrong encodings, a byte-order mark, stray quotes, missing columns, huge fields,
impossible dates, duplicate UPNs and rows, NUL bytes, truncation, random bytes. Breakages
that surely fail must fail; harmless ones (a BOM, CRLF line ends, every cell quoted) must
import; the rest may go either way, but never crash and never half-write.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from attendance_desk.interop import ImportFailed, import_contacts, import_marks, import_pupils
from attendance_desk.models import User
from tests.helpers.broken_imports import KINDS as KIND_NAMES
from tests.helpers.broken_imports import fuzz_school, make_case, run_case
from tests.helpers.builders import make_upn, school_with
from tests.interop.csvfiles import IMPORT_NOW, nothing_pending, snapshot

EXAMPLES = 60
GOOD = make_upn(1)
BAD_UPN = ("A" if GOOD[0] != "A" else "B") + GOOD[1:]  # wrong check letter


@dataclass(frozen=True)
class Kind:
    """One import: its function, a valid file for the test school, and its awkward columns."""

    run: Callable[..., Any]
    header: list[str]
    rows: list[list[str]]
    date_column: str
    bad_dates: list[str]
    required: list[str]


KINDS = {
    "pupils": Kind(
        import_pupils,
        ["upn", "legal_surname", "legal_forename", "date_of_birth", "year_group", "reg_group"],
        [
            [make_upn(1), "Adams", "Amy", "2017-05-01", "3", "3A"],
            [make_upn(10), "Young", "Zoe", "2018-02-11", "2", "2A"],
            [make_upn(11), "Young", "Zac", "2016-12-30", "4", "4B"],
        ],
        "date_of_birth",
        ["2017-02-30", "2017-13-01", "31/04/2017", "2030-01-01", "99999-01-01"],
        ["upn", "legal_surname", "legal_forename", "date_of_birth", "year_group", "reg_group"],
    ),
    "contacts": Kind(
        import_contacts,
        ["upn", "priority", "name", "relationship", "parental_responsibility", "phone", "email"],
        [
            [make_upn(1), "1", "Sarah Adams", "Mother", "Y", "07700 900001", ""],
            [make_upn(1), "2", "Gran Adams", "Grandmother", "N", "", "gran@example.com"],
            [make_upn(2), "1", "David Brown", "Father", "Y", "07700 900002", ""],
        ],
        "priority",
        ["0", "-1", "1.5", "1000", "last"],
        ["upn", "priority", "name", "relationship", "parental_responsibility"],
    ),
    "marks": Kind(
        import_marks,
        ["upn", "date", "session", "code"],
        [
            [make_upn(1), "2025-09-08", "AM", "/"],
            [make_upn(1), "2025-09-08", "PM", "\\"],
            [make_upn(2), "2025-09-09", "AM", "I"],
        ],
        "date",
        ["2025-02-30", "2025-09-31", "2025-9-8", "31/09/2025", "2025-09-19", "2026-09-08"],
        ["upn", "date", "session", "code"],
    ),
}

#: Breakages that make any file fail, whatever else is done to it (short of cutting it).
FAILS = {
    "missing_column",
    "bad_date",
    "duplicate_row",
    "huge_field",
    "bad_upn",
    "extra_cell",
    "blank_required",
    "nul",
}
HARMLESS = {"bom", "crlf", "quote_all", "utf16"}
#: Windows-1252 is read, so its "Zoë" fails only where the column wants something else.
EITHER = {"stray_quote", "truncate", "random_bytes", "cp1252"}
BREAKAGES = sorted(FAILS | HARMLESS | EITHER)


@st.composite
def broken_file(draw: st.DrawFn, kind: Kind) -> tuple[bytes, set[str]]:
    """A file for `kind` broken in one to three ways, and the names of those ways."""
    done = set(draw(st.lists(st.sampled_from(BREAKAGES), min_size=1, max_size=3, unique=True)))
    header, rows = list(kind.header), [list(r) for r in kind.rows]
    pick_row = draw(st.integers(0, len(rows) - 1))
    if "bad_date" in done:
        rows[pick_row][header.index(kind.date_column)] = draw(st.sampled_from(kind.bad_dates))
    if "bad_upn" in done:
        rows[pick_row][0] = draw(st.sampled_from([BAD_UPN, "12345", "F2012000180011", "UPN?"]))
    if "blank_required" in done:
        rows[pick_row][header.index(draw(st.sampled_from(kind.required)))] = "  "
    if "huge_field" in done:
        size = draw(st.sampled_from([301, 5_000, 200_000]))
        rows[pick_row][draw(st.integers(0, len(header) - 1))] = "x" * size
    if "cp1252" in done:
        rows[pick_row][draw(st.integers(1, len(header) - 1))] = "Zoë"
    if "duplicate_row" in done:
        rows.append(list(rows[pick_row]))
    if "extra_cell" in done:
        rows[pick_row].append("surplus")
    if "missing_column" in done:
        gone = draw(st.integers(0, len(header) - 1))
        header.pop(gone)
        for row in rows:
            row.pop(gone)
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if "quote_all" in done else csv.QUOTE_MINIMAL
    csv.writer(out, lineterminator="\n", quoting=quoting).writerows([header, *rows])
    text = out.getvalue()
    if "stray_quote" in done:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + '"' + text[at:]
    if "crlf" in done:
        text = text.replace("\n", "\r\n")
    encoding = "utf-16" if "utf16" in done else "cp1252" if "cp1252" in done else "utf-8"
    data = text.encode(encoding, errors="replace")
    if "bom" in done and encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    if "nul" in done:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    if "truncate" in done:
        data = data[: draw(st.integers(0, len(data)))]
    if "random_bytes" in done:
        data = draw(st.binary(max_size=400))
    return data, done


@pytest.fixture
def school(session: Session) -> User:
    """The builders' school with Amy Adams and Ben Brown on roll, committed."""
    user, _ = school_with(session, "Amy Adams", "Ben Brown")
    return user


@pytest.mark.parametrize("name", sorted(KINDS))
def test_broken_files_fail_cleanly(
    name: str, session: Session, school: User, tmp_path: Path
) -> None:
    """Every broken file either imports whole or raises ImportFailed having written nothing."""
    kind = KINDS[name]
    path = tmp_path / f"{name}.csv"
    before = snapshot(session)
    figures: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(broken_file(kind))
    def run(case: tuple[bytes, set[str]]) -> None:
        data, done = case
        path.write_bytes(data)
        try:
            kind.run(session, path, user=school, now=IMPORT_NOW)
        except ImportFailed as failed:
            figures["refused"] += 1
            assert failed.errors and all(e.startswith(str(path)) for e in failed.errors)
            assert done & (FAILS | EITHER), f"{sorted(done)} should have imported"
            assert nothing_pending(session)
            assert snapshot(session) == before
        except Exception:
            figures["crashed"] += 1
            raise
        else:
            figures["imported"] += 1
            # a cut or a stray quote may remove the breakage (a file cut after a whole row
            # is a shorter valid file: CSV cannot tell)
            assert done & EITHER or not done & FAILS, f"{sorted(done)} imported: {data[:200]!r}"
            assert nothing_pending(session)
        finally:
            session.rollback()

    run()
    print(f"\nfuzz {name}: {EXAMPLES} examples, {dict(figures)}")
    assert figures["refused"] > 0 and figures["crashed"] == 0


#: The seeded run in the suite; `benchmarks/fuzz_imports.py` runs thousands.
SEEDED_CASES = 150


def test_seeded_broken_files_never_crash_hang_or_leave_check_failing(
    session: Session, tmp_path: Path
) -> None:
    """MIS-style CSVs, calendars and CTFs broken by a fixed seed: each is refused with
    nothing written, or imports leaving nothing for `check` to find (pytest-timeout ends a
    hang)."""
    user = fuzz_school(session)
    rng = random.Random(20261207)
    figures: Counter[str] = Counter()
    for n in range(SEEDED_CASES):
        case = make_case(rng, KIND_NAMES[n % len(KIND_NAMES)])
        outcome = run_case(session, case, tmp_path, user)
        session.rollback()
        figures[outcome.result] += 1
        assert outcome.result in ("imported", "refused"), (case.breakages, outcome.detail)
        assert outcome.check_problems == [], (case.breakages, outcome.check_problems)
    print(f"\nseeded fuzz: {SEEDED_CASES} files, {dict(figures)}")
    assert figures["imported"] >= 10 and figures["refused"] >= 50
