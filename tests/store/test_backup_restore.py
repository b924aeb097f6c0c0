"""Backups by SQLite's backup API; restores that check first and keep what they replace."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.auth import office_user
from attendance_desk.school import settings
from attendance_desk.store import backup, restoring
from attendance_desk.store.db import open_database
from tests.helpers.builders import add_pupil
from tests.store.conftest import execute, table_contents

pytestmark = pytest.mark.sqlite_only("backups and restores of the SQLite file")

NOW = datetime(2025, 9, 12, 9, 2, 15)
#: Damage is made from this seed, so a failure can be run again exactly.
SEED = 20250912


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_is_named_after_the_school_and_the_moment(school_db: Path, tmp_path: Path) -> None:
    """The file is `<school>-<date>-<time>.backup.db`, self-contained and sound."""
    made = backup.backup_to(school_db, tmp_path / "Backups", NOW)
    assert made.name == "hillside-primary-2025-09-12-090215.backup.db"
    assert not list(made.parent.glob("*.partial"))
    with closing(sqlite3.connect(made)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_backup_then_restore_gives_identical_data(school_db: Path, tmp_path: Path) -> None:
    """Every table holds the same rows after a backup, later changes and a restore."""
    before = table_contents(school_db)
    made = backup.backup_to(school_db, tmp_path / "Backups", NOW)
    assert table_contents(made) == before
    factory = open_database(school_db)
    with factory() as session:
        add_pupil(session, 9, surname="Later", forename="Lee")
        session.commit()
    factory.kw["bind"].dispose()
    assert table_contents(school_db) != before

    restoring.restore(made, school_db, NOW + timedelta(days=1))

    assert table_contents(school_db) == before


def test_backup_of_a_live_engine_sees_committed_work(school_db: Path, tmp_path: Path) -> None:
    """Backing up through the app's engine while it is open copies what was committed (WAL too)."""
    factory = open_database(school_db)
    with factory() as session:
        add_pupil(session, 9, surname="Later", forename="Lee")
        session.commit()
        made = backup.backup_to(factory.kw["bind"], tmp_path / "Backups", NOW)
    factory.kw["bind"].dispose()
    assert any(row[2] == "Later" for row in table_contents(made)["pupils"])


def test_restore_keeps_the_current_database_aside(school_db: Path, tmp_path: Path) -> None:
    """The replaced database is renamed with a timestamp, holding exactly what it held."""
    made = backup.backup_to(school_db, tmp_path / "Backups", NOW)
    factory = open_database(school_db)
    with factory() as session:
        add_pupil(session, 9, surname="Later", forename="Lee")
        session.commit()
    factory.kw["bind"].dispose()
    current = table_contents(school_db)

    aside = restoring.restore(made, school_db, datetime(2025, 9, 13, 10, 30))

    assert aside == school_db.with_name("school.replaced-20250913-103000.db")
    assert table_contents(aside) == current
    again = restoring.restore(made, school_db, datetime(2025, 9, 13, 10, 30))
    assert again is not None and again != aside and aside.exists()


def test_restore_onto_a_new_computer_needs_no_current_database(
    school_db: Path, tmp_path: Path
) -> None:
    """With no database yet, the backup is simply copied in and nothing is set aside."""
    made = backup.backup_to(school_db, tmp_path / "Backups", NOW)
    target = tmp_path / "new-pc" / "attendance.db"
    target.parent.mkdir()
    assert restoring.restore(made, target, NOW) is None
    assert table_contents(target) == table_contents(made)


def _noise(size: int, salt: int = 0) -> bytes:
    """`size` bytes of seeded noise: the same damage on every run."""
    return random.Random(SEED + salt).randbytes(size)


def _random_bytes(path: Path, _good: Path) -> None:
    path.write_bytes(_noise(8192))


def _truncated(path: Path, good: Path) -> None:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flipped_pages(path: Path, good: Path) -> None:
    data = bytearray(good.read_bytes())
    for offset in range(4096 + 100, len(data), 4096):  # every page after the first
        data[offset : offset + 64] = _noise(64, offset)
    path.write_bytes(bytes(data))


def _damaged_index(path: Path) -> None:
    """Scribble over the marks index's page (a table's pages copy fine; checks find it)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_marks_date_pupil_code'"
        ).fetchone()
    data = bytearray(path.read_bytes())
    start = (root - 1) * 4096
    data[start + 8 : start + 4000] = _noise(3992)
    path.write_bytes(bytes(data))


def _other_program(path: Path, _good: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()


def _newer_app(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes())
    execute(path, "UPDATE alembic_version SET version_num = '9999_from_the_future'")


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (_random_bytes, "not an Attendance Desk database"),
        (_truncated, ""),
        (_flipped_pages, ""),
        (_other_program, "has no alembic_version, school, pupils, marks, audit_events table"),
        (_newer_app, "newer version"),
    ],
)
def test_restore_refuses_a_bad_file_without_touching_the_database(
    spoil: object, says: str, school_db: Path, tmp_path: Path
) -> None:
    """A corrupt, foreign or too-new file is refused; the database is byte-for-byte unchanged."""
    good = backup.backup_to(school_db, tmp_path / "Backups", NOW)
    bad = tmp_path / "bad.backup.db"
    spoil(bad, good)  # type: ignore[operator]
    before = digest(school_db)
    files = sorted(p.name for p in school_db.parent.iterdir())

    with pytest.raises(backup.BackupError, match="nothing was changed") as refused:
        restoring.restore(bad, school_db, NOW)

    assert says in str(refused.value)
    assert digest(school_db) == before
    assert sorted(p.name for p in school_db.parent.iterdir()) == files


def _scribbled(good: Path, seed: int) -> bytes:
    """`good` with 1 to 20 runs of seeded noise written over it anywhere past the header."""
    rng = random.Random(SEED + seed)
    data = bytearray(good.read_bytes())
    for _ in range(rng.randint(1, 20)):
        at, size = rng.randrange(100, len(data) - 64), rng.randint(1, 64)
        data[at : at + size] = rng.randbytes(size)
    return bytes(data)


def test_every_scribbled_file_is_a_clean_refusal(school_db: Path, tmp_path: Path) -> None:
    """200 seeded corruptions (schema pages with bytes that are not UTF-8 among them) each
    end in a `BackupError` or a sound file, never another exception."""
    good = backup.backup_to(school_db, tmp_path / "Backups", NOW)
    bad = tmp_path / "bad.backup.db"
    refused = 0
    for seed in range(200):
        bad.write_bytes(_scribbled(good, seed))
        try:
            restoring.verify(bad)
        except backup.BackupError:
            refused += 1
    assert refused > 50  # the rest land in free space or inside a value SQLite cannot judge


def test_backup_of_a_damaged_database_keeps_the_earlier_backups(
    school_db: Path, tmp_path: Path
) -> None:
    """A database that fails the quick check is not backed up, and nothing is rotated away."""
    folder = tmp_path / "Backups"
    for days in range(10):
        backup.backup_to(school_db, folder, NOW - timedelta(days=10 - days))
    kept = sorted(folder.iterdir())
    _damaged_index(school_db)

    with pytest.raises(backup.BackupError, match="the earlier backups were kept"):
        backup.backup_to(school_db, folder, NOW + timedelta(days=200))

    assert sorted(folder.iterdir()) == kept


def test_backup_of_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    """Backing up a path with no database says so and does not create an empty one."""
    with pytest.raises(backup.BackupError, match="does not exist"):
        backup.backup_to(tmp_path / "nope.db", tmp_path / "Backups", NOW)
    assert not (tmp_path / "nope.db").exists()


def test_backups_rotate_as_they_are_taken(school_db: Path, tmp_path: Path) -> None:
    """Forty daily backups leave the last 7 days, plus older weekly and monthly ones."""
    folder = tmp_path / "Backups"
    start = datetime(2025, 8, 1, 9, 0)
    for day in range(40):
        backup.backup_to(school_db, folder, start + timedelta(days=day))
    kept = {b.at for b in backup.list_backups(folder)}
    last = start + timedelta(days=39)
    assert {last - timedelta(days=d) for d in range(7)} <= kept
    assert kept == backup.backups_to_keep(kept, last)
    assert len(kept) < 40


def test_rotation_leaves_other_files_alone(school_db: Path, tmp_path: Path) -> None:
    """Files in the folder that are not backups by name are never deleted."""
    folder = tmp_path / "Backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    (folder / "attendance.db").write_bytes(b"")
    for day in range(20):
        backup.backup_to(school_db, folder, NOW + timedelta(days=day))
    assert (folder / "notes.txt").exists() and (folder / "attendance.db").exists()


def test_last_backup_age(school_db: Path, tmp_path: Path) -> None:
    """The age of the newest backup by its name; None for an empty or missing folder."""
    folder = tmp_path / "Backups"
    assert backup.last_backup_age(folder, NOW) is None
    backup.backup_to(school_db, folder, NOW - timedelta(days=3))
    backup.backup_to(school_db, folder, NOW - timedelta(hours=5))
    assert backup.last_backup_age(folder, NOW) == timedelta(hours=5)


def test_backup_folder_setting(factory: sessionmaker[Session], db_path: Path) -> None:
    """Empty means Backups beside the database; a relative folder is beside it too."""
    with factory() as session:
        office = office_user(session)
        assert backup.backup_folder(session, db_path) == db_path.parent / "Backups"
        settings.put(session, settings.BACKUP_FOLDER, "../usb", user=office, now=NOW)
        assert backup.backup_folder(session, db_path) == db_path.parent / "../usb"
        settings.put(session, settings.BACKUP_FOLDER, "/media/stick", user=office, now=NOW)
        assert backup.backup_folder(session, db_path) == Path("/media/stick")
