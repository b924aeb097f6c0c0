"""The opt-in SQLCipher database: encrypted in place (key in the keyring), opened, checked,
backed up and restored as before, and refused with a clear reason when the key is missing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from attendance_desk.commands.backup import cmd_check, cmd_encrypt_database
from attendance_desk.models import Pupil
from attendance_desk.store import backup, db_cipher, restoring
from attendance_desk.store.db import DatabaseError, copy_database, open_database
from tests.helpers.memory_keyring import MemoryKeyring, memory_keyring
from tests.store.test_encrypted_backups import SECRET, set_passphrase

pytestmark = pytest.mark.sqlite_only("SQLCipher encrypts the SQLite file")
NOW = datetime(2025, 9, 12, 9, 0)


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    with memory_keyring() as ring:
        yield ring


def pupils_in(path: Path) -> int:
    factory = open_database(path)
    with factory() as session:
        count = session.scalar(select(func.count()).select_from(Pupil)) or 0
    factory.kw["bind"].dispose()
    return count


def test_encrypting_needs_the_backup_passphrase_first(
    school_db: Path, ring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a backup passphrase the file is left plain and the reason given."""
    assert cmd_encrypt_database(school_db) == 1
    assert "set the backup passphrase first" in capsys.readouterr().err
    assert not db_cipher.is_encrypted(school_db) and ring.passwords == {}


def test_an_encrypted_database_works_as_before(
    school_db: Path, ring: MemoryKeyring, tmp_path: Path
) -> None:
    """Encrypted: unreadable as a file, opened and checked with the keyring's key; its
    copies stay encrypted; a backup restores into it and it stays encrypted."""
    set_passphrase(school_db)
    assert cmd_encrypt_database(school_db) == 0
    data = school_db.read_bytes()
    assert db_cipher.is_encrypted(school_db) and b"Adams" not in data
    assert list(ring.passwords) == [(db_cipher.KEYRING_SERVICE, str(tmp_path.resolve()))]
    assert pupils_in(school_db) == 2
    assert cmd_check(school_db) == 0
    copy = tmp_path / "school.before-test.db"
    copy_database(school_db, copy)
    assert db_cipher.is_encrypted(copy)

    made = backup.backup_to(school_db, tmp_path / "Backups", NOW)
    assert made.suffix == ".enc"
    restoring.restore(made, school_db, NOW, passphrase=lambda: SECRET)
    assert db_cipher.is_encrypted(school_db) and pupils_in(school_db) == 2


def test_without_the_key_it_is_refused_with_the_way_out(
    school_db: Path, ring: MemoryKeyring
) -> None:
    """A keyring that lost the key: the start says so and points at the backups."""
    set_passphrase(school_db)
    assert cmd_encrypt_database(school_db) == 0
    ring.passwords.clear()
    with pytest.raises(DatabaseError, match="no key .* in this user's keyring .*restore a backup"):
        open_database(school_db)
