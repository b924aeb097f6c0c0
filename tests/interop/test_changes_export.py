"""After an outage: the changed marks as a marks CSV, batches, and `export changes`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.interop import import_marks
from attendance_desk.interop.changes_export import (
    ExportRangeError,
    count_unexported,
    export_changes,
    last_batch_end,
    parse_moment,
)
from attendance_desk.interop.csv_marks_export import export_marks
from attendance_desk.models import ChangeExport, Mark, Pupil, User
from attendance_desk.register.marks import amend_mark, record_mark
from tests.helpers.builders import add_staff
from tests.helpers.cli import run_cli

OUTAGE = datetime(2025, 9, 8, 8, 0)
BACK = datetime(2025, 9, 10, 16, 0)
EXPORT_CSV = "upn,date,session,code,reason\n"


def mark(
    session: Session, pupil: Pupil, user: User, day: date, sess: str, code: str, at: datetime
) -> Mark:
    made = record_mark(
        session,
        pupil=pupil,
        day=day,
        session_name=sess,
        code=code,
        user=user,
        now=at,
        reason="dentist" if code == "C" else None,
    )
    session.flush()
    return made


@pytest.fixture
def outage(session: Session, school: tuple[User, list[Pupil]]) -> tuple[User, list[Pupil]]:
    """A mark before the outage, two during it and an amendment during it of an older mark."""
    user, (adams, brown, _) = school
    mark(session, adams, user, date(2025, 9, 5), "AM", "/", datetime(2025, 9, 5, 9, 0))
    old = mark(session, brown, user, date(2025, 9, 5), "AM", "N", datetime(2025, 9, 5, 9, 0))
    mark(session, adams, user, date(2025, 9, 8), "AM", "/", datetime(2025, 9, 8, 9, 0))
    mark(session, brown, user, date(2025, 9, 8), "AM", "C", datetime(2025, 9, 8, 9, 1))
    amend_mark(
        session, mark=old, code="I", reason="mum rang", user=user, now=datetime(2025, 9, 9, 10, 0)
    )
    session.commit()
    return user, [adams, brown]


def test_export_has_only_the_changes_in_the_range(
    session: Session, outage: tuple[User, list[Pupil]], tmp_path: Path
) -> None:
    """Recorded or amended in [since, until): three rows in the marks layout, reason kept."""
    user, (adams, brown) = outage
    out = tmp_path / "changes.csv"
    done = export_changes(session, out, since=OUTAGE, until=BACK, user=user, now=BACK)
    session.commit()
    assert done.rows == 3
    assert out.read_text() == (
        EXPORT_CSV + f"{brown.upn},2025-09-05,AM,I,\n"
        f"{adams.upn},2025-09-08,AM,/,\n"
        f"{brown.upn},2025-09-08,AM,C,dentist\n"
    )
    batch = session.scalar(select(ChangeExport))
    assert batch is not None
    assert (batch.since, batch.until, batch.rows, batch.file_name) == (
        OUTAGE,
        BACK,
        3,
        "changes.csv",
    )


def test_the_export_has_the_marks_export_header_and_imports_back(
    session: Session, outage: tuple[User, list[Pupil]], tmp_path: Path
) -> None:
    """Same header as `export marks`; importing the file changes nothing."""
    user, _ = outage
    marks_file, changes_file = tmp_path / "marks.csv", tmp_path / "changes.csv"
    export_marks(session, marks_file, start=date(2025, 9, 1), end=date(2025, 9, 30))
    export_changes(session, changes_file, since=OUTAGE, until=BACK, user=user, now=BACK)
    header = marks_file.read_text().splitlines()[0]
    assert changes_file.read_text().splitlines()[0] == header
    summary = import_marks(session, changes_file, user=user, now=BACK)
    assert (summary.added, summary.amended, summary.unchanged) == (0, 0, 3)


def test_second_export_contains_only_later_changes(
    session: Session, outage: tuple[User, list[Pupil]], tmp_path: Path
) -> None:
    """After a batch, "not exported" counts from its end, and the next batch starts there."""
    user, (adams, _) = outage
    assert count_unexported(session) is None  # no batch yet: nothing to count from
    export_changes(session, tmp_path / "one.csv", since=OUTAGE, until=BACK, user=user, now=BACK)
    session.commit()
    assert count_unexported(session) == 0
    later = datetime(2025, 9, 11, 9, 0)
    mark(session, adams, user, date(2025, 9, 11), "AM", "/", later)
    session.commit()
    assert count_unexported(session) == 1
    start = last_batch_end(session)
    assert start == BACK
    two = tmp_path / "two.csv"
    done = export_changes(
        session,
        two,
        since=start,
        until=later.replace(hour=12),
        user=user,
        now=later.replace(hour=12),
    )
    assert done.rows == 1
    assert two.read_text() == EXPORT_CSV + f"{adams.upn},2025-09-11,AM,/,\n"


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        (BACK, OUTAGE, "ends .* before it starts"),
        (OUTAGE, datetime(2025, 9, 12), "cannot end in the future"),
    ],
)
def test_a_wrong_range_writes_nothing(
    session: Session,
    outage: tuple[User, list[Pupil]],
    tmp_path: Path,
    since: datetime,
    until: datetime,
    message: str,
) -> None:
    """No file and no batch for a backwards or future range."""
    user, _ = outage
    out = tmp_path / "changes.csv"
    with pytest.raises(ExportRangeError, match=message):
        export_changes(session, out, since=since, until=until, user=user, now=BACK)
    session.rollback()
    assert not out.exists()
    assert session.scalar(select(func.count()).select_from(ChangeExport)) == 0


def test_moments_are_dates_or_date_times() -> None:
    """A date means midnight; a date-time is taken as written; anything else is explained."""
    assert parse_moment("2025-09-08") == datetime(2025, 9, 8)
    assert parse_moment("2025-09-08T09:30") == datetime(2025, 9, 8, 9, 30)
    assert parse_moment("2025-09-08 09:30") == datetime(2025, 9, 8, 9, 30)
    with pytest.raises(ExportRangeError, match="'yesterday' is not a date or time"):
        parse_moment("yesterday")


@pytest.fixture
def rita(session: Session, outage: tuple[User, list[Pupil]]) -> User:
    """The receptionist, who runs the export from the command line."""
    staff = add_staff(session, pat="admin", rita="receptionist")
    session.commit()
    return staff["rita"]


def test_cli_export_changes(session: Session, rita: User, db_path: Path, tmp_path: Path) -> None:
    """`export changes --since D --out F` writes the changes, says how many, and records
    the batch as the member of staff who ran it."""
    out = tmp_path / "changes.csv"
    done = run_cli(
        db_path, "export", "changes", "--since", "2025-09-08", "--out", str(out), user="rita"
    )
    assert done.returncode == 0, done.stderr
    assert "3 changed marks" in done.stdout
    assert len(out.read_text().splitlines()) == 4
    session.expire_all()
    assert session.scalars(select(ChangeExport.exported_by_name)).one() == "Rita"


def test_cli_bad_since_is_explained_and_writes_nothing(
    session: Session, rita: User, db_path: Path, tmp_path: Path
) -> None:
    """A --since that is not a date: exit 1, the option named, no file, no batch."""
    out = tmp_path / "changes.csv"
    done = run_cli(
        db_path, "export", "changes", "--since", "8/9/2025", "--out", str(out), user="rita"
    )
    assert done.returncode == 1
    assert "--since: '8/9/2025' is not a date or time" in done.stderr
    assert not out.exists()
    assert session.scalar(select(func.count()).select_from(ChangeExport)) == 0
