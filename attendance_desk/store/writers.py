"""Who is writing to a database file right now: every process that may change it signs in.

A restore swaps the whole file, so it must never happen under a running import, an open
window or a scheduled command: their work would be written into the replaced file and
lost. Each such process registers itself for as long as it runs (`writing`), as one small
file in `attendance.db.writers/` (process id, computer, since when); a restore refuses
while any of them is alive (`live_writers`), and a process cannot sign in while a restore
is under way. A process that was killed leaves its file behind; it is stale, and ignored,
as soon as its process is gone from this computer (see `instance_lock`).

The order makes the race safe: a writer signs in first and then looks for a restore; a
restore claims its journal first and then looks for writers; whichever comes second sees
the other.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

from attendance_desk.store import private_files, restore_journal
from attendance_desk.store.db import DatabaseError
from attendance_desk.store.instance_lock import LockInfo, pid_running, read
from attendance_desk.uk_dates import moment_text

SUFFIX = ".writers"


class RestoreUnderWay(DatabaseError):
    """A restore is replacing the database; nothing may write to it until it is done."""


def writers_folder(db_path: Path) -> Path:
    """`attendance.db.writers/` beside `attendance.db`."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + SUFFIX)


@contextmanager
def writing(db_path: Path | str | None) -> Iterator[None]:
    """Sign this process in as a writer of the file at `db_path` while the block runs.

    A server address (or None) needs no signing in: a server's own locks apply. Raises
    `RestoreUnderWay` when a restore of that file is running.
    """
    if db_path is None or not isinstance(db_path, Path):
        yield
        return
    folder = writers_folder(db_path)
    info = LockInfo(os.getpid(), socket.gethostname(), datetime.now())
    entry = folder / f"{info.host}-{info.pid}-{id(info):x}.json"
    private_files.private_folder(folder)
    private_files.write_private(entry, info.as_json().encode("utf-8"))
    try:
        journal = restore_journal.read(db_path)
        if journal is not None and journal.alive:
            raise RestoreUnderWay(
                f"a restore of {db_path} is under way on {journal.holder.host} (since "
                f"{journal.holder.since:%H:%M}); try again when it has finished"
            )
        yield
    finally:
        with suppress(OSError):
            entry.unlink()
        with suppress(OSError):
            folder.rmdir()  # only when it is empty: the last writer tidies up


def live_writers(db_path: Path, *, besides_me: bool = True) -> list[LockInfo]:
    """The processes signed in as writers of `db_path` that are still running.

    Entries of processes that have gone (killed, crashed) are removed on the way.
    """
    found = []
    try:
        entries = list(writers_folder(db_path).glob("*.json"))
    except OSError:
        return []
    for entry in entries:
        info = read(entry)
        if info is None:
            continue  # half-written this instant: its writer checks for us next
        if info.here and not pid_running(info.pid):
            with suppress(OSError):
                entry.unlink()
            continue
        if besides_me and info.here and info.pid == os.getpid():
            continue
        found.append(info)
    return sorted(found, key=lambda i: i.since)


def describe(writers: list[LockInfo]) -> str:
    """'process 4242 on office-pc-2 since 09:15' for each, joined."""
    return "; ".join(
        f"process {w.pid} on {'this PC' if w.here else w.host} "
        f"since {moment_text(w.since, year=False)}"
        for w in writers
    )
