"""`attendance-desk backup DIR`, `restore FILE` and `check`: what they print and return.

Each takes the database path (None for the default) and returns the exit status: 0 when
it worked (or, for `check`, found nothing wrong), 1 otherwise, with the reason on stderr.
None of them asks a question, so they can run from a scheduled task.
"""

from __future__ import annotations

import getpass
import os
import sys
from datetime import datetime
from pathlib import Path

from attendance_desk import backup, restoring
from attendance_desk.db import Location, NotAFile, default_location

PASSPHRASE_VAR = "ATTENDANCE_DESK_BACKUP_PASSPHRASE"


def _file(db_path: Location | None) -> Path:
    """The database file; `NotAFile` (saying the server's own backups apply) for a server."""
    location = db_path or default_location()
    if isinstance(location, str):
        raise NotAFile()
    return Path(location)


def cmd_backup(db_path: Location | None, folder: Path) -> int:
    """Back the database up into `folder` (rotating the backups there)."""
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


def cmd_restore(db_path: Location | None, file: Path) -> int:
    """Put a backup in place of the database, keeping the current one aside.

    Refused while anyone is using the database (a window, an import): see `restoring`.
    An encrypted backup needs the backup passphrase (`passphrase_from_user`).
    """
    try:
        path = _file(db_path)
    except NotAFile as exc:
        return _fail(str(exc))
    try:
        aside = restoring.restore(Path(file), path, datetime.now(), passphrase=passphrase_from_user)
    except (backup.BackupError, OSError) as exc:
        return _fail(str(exc))
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


def _fail(message: str) -> int:
    print(f"attendance-desk: {message}", file=sys.stderr)
    return 1
