"""Restore refuses harmful files, never runs under a writer, and a restore killed at any step
is finished or undone, loudly, by the next start."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from attendance_desk.commands.backup import cmd_check, cmd_restore
from attendance_desk.store import backup, restore_journal, restoring, writers
from attendance_desk.store.db import DatabaseError, open_database
from tests.helpers.builders import add_pupil
from tests.store.conftest import execute, table_contents
from tests.store.test_upgrade_atomic import at_revision

pytestmark = pytest.mark.sqlite_only("restores of the SQLite file")
NOW = datetime(2025, 9, 12, 9, 2, 15)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def made(school_db: Path, tmp_path: Path) -> Path:
    """A sound backup of the school, then a change to the live database after it."""
    copy = backup.backup_to(school_db, tmp_path / "Backups", NOW)
    factory = open_database(school_db)
    with factory() as session:
        add_pupil(session, 9, surname="Later", forename="Lee")
        session.commit()
    factory.kw["bind"].dispose()
    return copy


def spoiled(made: Path, tmp_path: Path, *statements: str) -> Path:
    bad = tmp_path / "spoiled.backup.db"
    shutil.copy(made, bad)
    execute(bad, *statements)
    return bad


HARMFUL = [
    (
        ("ALTER TABLE pupils RENAME COLUMN legal_surname TO surname",),
        "column pupils.legal_surname is missing",
    ),
    (
        (
            "CREATE TABLE notes_copy (body TEXT)",
            "CREATE TRIGGER copy_notes AFTER INSERT ON case_notes "
            "BEGIN INSERT INTO notes_copy VALUES (NEW.text); END",
        ),
        "table notes_copy is not one of the app's",
    ),
    (
        (
            "CREATE TRIGGER copy_notes AFTER INSERT ON case_notes "
            "BEGIN UPDATE school SET name = NEW.text; END",
        ),
        "trigger copy_notes on case_notes is not one of the app's",
    ),
    (
        ("DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"),
        "trigger audit_events_no_delete is missing; trigger audit_events_no_update is missing",
    ),
]


@pytest.mark.parametrize(("statements", "says"), HARMFUL)
def test_a_harmful_file_is_refused_before_the_swap(
    statements: tuple[str, ...], says: str, school_db: Path, made: Path, tmp_path: Path
) -> None:
    """Wrong columns, an extra table or trigger, missing audit triggers: refused by name."""
    bad = spoiled(made, tmp_path, *statements)
    before = table_contents(school_db)
    with pytest.raises(backup.BackupError, match="nothing was changed") as refused:
        restoring.restore(bad, school_db, NOW)
    assert says in str(refused.value)
    assert table_contents(school_db) == before
    assert not list(tmp_path.glob("school.replaced-*"))


def test_an_edited_audit_trail_is_refused(school_db: Path, made: Path, tmp_path: Path) -> None:
    """A backup whose audit rows were edited (triggers put back after) fails its chain."""
    bad = spoiled(
        made,
        tmp_path,
        "DROP TRIGGER audit_events_no_update",
        "UPDATE audit_events SET user_name = 'Someone else' WHERE id = 1",
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    )
    with pytest.raises(backup.BackupError, match="audit row 1 .* changed after it was written"):
        restoring.restore(bad, school_db, NOW)


def test_check_names_a_missing_or_extra_trigger(
    school_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check` lists a trigger that is gone and one that is not the app's."""
    execute(
        school_db,
        "DROP TRIGGER audit_events_no_delete",
        "CREATE TRIGGER spy AFTER INSERT ON case_notes BEGIN SELECT 1; END",
    )
    assert cmd_check(school_db) == 1
    out = capsys.readouterr().out
    assert "schema: trigger audit_events_no_delete is missing" in out
    assert "schema: trigger spy on case_notes is not one of the app's" in out


def test_an_older_backup_is_upgraded_in_the_copy(school_db: Path, tmp_path: Path) -> None:
    """A backup from an older version is checked against that version's schema, upgraded
    beside the database, and only then put in place."""
    older = tmp_path / "older.backup.db"
    at_revision(older, "0011")
    restoring.restore(older, school_db, NOW)
    assert cmd_check(school_db) == 0


def test_restore_waits_for_a_running_import(
    school_db: Path, made: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """While another process is signed in as a writer (an import), restore is refused."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path\n"
            "from attendance_desk.store import writers\n"
            "with writers.writing(Path(sys.argv[1])):\n"
            "    print('writing', flush=True); time.sleep(60)",
            str(school_db),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "writing"
        before = table_contents(school_db)
        assert cmd_restore(school_db, made, None) == 1
        err = capsys.readouterr().err
        assert f"being changed right now (process {child.pid} on this PC" in err
        assert table_contents(school_db) == before
    finally:
        child.kill()
        child.wait()
    assert cmd_restore(school_db, made, None) == 0  # a killed writer does not block for ever


def test_nothing_can_start_writing_during_a_restore(school_db: Path, made: Path) -> None:
    """A live restore's journal stops a new writer (and a start) with a clear message."""
    restore_journal.claim(
        school_db, backup=made, partial=school_db.with_name("p"), aside=school_db, now=NOW
    )
    try:
        with (
            pytest.raises(writers.RestoreUnderWay, match="restore of .* is under way"),
            writers.writing(school_db),
        ):
            pass
        with pytest.raises(DatabaseError, match="under way"):
            open_database(school_db)
    finally:
        restore_journal.close(school_db)


def run_child(school_db: Path, made: Path, step: str) -> int:
    child = subprocess.run(
        [sys.executable, "-m", "tests.store.restore_child", str(school_db), str(made), step],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return child.returncode


@pytest.mark.parametrize(
    ("step", "restored", "says"),
    [
        ("prepared", False, "interrupted before it changed anything"),
        ("aside", False, "interrupted before it changed anything"),
        ("renamed", True, "interrupted after it had put the backup in place"),
    ],
)
def test_a_restore_killed_mid_way_is_settled_loudly(
    step: str, restored: bool, says: str, school_db: Path, made: Path
) -> None:
    """Killed at each step, the file is always a whole database; the next start undoes or
    finishes the restore, says which, and leaves no journal or temporary copy."""
    current, wanted = table_contents(school_db), table_contents(made)
    assert run_child(school_db, made, step) == 9
    assert school_db.exists()
    assert table_contents(school_db) == (wanted if restored else current)
    notices: list[str] = []
    factory = open_database(school_db, on_notice=notices.append)
    factory.kw["bind"].dispose()
    [note] = notices
    assert says in note
    assert not restore_journal.journal_path(school_db).exists()
    assert not list(school_db.parent.glob(".school.db.restoring*"))
    assert sorted(p.name for p in school_db.parent.glob("school.replaced-*")) == (
        ["school.replaced-20260110-120000.db"] if restored else []
    )
    assert cmd_check(school_db) == 0
