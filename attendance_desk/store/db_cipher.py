"""The live database encrypted at rest (opt-in): SQLCipher, with its key in the OS keyring.

`attendance-desk encrypt-database` turns a PC's database file into a SQLCipher file (AES-256
on every page, through the maintained `sqlcipher3-wheels` package). Its key is random, made
here, and kept only in the operating system's keyring (`keyring`: Windows Credential Manager,
macOS Keychain, the Secret Service on Linux), filed under the database's folder, so the
copies the app keeps beside the database (before an upgrade, after a restore) open with it
too. A disk taken out of the PC, or a copied file, is then unreadable; someone logged in
as the same user is not stopped (the keyring opens for them), which is what
`docs/security.md` says.

Everything that opens the file by hand (checks, backups, restore) goes through `connect`,
which uses SQLCipher and the key for an encrypted file and plain SQLite otherwise.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from contextlib import closing, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from attendance_desk.store import private_files

KEYRING_SERVICE = "Attendance Desk database key"
SQLITE_HEADER = b"SQLite format 3\x00"


class CipherError(Exception):
    """The database could not be encrypted, or its key is not to be found."""


def is_encrypted(path: Path) -> bool:
    """True for a file that is there, not empty, and not a plain SQLite database."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return len(head) == len(SQLITE_HEADER) and head != SQLITE_HEADER


def key_for(path: Path) -> str | None:
    """The key for databases in `path`'s folder, from the keyring (None when there is none
    or no keyring can be reached)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, _folder(path))
    except KeyringError:
        return None


def connect(path: Path, *, read_only: bool = False) -> Any:
    """A DB-API connection to the file: SQLCipher with its key when it is encrypted, plain
    SQLite otherwise. `read_only` can neither change nor create the file."""
    uri = f"{Path(path).resolve().as_uri()}?mode={'ro' if read_only else 'rwc'}"
    if not is_encrypted(path):
        return sqlite3.connect(uri, uri=True)
    key = key_for(path)
    if key is None:
        return sqlite3.connect(uri, uri=True)  # SQLite will say it is not a database
    import sqlcipher3

    conn = sqlcipher3.connect(uri, uri=True)
    conn.execute(f"PRAGMA key = '{key}'")
    return conn


def engine_url(path: Path) -> str | None:
    """The SQLAlchemy address for an encrypted file (None for a plain one)."""
    if not is_encrypted(path):
        return None
    key = key_for(path)
    if key is None:
        raise CipherError(
            f"{path} is not an Attendance Desk database this PC can open: it is not a plain "
            "database file, and no key for an encrypted one is in this user's keyring (if it "
            "was encrypted on this PC, log in as the user who did that, or restore a backup: "
            "backups do not need that key)"
        )
    return f"sqlite+pysqlcipher://:{key}@/{path}"


def export(source: Path, target: Path, *, encrypt_with: str | None) -> None:
    """Write `source` (plain, or encrypted with its folder's key) as `target` (0600),
    encrypted with `encrypt_with` or plain when that is None."""
    import sqlcipher3

    private_files.create_private(target)
    source_key = key_for(source) if is_encrypted(source) else None
    with closing(sqlcipher3.connect(str(source))) as conn:
        if source_key:
            conn.execute(f"PRAGMA key = '{source_key}'")
        target_text = str(target).replace("'", "''")
        conn.execute(f"ATTACH DATABASE '{target_text}' AS target KEY '{encrypt_with or ''}'")
        conn.execute("SELECT sqlcipher_export('target')")
        conn.execute("DETACH DATABASE target")


def encrypt_database(db_path: Path, now: datetime) -> None:
    """Encrypt the database at `db_path` in place; its new key goes to the keyring first.

    Nobody may be writing to it (as for a restore; the same journal keeps writers out and
    lets the next start settle a crash). The encrypted copy is made beside it, checked with
    the key, and renamed over the plain file in one step; a crash before the rename leaves
    the plain file in use, and the key unused.
    """
    import keyring
    from keyring.errors import KeyringError

    from attendance_desk.store import restore_journal

    if is_encrypted(db_path):
        raise CipherError(f"{db_path} is encrypted already")
    key = secrets.token_hex(32)
    partial = db_path.with_name(f".{db_path.name}.encrypting")
    unused = db_path.with_name(f".{db_path.name}.not-kept")  # nothing is kept aside
    journal = restore_journal.claim(
        db_path, backup=db_path, partial=partial, aside=unused, now=now, action="encrypt"
    )
    try:
        from attendance_desk.store.restoring import refuse_writers  # (restoring imports us)

        refuse_writers(db_path)
        keyring.set_password(KEYRING_SERVICE, _folder(db_path), key)
        export(db_path, partial, encrypt_with=key)
        with closing(connect(partial, read_only=True)) as check:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise CipherError("the encrypted copy did not check out; nothing was changed")
        with closing(sqlite3.connect(db_path)) as plain:  # its WAL is in the copy; empty it
            plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        restore_journal.advance(db_path, journal, restore_journal.SWAPPING)
        os.replace(partial, db_path)
        restore_journal.sync_folder(db_path.parent)
        for extra in ("-wal", "-shm"):
            Path(f"{db_path}{extra}").unlink(missing_ok=True)
    except KeyringError as exc:
        raise CipherError(
            f"this PC has no keyring to keep the key in ({exc}); nothing was changed"
        ) from exc
    finally:
        with suppress(OSError):
            partial.unlink()
        restore_journal.close(db_path)


def _folder(path: Path) -> str:
    return str(Path(path).resolve().parent)
