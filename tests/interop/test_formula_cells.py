"""Exports never hand a spreadsheet a formula, and still import back unchanged; imports
refuse formulas in phone and email cells."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.csv_files import FORMULA_START, as_written, spreadsheet_safe
from attendance_desk.figures.lists import concern_lists, write_csv
from attendance_desk.interop import (
    ImportFailed,
    export_contacts,
    export_marks,
    export_pupils,
    import_contacts,
    import_marks,
    import_pupils,
)
from attendance_desk.models import Contact, Mark, Pupil, User
from tests.helpers.builders import mark_days
from tests.interop.csvfiles import DSL, IMPORT_NOW, nothing_pending, snapshot
from tests.interop.csvfiles import write_csv as csv_file

School = tuple[User, list[Pupil]]
#: Text a spreadsheet would run, and text that only looks close to it.
DANGEROUS = [
    '=HYPERLINK("http://evil.example","Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "'=already quoted",
    "''+twice quoted",
    "'plain apostrophe",
    "\tTabbed",
]


@given(st.text())
def test_escape_then_read_gives_back_any_text(text: str) -> None:
    """For every text, reading what an export writes gives the text back; what is written
    never starts with a formula character."""
    written = spreadsheet_safe(text)
    assert isinstance(written, str)
    assert as_written(written) == text
    assert not written.startswith(FORMULA_START)


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return [cell for row in csv.reader(f) for cell in row]


def test_pupils_contacts_and_marks_export_escaped_and_import_back_unchanged(
    session: Session, school: School, tmp_path: Path
) -> None:
    """Names, a social worker, contacts and a mark's reason that start like formulas are
    written with an apostrophe first, and the files import back with nothing changed."""
    user, (amy, ben, cara) = school
    amy.legal_surname, amy.preferred_forename = "-Smith", "@Ames"
    amy.social_worker = DANGEROUS[1]
    ben.legal_forename = DANGEROUS[4]
    cara.legal_surname = DANGEROUS[5]
    amy.contacts[0].name = DANGEROUS[0]
    amy.contacts[0].relationship_to_pupil = DANGEROUS[6]
    amy.contacts[0].phone = "+44 7700 900123"
    mark_days(session, amy, user, {(date(2025, 9, 8), "AM"): "B"})
    stored = session.scalars(select(Mark).where(Mark.pupil_id == amy.id)).one()
    stored.reason = DANGEROUS[3]
    session.commit()
    paths = {kind: tmp_path / f"{kind}.csv" for kind in ("pupils", "contacts", "marks")}
    export_pupils(session, paths["pupils"], viewer=DSL)
    export_contacts(session, paths["contacts"])
    export_marks(session, paths["marks"], start=date(2025, 9, 1), end=date(2025, 9, 30))
    cells = [cell for path in paths.values() for cell in _cells(path)]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    used = [DANGEROUS[i] for i in (0, 1, 3, 4, 5)]
    for text in (*used, "-Smith", "@Ames", "+44 7700 900123"):
        assert "'" + text in cells, text
    assert DANGEROUS[6] in cells
    before = snapshot(session)
    import_pupils(session, paths["pupils"], user=user, now=IMPORT_NOW)
    import_contacts(session, paths["contacts"], user=user, now=IMPORT_NOW)
    import_marks(session, paths["marks"], user=user, now=IMPORT_NOW)
    session.flush()
    after = snapshot(session)
    # the marks import notes that it ran; nothing else may differ
    assert after.pop("audit_events")[: len(before["audit_events"])] == before.pop("audit_events")
    for tables in (after, before):
        tables.pop("audit_chain_head", None)  # the chain's newest link moves with each row
    assert after == before


def test_report_lists_csv_is_escaped(session: Session, school: School, tmp_path: Path) -> None:
    """The Reports tab's PA list CSV writes a formula-like name as text."""
    user, (amy, *_) = school
    amy.legal_forename = DANGEROUS[0]
    days = [date(2025, 9, d) for d in (8, 9, 10)]
    mark_days(session, amy, user, {(d, s): "O" for d in days for s in ("AM", "PM")})
    session.commit()
    found = concern_lists(session, date(2025, 9, 1), date(2025, 9, 30), viewer=user)
    path = tmp_path / "pa.csv"
    write_csv(path, found.persistent)
    assert f"'{DANGEROUS[0]} Adams" in _cells(path)
    assert not any(cell.startswith(FORMULA_START) for cell in _cells(path))


@pytest.mark.parametrize(
    ("phone", "email", "column"),
    [
        ("=1+2", "", "phone"),
        ("@SUM(A1)", "", "phone"),
        ("+1+cmd|' /C calc'!A0", "", "phone"),
        ("-2+3", "", "phone"),
        ("", '=HYPERLINK("x@y.org")', "email"),
        ("", "+x@y.org", "email"),
    ],
)
def test_formulas_in_phone_or_email_are_refused_by_line(
    session: Session, school: School, tmp_path: Path, phone: str, email: str, column: str
) -> None:
    """A formula in a phone or email cell is refused on its line, naming the column, and
    nothing is imported; real numbers with +44 or dashes are fine."""
    user, (amy, *_) = school
    quoted = lambda text: '"' + text.replace('"', '""') + '"'  # noqa: E731
    path = csv_file(
        tmp_path,
        "c.csv",
        "upn,priority,name,relationship,parental_responsibility,phone,email\n"
        f"{amy.upn},1,Sarah Adams,Mother,Y,+44 7700 900001,sarah@example.org\n"
        f"{amy.upn},2,David Adams,Father,Y,{quoted(phone)},{quoted(email)}\n"
        f"{amy.upn},3,Jo Adams,Aunt,N,01632-960-001 (work),\n",
    )
    before = snapshot(session)
    with pytest.raises(ImportFailed) as caught:
        import_contacts(session, path, user=user, now=IMPORT_NOW)
    (error,) = caught.value.errors
    assert error.startswith(f"{path}:3: {column}: ")
    assert "looks like a spreadsheet formula" in error
    assert nothing_pending(session) and snapshot(session) == before
    assert session.scalar(select(Contact.phone).where(Contact.pupil_id == amy.id)) is not None
