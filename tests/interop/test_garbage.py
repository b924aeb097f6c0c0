"""Property: whatever rows a marks file holds, a bad file fails cleanly and writes nothing."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from attendance_desk.interop import ImportFailed, import_marks
from attendance_desk.models import Pupil, User
from tests.interop.csvfiles import IMPORT_NOW, nothing_pending, snapshot

School = tuple[User, list[Pupil]]
# printable and awkward characters alike, but no lone surrogates (they cannot be UTF-8)
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=15)
PROBLEM = re.compile(r"^(?P<file>.+):(?P<line>\d+): (?P<field>[a-z_]+): .+", re.DOTALL)


def _cell(column: str) -> st.SearchStrategy[str]:
    plausible = {
        "upn": st.sampled_from(["F201200018001", "V201200018002", "A201200018001", "x", ""]),
        "date": st.sampled_from(["2025-09-08", "2025-09-13", "2025-02-30", "2026-01-12", ""]),
        "session": st.sampled_from(["AM", "pm", "EVE", ""]),
        "code": st.sampled_from(["/", "\\", "N", "H", "Q9", "B", ""]),
        "reason": st.sampled_from(["", "trip", "x" * 400]),
    }[column]
    return st.one_of(plausible, TEXT)


ROW = st.tuples(*(_cell(c) for c in ("upn", "date", "session", "code", "reason")))
RAW_LINE = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(st.one_of(ROW.map(list), RAW_LINE), max_size=8))
def test_garbage_marks_never_crash_and_never_write(
    rows: list[list[str] | str], session: Session, school: School, tmp_path: Path
) -> None:
    """Random rows (plus one surely bad) give only ImportFailed with well-formed messages."""
    user, _ = school
    out = io.StringIO()
    out.write("upn,date,session,code,reason\n")
    writer = csv.writer(out, lineterminator="\n")
    for row in [*rows, ["not-a-upn", "2025-09-08", "AM", "/", ""]]:
        if isinstance(row, str):
            out.write(row + "\n")
        else:
            writer.writerow(row)
    path = tmp_path / "garbage.csv"
    path.write_bytes(out.getvalue().encode("utf-8"))
    before = snapshot(session)
    try:
        import_marks(session, path, user=user, now=IMPORT_NOW)
    except ImportFailed as failed:
        assert failed.errors
        for error in failed.errors:
            match = PROBLEM.match(error)
            assert match, error
            assert match["file"] == str(path)
            assert int(match["line"]) >= 1
    else:
        raise AssertionError("a file with a bad UPN was imported")
    assert nothing_pending(session)
    assert snapshot(session) == before
