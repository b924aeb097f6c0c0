"""`attendance-desk backup DIR`, `restore FILE`, `check` and `backup-passphrase`.

Each takes the database path (None for the default) and returns the exit status: 0 when
it worked (or, for `check`, found nothing wrong), 1 otherwise, with the reason on stderr.
`backup` and `check` never ask anything, so they can run from a scheduled task; `restore`
of an encrypted backup and `backup-passphrase` take the passphrase from
`$ATTENDANCE_DESK_BACKUP_PASSPHRASE`, or ask for it when someone is at the keyboard.
`backup` needs no passphrase: it encrypts with the lock kept in the database.
"""

from __future__ import annotations

import getpass
import os
import sys
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attendance_desk.access.permissions import Permission
from attendance_desk.commands.login import Login, LoginError, acting_user
from attendance_desk.store.private_files import write_private
from attendance_desk.store.restore_journal import JournalClaimed

if TYPE_CHECKING:  # each command imports the database code it needs when it runs
    from attendance_desk.store.db import Location

PASSPHRASE_VAR = "ATTENDANCE_DESK_BACKUP_PASSPHRASE"


def _file(db_path: Location | None) -> Path:
    """The database file; `NotAFile` (saying the server's own backups apply) for a server."""
    from attendance_desk.store.db import NotAFile, default_location

    location = db_path or default_location()
    if isinstance(location, str):
        raise NotAFile()
    return Path(location)


def cmd_backup(db_path: Location | None, folder: Path) -> int:
    """Back the database up into `folder` (rotating the backups there)."""
    from attendance_desk.store import backup
    from attendance_desk.store.db import NotAFile

    try:
        path = _file(db_path)
    except NotAFile as exc:
        return _fail(str(exc))
    try:
        target = backup.backup_to(path, Path(folder), datetime.now())
    except backup.BackupError as exc:
        return _fail(str(exc))
    kept = len(backup.list_backups(Path(folder)))
    print(f"Backed up {path} to {target} ({kept} backup(s) kept in {folder}).")
    return 0


def cmd_restore(db_path: Location | None, file: Path, login: Login | None) -> int:
    """Put a backup in place of the database, keeping the current one aside; the restored
    database's audit trail records it, naming `login` (see `restore_audit`).

    Refused while anyone is using the database (a window, an import): see `restoring`.
    An encrypted backup needs the backup passphrase (`passphrase_from_user`).
    """
    from attendance_desk.store import backup, restoring
    from attendance_desk.store.db import NotAFile
    from attendance_desk.store.restore_audit import record_restore

    try:
        path = _file(db_path)
    except NotAFile as exc:
        return _fail(str(exc))
    try:
        now = datetime.now()
        aside = restoring.restore(Path(file), path, now, passphrase=passphrase_from_user)
    except (backup.BackupError, OSError) as exc:
        return _fail(str(exc))
    username = login.username if login else None
    record_restore(path, backup_file=Path(file), username=username, aside=aside, now=now)
    print(f"Restored {file} into {path}.")
    if aside is not None:
        print(f"The database it replaced is kept as {aside}.")
    return 0


def passphrase_from_user() -> str | None:
    """`$ATTENDANCE_DESK_BACKUP_PASSPHRASE`, else asked for (not echoed) when someone is at
    the keyboard; None for a scheduled task with neither."""
    given = os.environ.get(PASSPHRASE_VAR)
    if given:
        return given
    if not sys.stdin.isatty():
        return None
    return getpass.getpass("Backup passphrase (from the recovery sheet): ") or None


def cmd_check(db_path: Location | None) -> int:
    """SQLite's checks and the app's own; each problem on its own line."""
    from attendance_desk.store import backup
    from attendance_desk.store.db import NotAFile

    try:
        path = _file(db_path)
    except NotAFile as exc:
        return _fail(str(exc))
    problems = backup.check(path)
    if not problems:
        print(f"No problems found in {path}.")
        return 0
    print(f"{len(problems)} problem(s) in {path}:")
    for line in problems:
        print(f"  {line}")
    return 1


def cmd_set_passphrase(db_path: Location | None, sheet: Path, login: Login | None) -> int:
    """Set the backup passphrase (typed twice, or from the environment) and write the
    recovery sheet to print, as the logged-in administrator; from now on every backup is
    encrypted."""
    from attendance_desk.printing.recovery_sheet import sheet_for
    from attendance_desk.store import backup_crypto, backup_keys
    from attendance_desk.store.db import DatabaseError, NotAFile, open_database, transaction
    from attendance_desk.store.writers import writing

    try:
        path = _file(db_path)
    except NotAFile as exc:
        return _fail(str(exc))
    passphrase = os.environ.get(PASSPHRASE_VAR)
    if not passphrase:
        if not sys.stdin.isatty():
            return _fail(
                f"give the new backup passphrase in {PASSPHRASE_VAR}, or run this at a keyboard"
            )
        passphrase = getpass.getpass("New backup passphrase: ")
        if getpass.getpass("The same again: ") != passphrase:
            return _fail("the two passphrases differ; nothing was changed")
    now = datetime.now()
    try:
        backup_crypto.check_passphrase(passphrase)
        with writing(path), transaction(open_database(path)) as session:
            user = acting_user(session, login, needs=Permission.CHANGE_SETTINGS)
            record = backup_keys.set_passphrase(session, user=user, now=now, passphrase=passphrase)
            pdf = sheet_for(session, record, passphrase=passphrase, now=now)
            write_private(sheet, pdf)
    except (ValueError, DatabaseError, LoginError, OSError) as exc:
        return _fail(f"{exc}; nothing was changed")
    print(f"Backups are now encrypted (passphrase fingerprint {record.fingerprint}).")
    print(f"Print the recovery sheet {sheet}, lock it away, then delete the file.")
    return 0


def cmd_encrypt_database(db_path: Location | None) -> int:
    """Encrypt this PC's database file (SQLCipher, key in the keyring); the backup
    passphrase must be set first, so that backups stay the way back to the data."""
    from attendance_desk.store import backup, backup_keys, db_cipher
    from attendance_desk.store.db import NotAFile

    try:
        path = _file(db_path)
    except NotAFile as exc:
        return _fail(str(exc))
    if not path.is_file():
        return _fail(f"there is no database at {path}")
    with closing(db_cipher.connect(path, read_only=True)) as conn:
        if backup_keys.lock_in_file(conn) is None:
            return _fail(
                "set the backup passphrase first (File → Backup passphrase…, or "
                "'attendance-desk backup-passphrase'): if this user's keyring is ever lost, "
                "the encrypted backups are the way back; nothing was changed"
            )
    try:
        db_cipher.encrypt_database(path, datetime.now())
    except (db_cipher.CipherError, backup.BackupError, JournalClaimed, OSError) as exc:
        return _fail(str(exc))
    print(f"{path} is now encrypted; its key is in this user's keyring.")
    plain = sorted(p.name for p in path.parent.glob(f"{path.stem}.*{path.suffix}"))
    plain = [n for n in plain if not db_cipher.is_encrypted(path.parent / n)]
    if plain:
        print(f"Copies beside it made before are not encrypted: {', '.join(plain)}.")
        print("Delete them once you no longer need them (your backups are encrypted).")
    return 0


def register(commands: Any) -> None:
    """`backup DIR`, `restore FILE`, `check`, `backup-passphrase --sheet FILE.pdf` and
    `encrypt-database`, on the command line: each works on the database file itself, so
    none opens or upgrades it first (`direct`)."""
    bk = commands.add_parser("backup", help="copy the database into a folder (old copies rotated)")
    bk.add_argument("dir", type=Path)
    bk.set_defaults(direct=lambda a: cmd_backup(a.db, a.dir))
    rs = commands.add_parser("restore", help="put a backup in place (the current one kept aside)")
    rs.add_argument("file", type=Path)
    rs.set_defaults(direct=lambda a: cmd_restore(a.db, a.file, a.login))
    ck = commands.add_parser("check", help="SQLite's integrity checks and the app's own")
    ck.set_defaults(direct=lambda a: cmd_check(a.db))
    parser = commands.add_parser(
        "backup-passphrase",
        help="set the passphrase that encrypts backups, and write its recovery sheet",
    )
    parser.add_argument(
        "--sheet", type=Path, required=True, help="the recovery sheet PDF to print and lock away"
    )
    parser.set_defaults(direct=lambda a: cmd_set_passphrase(a.db, a.sheet, a.login))
    encrypt = commands.add_parser(
        "encrypt-database", help="encrypt this PC's database file (key in the system keyring)"
    )
    encrypt.set_defaults(direct=lambda a: cmd_encrypt_database(a.db))


def _fail(message: str) -> int:
    print(f"attendance-desk: {message}", file=sys.stderr)
    return 1
