"""Putting a backup in place of the database, never leaving the path without a whole one.

The steps (the journal in `restore_journal` records them, so a kill at any moment is
settled by the next start):

1. claim the journal, then refuse if anyone is writing (an open window, an import);
2. copy the backup beside the database under a temporary name (decrypting it when it is
   an encrypted backup), sync it, and check it as a whole: SQLite's integrity check, the
   schema against what this version's migrations make (tables, columns, indexes,
   triggers), the audit trail's hash chain, and the app's `check`; an older backup is
   upgraded there, in the copy, before its check;
3. give the current database a second name (`….replaced-<time>.db`, a hard link, or a
   copy where links are not possible), after folding its WAL into it;
4. one atomic rename puts the checked copy at the path; the folder is synced.

Nothing before step 4 changes the database, and step 4 cannot be half done.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing, suppress
from datetime import datetime
from pathlib import Path

from attendance_desk.store import (
    db_check,
    db_cipher,
    private_files,
    restore_journal,
    schema_check,
    writers,
)
from attendance_desk.store.backup import CORE_TABLES, BackupError
from attendance_desk.store.backup_crypto import copy_plain
from attendance_desk.store.db import DatabaseError, copy_database, make_engine, upgrade
from attendance_desk.store.instance_lock import holder as lock_holder
from attendance_desk.store.instance_lock import lock_path
from attendance_desk.uk_dates import moment_text

#: Asked for the backup passphrase when the file is encrypted (None when there is none).
Passphrase = Callable[[], str | None]


def verify(backup_file: Path, *, passphrase: Passphrase | None = None) -> str:
    """The schema revision of a sound backup, or `BackupError` saying what is wrong.

    The file is checked in a private temporary copy (decrypted first when it is an
    encrypted backup), so a file on a USB stick is read once and never changed.
    """
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} is not a file")
    with tempfile.TemporaryDirectory(prefix="attendance-desk-") as folder:  # made 0700
        probe = Path(folder) / "backup.db"
        copy_plain(backup_file, probe, passphrase=passphrase)
        return check_file(probe, name=backup_file.name)


def check_file(path: Path, *, name: str) -> str:
    """The schema revision of the plain database at `path` (the backup `name`), or
    `BackupError`: damaged, not SQLite, another program's, a newer app's, or a schema that
    is not exactly what this version's migrations make at that revision."""
    try:
        with closing(db_check.open_read_only(path)) as conn:
            damage = db_check.integrity_problems(conn)
            if damage:
                raise BackupError(f"{name} is damaged ({damage[0]})")
            tables = {str(n) for (n,) in conn.execute("SELECT name FROM sqlite_master")}
            missing = [t for t in CORE_TABLES if t not in tables]
            if missing:
                raise BackupError(
                    f"{name} is not an Attendance Desk database "
                    f"(it has no {', '.join(missing)} table)"
                )
            revisions = [str(r) for (r,) in conn.execute("SELECT version_num FROM alembic_version")]
            known, _ = db_check.known_revisions()
            if len(revisions) != 1:
                raise BackupError(f"{name} does not say which schema it has")
            if revisions[0] not in known:
                raise BackupError(
                    f"{name} was written by a newer version of Attendance Desk "
                    f"(schema {revisions[0]}); install that version to restore it"
                )
            found = schema_check.read_schema(conn)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise BackupError(f"{name} is not an Attendance Desk database ({exc})") from exc
    wrong = schema_check.differences(found, schema_check.expected_schema(revisions[0]))
    if wrong:
        more = f" (and {len(wrong) - 3} more)" if len(wrong) > 3 else ""
        raise BackupError(
            f"{name} is not as Attendance Desk makes its databases: "
            f"{'; '.join(line.removeprefix('schema: ') for line in wrong[:3])}{more}"
        )
    return revisions[0]


def restore(
    backup_file: Path,
    db_path: Path,
    now: datetime,
    *,
    passphrase: Passphrase | None = None,
) -> Path | None:
    """Replace the database at `db_path` with a checked backup; the replaced one is kept.

    Returns the path it is kept under (None when there was no database yet). Raises
    `BackupError` (the database untouched) when the file fails a check, someone is
    writing to the database, or another restore is running.
    """
    backup_file, db_path = Path(backup_file), Path(db_path)
    if db_path.exists() and backup_file.resolve() == db_path.resolve():
        raise BackupError(f"{backup_file} is the database itself")
    private_files.private_folder(db_path.parent)  # a new PC's data folder, made private
    partial = db_path.with_name(f".{db_path.name}.restoring-copy")
    aside = _aside_name(db_path, now)
    try:
        journal = restore_journal.claim(
            db_path, backup=backup_file, partial=partial, aside=aside, now=now
        )
    except restore_journal.JournalClaimed as exc:
        raise BackupError(f"{exc}; nothing was changed") from exc
    try:
        refuse_writers(db_path)
        _prepare(backup_file, partial, passphrase, db_path)
        had_database = db_path.exists()
        if had_database:
            _keep_aside(db_path, aside)
        restore_journal.advance(db_path, journal, restore_journal.SWAPPING)
        os.replace(partial, db_path)  # the one moment the database changes: atomic
        restore_journal.sync_folder(db_path.parent)
        for extra in ("-wal", "-shm"):  # the replaced file's; its WAL was folded in
            Path(f"{db_path}{extra}").unlink(missing_ok=True)
    except BaseException:
        _discard(partial)
        if aside.exists() and db_path.exists() and os.path.samefile(aside, db_path):
            aside.unlink()
        restore_journal.close(db_path)
        raise
    restore_journal.close(db_path)
    return aside if had_database else None


def refuse_writers(db_path: Path) -> None:
    """`BackupError` naming who is using the database (a window elsewhere, a writer)."""
    window = lock_holder(db_path)
    if window is not None and not (window.here and window.pid == os.getpid()):
        raise BackupError(
            f"Attendance Desk has {db_path} open on {window.host} since "
            f"{moment_text(window.since, year=False)}; close it there first. Nothing was "
            "changed. (If that "
            f"computer crashed, delete {lock_path(db_path)} and try again.)"
        )
    busy = writers.live_writers(db_path)
    if busy:
        raise BackupError(
            f"{db_path} is being changed right now ({writers.describe(busy)}); wait for that "
            "to finish and try again; nothing was changed"
        )


def _prepare(
    backup_file: Path, partial: Path, passphrase: Passphrase | None, db_path: Path
) -> None:
    """The backup, checked and at this version's schema, as `partial` (synced)."""
    _discard(partial)
    try:
        copy_plain(backup_file, partial, passphrase=passphrase)
        check_file(partial, name=backup_file.name)
        engine = make_engine(partial)
        try:
            upgrade(engine, partial, copy_first=False)  # an older backup: here, in the copy
        finally:
            engine.dispose()
        harmful = db_check.harmful_problems(partial)
        if harmful:
            raise BackupError(f"{backup_file.name} fails the checks: {'; '.join(harmful[:3])}")
        _fold_wal(partial, self_contained=True)
        _encrypt_like(partial, db_path)
        with open(partial, "rb+") as out:
            os.fsync(out.fileno())
    except BackupError as exc:
        raise BackupError(f"{exc}; nothing was changed") from exc
    except (DatabaseError, sqlite3.Error, OSError) as exc:
        raise BackupError(
            f"could not prepare {backup_file.name} ({exc}); nothing was changed"
        ) from exc


def _encrypt_like(partial: Path, db_path: Path) -> None:
    """An encrypted database stays encrypted: the checked copy takes its key."""
    key = db_cipher.key_for(db_path) if db_cipher.is_encrypted(db_path) else None
    if key is None:
        return
    sealed = partial.with_name(partial.name + "-encrypted")
    try:
        db_cipher.export(partial, sealed, encrypt_with=key)
        os.replace(sealed, partial)
    finally:
        _discard(sealed)


def _keep_aside(db_path: Path, aside: Path) -> None:
    """A second name for the current database, with its WAL folded in first."""
    try:
        _fold_wal(db_path)
    except sqlite3.OperationalError as exc:
        raise BackupError(
            f"{db_path} is in use (is Attendance Desk open on another PC?); close it "
            f"everywhere and try again; nothing was changed ({exc})"
        ) from exc
    except sqlite3.DatabaseError:
        pass  # a damaged file is kept aside exactly as it is
    try:
        os.link(db_path, aside)
    except OSError:
        copy_database(db_path, aside)  # a file system without hard links
    restore_journal.sync_folder(db_path.parent)


def _fold_wal(path: Path, *, self_contained: bool = False) -> None:
    """Write the WAL's pages into the file and empty it; refuse when others hold it.

    `self_contained` also leaves WAL mode, so the file needs nothing beside it (only for a
    file nobody else has open: the checked copy).
    """
    with closing(db_cipher.connect(path)) as conn:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if self_contained:
            conn.execute("PRAGMA journal_mode=DELETE")
    if busy:
        raise sqlite3.OperationalError("database is locked")


def _aside_name(db_path: Path, now: datetime) -> Path:
    stamp = f"{now:%Y%m%d-%H%M%S}"
    aside = db_path.with_name(f"{db_path.stem}.replaced-{stamp}{db_path.suffix}")
    counter = 1
    while aside.exists():
        counter += 1
        aside = db_path.with_name(f"{db_path.stem}.replaced-{stamp}-{counter}{db_path.suffix}")
    return aside


def _discard(path: Path) -> None:
    for extra in ("", "-wal", "-shm", "-journal"):
        with suppress(OSError):
            Path(f"{path}{extra}").unlink(missing_ok=True)
