"""`check` finds each kind of damage and inconsistency planted in a real database file."""

from __future__ import annotations

import random
import re
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

from attendance_desk.store.backup import check
from tests.store.conftest import execute

pytestmark = pytest.mark.sqlite_only("`check` reads the SQLite file itself")

AMY = "(SELECT id FROM pupils WHERE legal_surname = 'Adams')"
BEN = "(SELECT id FROM pupils WHERE legal_surname = 'Brown')"
BENS_AMENDED = f"(SELECT id FROM marks WHERE pupil_id = {BEN} AND date = '2025-09-09')"


def mark_on(day: str, pupil: str = AMY, code: str = "/", reason: str = "NULL") -> str:
    return (
        "INSERT INTO marks (pupil_id, date, session, code, reason, recorded_at, version) "
        f"VALUES ({pupil}, '{day}', 'AM', '{code}', {reason}, '{day} 09:00:00.000000', 1)"
    )


def test_a_consistent_database_has_no_problems(school_db: Path) -> None:
    """The test school, amendment and all, passes every check."""
    assert check(school_db) == []


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        (
            [mark_on("2025-09-19")],
            r"^marks: 1 on 2025-09-19, which is not a school day \(INSET day\)$",
        ),
        ([mark_on("2025-09-13")], r"^marks: 1 on 2025-09-13, .*\(a Saturday\)$"),
        ([mark_on("2025-10-28")], r"^marks: 1 on 2025-10-28, .*\(between terms\)$"),
        (
            [mark_on("2026-03-02")],
            r"^marks: 1 on 1 day\(s\) from 2026-03-02 to 2026-03-02, outside the school "
            r"calendar \(it runs 2025-09-03 to 2025-12-19\)$",
        ),
        (
            [f"UPDATE pupils SET on_roll_from = '2025-09-09' WHERE id = {AMY}"],
            r"^marks: 2 for \w+ \(Amy Adams\) from 2025-09-08 to 2025-09-08, when they were "
            r"not on roll \(on roll from 2025-09-09\)$",
        ),
        (
            [
                f"UPDATE pupils SET on_roll_to = '2025-09-01' WHERE id = {AMY}",
                f"DELETE FROM marks WHERE pupil_id = {AMY}",
            ],
            r"^pupils: \w+ \(Amy Adams\) leaves the roll on 2025-09-01, before joining",
        ),
        (
            [f"UPDATE marks SET code = 'H' WHERE pupil_id = {AMY} AND date = '2025-09-09'"],
            r"^codes: 1 marks 'H', which is not a national code$",
        ),
        (
            [f"UPDATE marks SET code = 'B', reason = ' ' WHERE pupil_id = {AMY}"],
            r"^marks: 3 coded B \(.*\) have no reason, which that code needs$",
        ),
        (
            [f"UPDATE marks SET code = 'O' WHERE id = {BENS_AMENDED}"],
            r"^amendments: \w+ 2025-09-09 AM is O, but its last amendment leaves I$",
        ),
        (
            [
                "INSERT INTO mark_amendments (mark_id, old_code, new_code, reason, user_name, "
                f"user_position, amended_at) VALUES ({BENS_AMENDED}, 'N', 'I', 'again', 'X', "
                "'Office', '2025-09-10 09:00:00.000000')"
            ],
            r"^amendments: \w+ 2025-09-09 AM is I, but one amendment leaves I and the next "
            r"starts from N$",
        ),
        (
            [
                "INSERT INTO terms (academic_year_id, name, start, end) "
                "SELECT academic_year_id, 'Extra', '2025-10-20', '2025-10-30' FROM terms LIMIT 1"
            ],
            r"^calendar: terms 'Autumn 1' \(2025-09-03 to 2025-10-24\) and 'Extra' .* overlap$",
        ),
        (
            ["INSERT INTO closures (start, end, name) VALUES ('2025-08-01', '2025-08-02', 'Odd')"],
            r"^calendar: closure 'Odd' \(2025-08-01 to 2025-08-02\) is outside every term$",
        ),
        (
            [mark_on("2025-09-10", pupil="999")],
            r"^broken link: 1 row\(s\) of marks point to pupils rows that do not exist",
        ),
        (
            ["UPDATE alembic_version SET version_num = '0001'"],
            r"^schema: 0001 is older than this version's \w+; open the database",
        ),
        (
            ["UPDATE alembic_version SET version_num = 'zzzz'"],
            r"^schema: zzzz is not a schema this version knows$",
        ),
    ],
)
def test_each_planted_problem_is_reported(
    statements: list[str], expected: str, school_db: Path
) -> None:
    """A record planted by another tool (or a bug) gives one readable line saying what is wrong."""
    execute(school_db, *statements)
    problems = check(school_db)
    assert any(re.search(expected, line) for line in problems), problems
    assert len(problems) == 1, problems


def test_duplicate_contact_priorities(school_db: Path) -> None:
    """Two contacts at the same priority (possible in a file edited without the constraint)."""
    with closing(sqlite3.connect(school_db)) as conn:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'contacts'").fetchone()
        unconstrained = re.sub(
            r",\s*CONSTRAINT uq_contacts_pupil_id_priority UNIQUE [^)]*\)", "", sql
        )
        conn.executescript(
            "ALTER TABLE contacts RENAME TO old_contacts;"
            f"{unconstrained};"
            "INSERT INTO contacts SELECT * FROM old_contacts;"
            "DROP TABLE old_contacts;"
            f"UPDATE contacts SET priority = 1 WHERE pupil_id = {AMY};"
        )
    problems = check(school_db)
    assert "schema: index contacts(pupil_id,priority) is missing" in problems
    assert re.fullmatch(
        r"contacts: \w+ has 2 contacts at priority 1; who is rung first\?", problems[-1]
    )


def test_many_problems_of_a_kind_are_counted_after_the_first_twenty(school_db: Path) -> None:
    """Thirty closed days with marks: twenty are listed and the rest counted."""
    half_term = (date(2025, 10, 25), date(2025, 11, 2))
    later = (date(2025, 9, 13) + timedelta(days=n) for n in range(100))
    closed = [d for d in later if d.weekday() >= 5 or half_term[0] <= d <= half_term[1]]
    days = [d.isoformat() for d in closed[:30]]
    execute(school_db, *(mark_on(day) for day in days))
    problems = check(school_db)
    assert len(days) == 30 and len(problems) == 21
    assert problems[-1] == "... and the same for 10 more days"


def test_damage_is_reported_and_the_app_checks_wait(school_db: Path) -> None:
    """A scribbled-over index page is damage; the app's own checks are not run on it."""
    with closing(sqlite3.connect(school_db)) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_marks_date_pupil_code'"
        ).fetchone()
    data = bytearray(school_db.read_bytes())
    data[(root - 1) * 4096 + 8 : root * 4096 - 100] = random.Random(7).randbytes(4096 - 108)
    school_db.write_bytes(bytes(data))
    problems = check(school_db)
    assert problems and all(p.startswith(("damage:", "the app's own")) for p in problems)


def test_not_a_database_and_no_file(tmp_path: Path) -> None:
    """Random bytes, and a path with nothing there, are each one line, not a traceback."""
    junk = tmp_path / "junk.db"
    junk.write_bytes(random.Random(8).randbytes(5000))
    assert check(junk) == [
        f"damage: SQLite cannot read {junk} (file is not a database); restore a backup"
    ]
    assert check(tmp_path / "none.db") == [
        f"{tmp_path / 'none.db'}: there is no database file here"
    ]
    assert not (tmp_path / "none.db").exists()
