"""`backup DIR`, `restore FILE` and `check`: exit statuses and what they print."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from attendance_desk.access.auth import OFFICE_USERNAME
from attendance_desk.commands.backup import cmd_backup, cmd_check, cmd_restore
from attendance_desk.commands.login import Login
from attendance_desk.store import backup, instance_lock
from tests.store.conftest import execute, table_contents

pytestmark = pytest.mark.sqlite_only("backup, restore and check work on the SQLite file")


def test_backup_prints_the_file(
    school_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backup exits 0 and says where the file went."""
    assert cmd_backup(school_db, tmp_path / "stick") == 0
    [made] = backup.list_backups(tmp_path / "stick")
    assert str(made.path) in capsys.readouterr().out


def test_backup_of_a_missing_database_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No database: exit 1 with the reason on stderr."""
    assert cmd_backup(tmp_path / "none.db", tmp_path / "stick") == 1
    assert "does not exist" in capsys.readouterr().err


def test_restore_prints_what_it_kept_aside(
    school_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A restore exits 0, names the file kept aside, and leaves no lock behind; the restored
    database is the backup plus one line of its audit trail naming who restored it."""
    cmd_backup(school_db, tmp_path / "stick")
    [made] = backup.list_backups(tmp_path / "stick")
    capsys.readouterr()
    assert cmd_restore(school_db, made.path, Login(1, OFFICE_USERNAME)) == 0
    out = capsys.readouterr().out
    assert "The database it replaced is kept as" in out
    [aside] = school_db.parent.glob("school.replaced-*.db")
    assert str(aside) in out
    restored, backed_up = table_contents(school_db), table_contents(made.path)
    trail = ("audit_events", "audit_chain_head")
    events = restored.pop("audit_events")
    del restored["audit_chain_head"]
    assert restored == {k: v for k, v in backed_up.items() if k not in trail}
    assert len(events) == len(backed_up["audit_events"]) + 1
    with closing(sqlite3.connect(school_db)) as conn:
        who, action, entity, detail = conn.execute(
            "SELECT user_name, action, entity, detail FROM audit_events ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert (who, action, entity) == ("School office", "restore", "database")
    assert json.loads(detail) == {"backup": str(made.path), "replaced_kept_as": str(aside)}
    assert backup.check(school_db) == []  # the line joins the audit chain
    assert not instance_lock.lock_path(school_db).exists()


def test_restore_refuses_while_the_app_is_open(
    school_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With another Attendance Desk holding the lock, restore changes nothing and says why."""
    cmd_backup(school_db, tmp_path / "stick")
    [made] = backup.list_backups(tmp_path / "stick")
    instance_lock.lock_path(school_db).write_text(
        json.dumps({"pid": 1, "host": "office-pc-2", "since": "2025-09-12T08:15:00"})
    )
    before = school_db.read_bytes()
    assert cmd_restore(school_db, made.path, None) == 1
    err = capsys.readouterr().err
    assert "open on office-pc-2 since Fri 12 Sep 08:15" in err and "Nothing was changed" in err
    assert school_db.read_bytes() == before
    assert not list(school_db.parent.glob("school.replaced-*"))


def test_restore_of_a_bad_file_fails_cleanly(
    school_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that is not a backup: exit 1, the reason, and the lock released."""
    junk = tmp_path / "junk.db"
    junk.write_text("hello")
    assert cmd_restore(school_db, junk, None) == 1
    assert "nothing was changed" in capsys.readouterr().err
    assert not instance_lock.lock_path(school_db).exists()


def test_check_exit_status(school_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """0 and a one-line all-clear when clean; 1 and one line per problem otherwise."""
    assert cmd_check(school_db) == 0
    assert capsys.readouterr().out == f"No problems found in {school_db}.\n"
    execute(school_db, "UPDATE marks SET code = 'H' WHERE id = 1")
    assert cmd_check(school_db) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"1 problem(s) in {school_db}:",
        "  codes: 1 marks 'H', which is not a national code",
    ]
