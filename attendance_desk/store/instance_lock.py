"""A lock file beside the database saying which Attendance Desk has it open, since when.

It is a courtesy, not a guard: two offices may well share one database on a network
drive, and each mark is checked against the version that was loaded before it is saved
(see `register`), so nothing is lost when two windows are open. The lock lets the second
window say so, and lets `restore` refuse to pull the database from under a running app.

The file (`attendance.db.lock`) holds the process id, the computer's name and the time,
as JSON. It is stale, and taken over, when it names a process on this computer that is no
longer running (a crash, a power cut); a lock from another computer cannot be tested from
here, so it is believed until that computer releases it (or someone deletes the file).
"""

from __future__ import annotations

import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SUFFIX = ".lock"


@dataclass(frozen=True, slots=True)
class LockInfo:
    """Who holds the lock: a process on a computer, since a moment."""

    pid: int
    host: str
    since: datetime

    def as_json(self) -> str:
        return json.dumps({"pid": self.pid, "host": self.host, "since": self.since.isoformat()})

    @property
    def here(self) -> bool:
        """True when the holder is on this computer."""
        return self.host == socket.gethostname()


class InstanceLock:
    """The lock this process holds; `release` it when the window closes."""

    def __init__(self, path: Path, info: LockInfo) -> None:
        self.path = path
        self.info = info

    def release(self) -> None:
        """Remove the lock file, unless another process has taken it over meanwhile."""
        if read(self.path) == self.info:
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<InstanceLock {self.path} pid {self.info.pid}>"


def lock_path(db_path: Path) -> Path:
    """`attendance.db.lock` beside `attendance.db`."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + SUFFIX)


def read(path: Path) -> LockInfo | None:
    """What a lock file says, or None when it is missing or unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return LockInfo(int(data["pid"]), str(data["host"]), datetime.fromisoformat(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def holder(db_path: Path) -> LockInfo | None:
    """Who else has the database open; None when nobody does (or their lock is stale)."""
    info = read(lock_path(db_path))
    if info is None or _stale(info):
        return None
    return info


def acquire(db_path: Path, *, now: datetime | None = None) -> InstanceLock | None:
    """Take the lock for this process, or None when another live process holds it.

    A stale lock (its process gone from this computer) or an unreadable one is replaced.
    """
    path = lock_path(db_path)
    info = LockInfo(os.getpid(), socket.gethostname(), now or datetime.now())
    for _attempt in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            current = read(path)
            if current is not None and not _stale(current):
                return None
            if current is None and _recently_written(path):
                return None  # another process is writing it this very moment
            path.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(info.as_json())
        return InstanceLock(path, info)
    return None


def _stale(info: LockInfo) -> bool:
    return info.here and not pid_running(info.pid)


def _recently_written(path: Path) -> bool:
    try:
        age = datetime.now().timestamp() - path.stat().st_mtime
    except OSError:
        return False
    return age < 2


def pid_running(pid: int) -> bool:
    """True when a process with this id is running on this computer."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_running(pid)
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _windows_pid_running(pid: int) -> bool:
    # os.kill on Windows would terminate the process, so ask the kernel instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    query_limited_information, still_active, access_denied = 0x1000, 259, 5
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return bool(kernel32.GetLastError() == access_denied)
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return bool(code.value == still_active)
    finally:
        kernel32.CloseHandle(handle)
