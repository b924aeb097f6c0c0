"""`attendance-desk backup DIR`, `restore FILE` and `check`: what they print and return.

Each takes the database path (None for the default) and returns the exit status: 0 when
it worked (or, for `check`, found nothing wrong), 1 otherwise, with the reason on stderr.
None of them asks a question, so they can run from a scheduled task.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from attendance_desk import backup, instance_lock
from attendance_desk.db import Location, NotAFile, default_location


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

    Refused while Attendance Desk has the database open (the lock file says so).
    """
    try:
        path = _file(db_path)
    except NotAFile as exc:
        return _fail(str(exc))
    lock = instance_lock.acquire(path)
    if lock is None:
        holder = instance_lock.read(instance_lock.lock_path(path))
        who = f" on {holder.host} since {holder.since:%d %b %H:%M}" if holder else ""
        return _fail(
            f"Attendance Desk has {path} open{who}; close it there first. Nothing was changed. "
            f"(If that computer crashed, delete {instance_lock.lock_path(path)} and try again.)"
        )
    with lock:
        try:
            aside = backup.restore(Path(file), path, datetime.now())
        except (backup.BackupError, OSError) as exc:
            return _fail(str(exc))
    print(f"Restored {file} into {path}.")
    if aside is not None:
        print(f"The database it replaced is kept as {aside}.")
    return 0


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
