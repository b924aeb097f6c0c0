"""Files with pupil data are readable by the user only (0600 in 0700 folders), from the start."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.commands.letters import letters_command
from attendance_desk.commands.login import Login
from attendance_desk.commands.report import report_weekly
from attendance_desk.store import backup, private_files
from attendance_desk.store.db import open_database
from tests.helpers.builders import add_pupil, add_staff, build_school, mark_days
from tests.letters.scenarios import LETTER_DAY, attend, give_addresses
from tests.store.test_upgrade_atomic import at_revision

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits"),
    pytest.mark.sqlite_only("permissions of the SQLite file and its copies"),
]
NOW = datetime(2025, 9, 12, 9, 0)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common umask (files 0644, folders 0755 unless the app says otherwise)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_database_and_its_folder_are_private(tmp_path: Path) -> None:
    """A new school's file, its WAL files and the folder made for it: owner only."""
    (tmp_path / "shared").mkdir(mode=0o755)
    path = tmp_path / "shared" / "new" / "deeper" / "school.db"
    factory = open_database(path)
    with factory() as session:
        build_school(session)
        session.commit()
        for name in ("school.db", "school.db-wal", "school.db-shm"):
            assert mode(path.parent / name) == 0o600, name
    factory.kw["bind"].dispose()
    assert mode(path.parent) == mode(path.parent.parent) == 0o700
    assert mode(tmp_path / "shared") == 0o755  # a folder that was there already is left alone


def test_an_older_world_readable_database_loses_world_access(tmp_path: Path) -> None:
    """A file an older version made 0644 is 0640 after opening: group kept, world gone."""
    path = tmp_path / "school.db"
    open_database(path).kw["bind"].dispose()
    os.chmod(path, 0o644)
    open_database(path).kw["bind"].dispose()
    assert mode(path) == 0o640


def test_backups_and_upgrade_copies_are_private(school_db: Path, tmp_path: Path) -> None:
    """The backup folder made for them and each backup; the copy kept before an upgrade."""
    made = backup.backup_to(school_db, tmp_path / "Backups", NOW)
    assert mode(made) == 0o600 and mode(made.parent) == 0o700
    older = tmp_path / "older.db"
    at_revision(older, "0011")  # made by an older version
    open_database(older).kw["bind"].dispose()
    [copy] = tmp_path.glob("older.before-*.db")
    assert mode(copy) == 0o600


def test_letters_and_reports_are_private(
    tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    """Every letter PDF and the print-all file, the letters folder, the weekly SLT pack."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    give_addresses(amy)
    attend(session, amy, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
    mark_days(session, add_pupil(session, 2), user, {(date(2025, 9, 10), "AM"): "/"})
    pat = add_staff(session, pat="admin")["pat"]
    session.commit()
    login = Login(pat.id, pat.username)
    out = tmp_path / "letters"
    assert letters_command(factory, LETTER_DAY, out, login=login) == 0
    assert mode(out) == 0o700
    files = list(out.iterdir())
    assert len(files) == 3 and all(mode(f) == 0o600 for f in files)
    pack = tmp_path / "reports" / "slt.pdf"
    assert report_weekly(factory, date(2025, 9, 10), pack, login=login) == 0
    assert mode(pack) == 0o600 and mode(pack.parent) == 0o700


def test_write_private_never_leaves_a_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails part-way leaves the earlier file as it was and no temporary file."""
    target = private_files.write_private(tmp_path / "a.pdf", b"first")

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        private_files.write_private(target, b"second")
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
