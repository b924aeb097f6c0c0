"""The note a restore keeps beside the database while it works, and what a start does with it.

A restore (`restoring.restore`) never leaves a moment without a whole database at the path:
the backup is copied in beside it under a temporary name, synced and checked; the current
file gets a second name (a hard link, or a copy) to be kept aside; then one atomic rename
puts the backup in its place. The journal `attendance.db.restoring` says which files those
are and which step was reached, and whose restore it is.

If the restoring process is killed, the next start (`db.open_database`) or restore finds the
journal with its process gone and settles it before anything opens the file (`recover`):
before the rename it undoes the restore (the database is as it was); after it, it finishes
(the restored database stays, the one it replaced is kept aside). Either way it says so,
loudly, because someone started a restore and must know how it ended.
"""

from __future__ import annotations

import json
import os
import socket
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from attendance_desk.store import private_files
from attendance_desk.store.instance_lock import LockInfo, pid_running
from attendance_desk.uk_dates import moment_text

SUFFIX = ".restoring"
#: The steps, in order: copying and checking the backup; the rename may happen any moment.
COPYING, SWAPPING = "copying", "swapping"


class JournalClaimed(Exception):
    """Another restore of this database holds the journal and is still running."""


@dataclass(frozen=True, slots=True)
class Journal:
    """One restore's note: who, from which backup, its files, and the step reached."""

    holder: LockInfo
    backup: str
    partial: str
    aside: str
    step: str
    #: "restore", or "encrypt" for `db_cipher.encrypt_database`, which swaps files the same way
    action: str = "restore"

    @property
    def alive(self) -> bool:
        """True while the restoring process may still be working (or is on another PC)."""
        return not self.holder.here or pid_running(self.holder.pid)

    def as_json(self) -> str:
        return json.dumps(
            {
                "holder": json.loads(self.holder.as_json()),
                "backup": self.backup,
                "partial": self.partial,
                "aside": self.aside,
                "step": self.step,
                "action": self.action,
            }
        )


def journal_path(db_path: Path) -> Path:
    """`attendance.db.restoring` beside `attendance.db`."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + SUFFIX)


def read(db_path: Path) -> Journal | None:
    """The journal beside `db_path`, or None when there is none (or only half of one)."""
    try:
        data = json.loads(journal_path(db_path).read_text(encoding="utf-8"))
        holder = data["holder"]
        return Journal(
            LockInfo(
                int(holder["pid"]), str(holder["host"]), datetime.fromisoformat(holder["since"])
            ),
            str(data["backup"]),
            str(data["partial"]),
            str(data["aside"]),
            str(data["step"]),
            str(data.get("action", "restore")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def claim(
    db_path: Path,
    *,
    backup: Path,
    partial: Path,
    aside: Path,
    now: datetime,
    action: str = "restore",
) -> Journal:
    """Write a new journal for this process; `JournalClaimed` when a live restore has one.

    A journal left by a restore that was killed is settled first (`recover`).
    """
    path = journal_path(db_path)
    holder = LockInfo(os.getpid(), socket.gethostname(), now)
    journal = Journal(holder, str(backup), str(partial), str(aside), COPYING, action)
    for _attempt in range(2):
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, private_files.FILE_MODE)
        except FileExistsError:
            found = read(db_path)
            if found is not None and found.alive:
                raise JournalClaimed(
                    f"a restore of {db_path} is already under way on {found.holder.host}"
                ) from None
            recover(db_path)
            path.unlink(missing_ok=True)  # an unreadable journal holds nothing to settle
            continue
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(journal.as_json())
            out.flush()
            os.fsync(out.fileno())
        sync_folder(path.parent)
        return journal
    raise JournalClaimed(f"could not start a restore of {db_path}: its journal is in the way")


def advance(db_path: Path, journal: Journal, step: str) -> Journal:
    """Record that the restore reached `step` (written whole and synced before returning)."""
    moved = Journal(
        journal.holder, journal.backup, journal.partial, journal.aside, step, journal.action
    )
    private_files.write_private(journal_path(db_path), moved.as_json().encode("utf-8"))
    sync_folder(Path(db_path).parent)
    return moved


def close(db_path: Path) -> None:
    """The restore is over (done or abandoned): remove its journal."""
    journal_path(db_path).unlink(missing_ok=True)
    sync_folder(Path(db_path).parent)


def recover(db_path: Path) -> str | None:
    """Settle a restore that was interrupted; what happened, for people, or None.

    Raises `JournalClaimed` when the restore is still running (a start must wait for it).
    """
    journal = read(db_path)
    if journal is None:
        if journal_path(db_path).exists():
            close(db_path)  # cut off while the journal itself was written: nothing began
        return None
    if journal.alive:
        raise JournalClaimed(
            f"a restore of {db_path} is under way on {journal.holder.host} (since "
            f"{journal.holder.since:%H:%M}); open it again when the restore has finished"
        )
    db_path, partial, aside = Path(db_path), Path(journal.partial), Path(journal.aside)
    if partial.exists() or journal.step == COPYING or not db_path.exists():
        message = _undo(db_path, partial, aside, journal)
    else:
        message = _finish(db_path, aside, journal)
    close(db_path)
    return message


def _undo(db_path: Path, partial: Path, aside: Path, journal: Journal) -> str:
    """The backup never took the database's place: remove what the restore made."""
    partial.unlink(missing_ok=True)
    if not db_path.exists() and aside.exists():
        os.replace(aside, db_path)  # cannot happen with the rename done last; never lose it
    elif aside.exists() and db_path.exists() and os.path.samefile(aside, db_path):
        aside.unlink()  # the second name of the database itself
    if journal.action == "encrypt":
        return (
            "Encrypting the database was interrupted before it changed anything (started "
            f"{_started(journal)}): it is still as it was, not encrypted. Run "
            "'attendance-desk encrypt-database' again."
        )
    return (
        f"A restore from {Path(journal.backup).name} was interrupted before it changed "
        f"anything (started {_started(journal)}). The database is as it was; "
        "restore again if you still want that backup."
    )


def _finish(db_path: Path, aside: Path, journal: Journal) -> str:
    """The backup is in place: only tidying up was left undone."""
    for extra in ("-wal", "-shm"):  # the replaced file's, emptied before the rename
        stale = Path(f"{db_path}{extra}")
        if stale.exists() and stale.stat().st_size and extra == "-wal":
            os.replace(stale, Path(f"{aside}{extra}"))
        else:
            stale.unlink(missing_ok=True)
    kept = f" The database it replaced is kept as {aside}." if aside.exists() else ""
    if journal.action == "encrypt":
        return (
            "Encrypting the database was interrupted just after the encrypted file took its "
            f"place (started {_started(journal)}); it has now been finished."
        )
    return (
        f"A restore from {Path(journal.backup).name} was interrupted after it had put the "
        f"backup in place (started {_started(journal)}); it has now been "
        f"finished.{kept}"
    )


def _started(journal: Journal) -> str:
    """When the interrupted work began, as the notices say it: `Mon 7 Dec 09:40`."""
    return moment_text(journal.holder.since, year=False)


def sync_folder(folder: Path) -> None:
    """Make renames and new names in `folder` survive a power cut (POSIX; a no-op elsewhere)."""
    if not private_files.POSIX:
        return
    with suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
