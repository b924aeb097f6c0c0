"""Importing the calendar replaces it; a bad file leaves the old one; export reads back."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from attendance_desk.interop import ImportFailed, export_calendar, import_calendar
from attendance_desk.models import Pupil, User
from attendance_desk.school.calendar_store import load_calendar
from tests.helpers.builders import mark_days
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
    "closure to 9999": (
        "2025-09-03,2025-10-24,term,Autumn 1\n2025-10-01,31/12/9999,closure,Forever\n",
        "3: end: 9999-12-31 is not in the years 2000 to 2099",
    ),
    "year 1": (
        "01/01/0001,2025-10-24,term,Autumn 1\n",
        "2: start: 0001-01-01 is not in the years 2000 to 2099",
    ),
    "year 0": ("0000-01-01,2025-10-24,term,Autumn 1\n", "2: start: impossible date 0000-01-01"),
    "a term of two years": (
        "2025-09-03,2027-09-03,term,Autumn 1\n",
        "2: end: runs 731 days; a term is at most a year",
    ),
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


def test_a_calendar_that_closes_marked_days_is_refused(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Closing a day that holds marks, or leaving it out of every term, would leave marks on
    a closed day: refused, naming the closure's line and the days."""
    user, (amy, ben, _) = school
    for pupil in (amy, ben):
        mark_days(
            session, pupil, user, {(date(2025, 10, 20), "AM"): "/", (date(2025, 12, 1), "AM"): "/"}
        )
    session.commit()
    path = write_csv(
        tmp_path,
        "cal.csv",
        f"""\
        {HEADER}
        2025-09-03,2025-10-24,term,Autumn 1
        2025-10-20,2025-10-21,closure,Long weekend
        """,
    )
    before = snapshot(session)
    with pytest.raises(ImportFailed) as caught:
        import_calendar(session, path, user=user, now=IMPORT_NOW)
    assert caught.value.errors == [
        f"{path}:1: term: no term covers 2025-12-01 (2 marks), which hold marks; importing "
        "replaces the school years the file covers, so keep the terms that hold the register "
        "so far",
        f"{path}:3: start: closes 2025-10-20 (2 marks), which hold marks; keep them school days",
    ]
    assert snapshot(session) == before


def test_many_rows_are_checked_in_one_pass(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Twenty years of one-week terms, each with a closure, import whole (linear checks)."""
    user, _ = school
    lines = [HEADER]
    start = date(2026, 1, 5)
    for week in range(1040):
        monday = start + timedelta(weeks=week)
        lines.append(f"{monday},{monday + timedelta(days=4)},term,Week {week}")
        lines.append(f"{monday + timedelta(days=2)},{monday + timedelta(days=2)},closure,Wed")
    path = tmp_path / "weeks.csv"
    path.write_text("\n".join(lines) + "\n")
    summary = import_calendar(session, path, user=user, now=IMPORT_NOW)
    assert (summary.terms, summary.closures) == (1040, 1040)
    assert len(load_calendar(session).days) == 1040 * 4
