"""Backups leaving the PC are encrypted; only the passphrase (on the recovery sheet) opens
them; a changed or cut-short file is refused; the command line takes the passphrase from
the environment."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from attendance_desk.access.auth import office_user
from attendance_desk.cli import main
from attendance_desk.commands.backup import PASSPHRASE_VAR, cmd_backup, cmd_restore
from attendance_desk.commands.login import PASSWORD_ENV
from attendance_desk.store import backup, backup_keys, restoring
from attendance_desk.store.db import open_database, transaction
from tests.helpers.builders import STAFF_PASSWORD, add_staff
from tests.printing.pdftext import pages
from tests.store.conftest import table_contents

pytestmark = pytest.mark.sqlite_only("backups of the SQLite file")
NOW = datetime(2025, 9, 12, 9, 2, 15)
SECRET = "correct horse battery staple"


def set_passphrase(db: Path, passphrase: str = SECRET) -> str:
    factory = open_database(db)
    with transaction(factory) as session:
        record = backup_keys.set_passphrase(
            session, user=office_user(session), now=NOW, passphrase=passphrase
        )
        fingerprint = record.fingerprint
    factory.kw["bind"].dispose()
    return fingerprint


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    """A folder outside the database's own (as a USB stick is)."""
    folder = tmp_path.parent / f"{tmp_path.name}-stick"
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_no_passphrase_no_backup_off_the_pc(school_db: Path, stick: Path) -> None:
    """Without a passphrase a backup to a stick is refused with the way to set one."""
    with pytest.raises(backup.BackupError, match="must be encrypted.*Backup passphrase"):
        backup.backup_to(school_db, stick, NOW)
    assert not stick.exists()


def test_an_encrypted_backup_reveals_nothing(school_db: Path, stick: Path) -> None:
    """The file is not SQLite, holds no pupil's name, is private, and no plain copy is left."""
    set_passphrase(school_db)
    made = backup.backup_to(school_db, stick, NOW)
    assert made.name == "hillside-primary-2025-09-12-090215.backup.enc"
    data = made.read_bytes()
    assert not data.startswith(b"SQLite format 3") and b"Adams" not in data
    assert oct(made.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in school_db.parent.iterdir() if ".plain" in p.name] == []
    assert [b.path for b in backup.list_backups(stick)] == [made]


def test_only_the_passphrase_opens_it(school_db: Path, stick: Path, tmp_path: Path) -> None:
    """No passphrase or a wrong one: refused, nothing changed; the right one restores."""
    set_passphrase(school_db)
    made = backup.backup_to(school_db, stick, NOW)
    before = table_contents(school_db)
    target = tmp_path / "new-pc" / "attendance.db"
    with pytest.raises(backup.BackupError, match="needs the backup passphrase"):
        restoring.restore(made, target, NOW)
    with pytest.raises(backup.BackupError, match="not the backup passphrase"):
        restoring.restore(made, target, NOW, passphrase=lambda: "a wrong guess here")
    assert not target.exists()
    restoring.restore(made, target, NOW, passphrase=lambda: SECRET)
    assert table_contents(target) == before


@pytest.mark.parametrize("spoil", ["flip", "cut", "cut_at_chunk"])
def test_a_changed_or_cut_file_is_refused(
    spoil: str, school_db: Path, stick: Path, tmp_path: Path
) -> None:
    """One byte changed, or the end cut off, and the backup does not check out."""
    set_passphrase(school_db)
    made = backup.backup_to(school_db, stick, NOW)
    data = bytearray(made.read_bytes())
    if spoil == "flip":
        data[len(data) // 2] ^= 0x01
    elif spoil == "cut":
        del data[-100:]
    else:
        del data[-16:]  # the whole of the last chunk's tag
    bad = tmp_path / "bad.backup.enc"
    bad.write_bytes(bytes(data))
    with pytest.raises(backup.BackupError, match="changed or cut short"):
        restoring.restore(bad, tmp_path / "restored.db", NOW, passphrase=lambda: SECRET)


def test_old_backups_keep_their_own_passphrase(school_db: Path, stick: Path) -> None:
    """After a change, older backups open with the old passphrase, newer with the new."""
    first = set_passphrase(school_db)
    old = backup.backup_to(school_db, stick, NOW)
    second = set_passphrase(school_db, "a new passphrase for a new year")
    new = backup.backup_to(school_db, stick, NOW + timedelta(days=1))
    assert first != second
    assert restoring.verify(old, passphrase=lambda: SECRET)
    with pytest.raises(backup.BackupError, match="not the backup passphrase"):
        restoring.verify(new, passphrase=lambda: SECRET)
    assert restoring.verify(new, passphrase=lambda: "a new passphrase for a new year")


def test_a_short_passphrase_is_refused(school_db: Path) -> None:
    """Fewer than 12 characters: refused with the reason."""
    with pytest.raises(ValueError, match="at least 12 characters"):
        set_passphrase(school_db, "short")


def test_the_command_line_from_passphrase_to_restore(
    school_db: Path,
    stick: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """backup-passphrase writes the recovery sheet; backup encrypts with no passphrase;
    restore takes it from the environment (and says what is missing without it)."""
    factory = open_database(school_db)
    with factory() as session:
        add_staff(session, pat="admin", rita="receptionist")
        session.commit()
    factory.kw["bind"].dispose()
    sheet = tmp_path / "sheets" / "recovery.pdf"
    monkeypatch.setenv(PASSPHRASE_VAR, SECRET)
    monkeypatch.setenv(PASSWORD_ENV, STAFF_PASSWORD)
    command = ["--db", str(school_db), "backup-passphrase", "--sheet", str(sheet), "--user"]
    assert main([*command, "rita"]) == 1  # only the administrator sets it
    assert "rita" in capsys.readouterr().err and not sheet.exists()
    assert main([*command, "pat"]) == 0
    out = capsys.readouterr().out
    [text] = pages(sheet.read_bytes())
    fingerprint = out.split("fingerprint ")[1].split(")")[0]
    assert SECRET in text and fingerprint in text and "Hillside Primary" in text
    assert oct(sheet.stat().st_mode & 0o777) == "0o600"

    monkeypatch.delenv(PASSPHRASE_VAR)
    assert cmd_backup(school_db, stick) == 0
    [made] = backup.list_backups(stick)
    assert made.path.suffix == ".enc"
    assert cmd_restore(school_db, made.path, None) == 1
    assert "needs the backup passphrase" in capsys.readouterr().err
    monkeypatch.setenv(PASSPHRASE_VAR, SECRET)
    assert cmd_restore(school_db, made.path, None) == 0
    assert os.environ[PASSPHRASE_VAR] == SECRET
