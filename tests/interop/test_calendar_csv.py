"""Importing the calendar replaces it; a bad file leaves the old one; export reads back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from attendance_desk.calendar_store import load_calendar
from attendance_desk.interop import ImportFailed, export_calendar, import_calendar
from attendance_desk.models import Pupil, User
from tests.interop.csvfiles import IMPORT_NOW, nothing_pending, snapshot, write_csv

School = tuple[User, list[Pupil]]
HEADER = "start,end,kind,name"


def test_import_replaces_the_calendar(session: Session, school: School, tmp_path: Path) -> None:
    """The file's terms and closures become the calendar; the old ones are gone."""
    user, _ = school
    path = write_csv(
        tmp_path,
        "cal.csv",
        f"""\
        {HEADER}
        2026-01-05,2026-02-13,Term,Spring 1
        2026-02-23,2026-03-27,term,Spring 2
        2026-01-05,2026-01-05,closure,INSET day
        """,
    )
    summary = import_calendar(session, path, user=user, now=IMPORT_NOW)
    assert (summary.terms, summary.closures) == (2, 1)
    assert (summary.replaced_terms, summary.replaced_closures) == (2, 1)
    calendar = load_calendar(session)
    assert calendar.first_day == date(2026, 1, 6)
    assert [t.name for t in calendar.terms] == ["Spring 1", "Spring 2"]


def test_export_imports_back_to_the_same_file(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Exporting, importing and exporting again gives the same bytes and the same calendar."""
    user, _ = school
    first, second = tmp_path / "one.csv", tmp_path / "two.csv"
    assert export_calendar(session, first) == 3
    before = load_calendar(session)
    import_calendar(session, first, user=user, now=IMPORT_NOW)
    export_calendar(session, second)
    assert first.read_bytes() == second.read_bytes()
    assert load_calendar(session) == before


BAD_FILES = {
    "overlapping terms": (
        "2025-09-01,2025-10-24,term,Autumn 1\n2025-10-20,2025-12-19,term,Autumn 2\n",
        "3: start: term 'Autumn 2' overlaps 'Autumn 1' on line 2",
    ),
    "closure outside every term": (
        "2025-09-01,2025-10-24,term,Autumn 1\n2025-12-25,2025-12-26,closure,Christmas\n",
        "3: start: closure 'Christmas' is outside every term",
    ),
    "kind": ("2025-09-01,2025-10-24,half-term,Autumn 1\n", "2: kind: expected term or closure"),
    "end before start": ("2025-10-24,2025-09-01,term,Autumn 1\n", "2: end: 2025-09-01 is before"),
    "impossible date": ("2025-09-01,2025-09-31,term,Autumn 1\n", "2: end: impossible date"),
    "no terms": ("2025-09-01,2025-09-01,closure,INSET\n", "1: kind: the file has no terms"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_calendar_is_reported_and_the_old_one_kept(
    case: str, session: Session, school: School, tmp_path: Path
) -> None:
    """Each bad calendar gives its `file:line: field: problem`; the stored calendar stays."""
    user, _ = school
    rows, expected = BAD_FILES[case]
    path = write_csv(tmp_path, "cal.csv", f"{HEADER}\n{rows}")
    before = snapshot(session)
    with pytest.raises(ImportFailed) as caught:
        import_calendar(session, path, user=user, now=IMPORT_NOW)
    assert len(caught.value.errors) == 1, caught.value.errors
    assert caught.value.errors[0].startswith(f"{path}:{expected}")
    assert nothing_pending(session)
    assert snapshot(session) == before
