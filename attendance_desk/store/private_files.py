"""Files and folders with pupil data, readable by the user who runs the app and nobody else.

On a shared PC (or a Linux server with several logins) a file created with the usual
permissions (0644 in a 0755 folder) can be read by every other account. Everything the
app writes that names a pupil (the database and its WAL files, backups, the copies kept
before an upgrade or a restore, letters, reports, safeguarding documents, screenshots) goes
through here: files are created 0600 and folders 0700 from their first moment, never
tightened afterwards, so there is no instant when another account could open them.

An existing folder chosen by the school (a USB stick, a shared letters folder) is left as
it is: its permissions are the school's decision, and the files in it are still private.
A file the app finds from an older version with permissions for everyone loses those
(`no_world_access`); group permissions a school set up on purpose are kept.

Windows has no permission bits: there the data lives in the user's own profile folder
(`%LOCALAPPDATA%`), whose access list already admits only that user and administrators.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from contextlib import suppress
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
POSIX = sys.platform != "win32"


def private_folder(folder: Path) -> Path:
    """Create `folder` and any missing parents readable by this user only; return it.

    Folders that exist already keep their permissions.
    """
    folder = Path(folder)
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists():
            break
        missing.append(parent)
    for created in reversed(missing):
        try:
            created.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # made by another process a moment ago
        _chmod(created, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a folder")
    return folder


def own_folder(folder: Path) -> Path:
    """`private_folder`, and readable by this user only even if it existed already: for
    the app's own data folder, which an older version created readable by everyone."""
    private_folder(folder)
    _chmod(Path(folder), FOLDER_MODE)
    return Path(folder)


def write_private(path: Path, data: bytes) -> Path:
    """Write `data` to `path` (0600), all or nothing: beside it first, synced, then renamed.

    The folder is created (0700) when missing. Returns `path`.
    """
    path = Path(path)
    private_folder(path.parent)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:  # mkstemp creates the file 0600 whatever the umask
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def create_private(path: Path) -> Path:
    """Make sure `path` exists as a file readable by this user only, before SQLite (or
    anything else that uses the default permissions) opens it. An existing file keeps its
    contents and loses only any permissions for everyone (`no_world_access`)."""
    path = Path(path)
    private_folder(path.parent)
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        no_world_access(path)
        return path
    os.close(handle)
    _chmod(path, FILE_MODE)
    return path


def no_world_access(path: Path) -> None:
    """Take away the permissions for everyone else (not for the owner or group)."""
    if not POSIX:
        return
    try:
        mode = stat.S_IMODE(Path(path).stat().st_mode)
    except OSError:
        return
    if mode & stat.S_IRWXO:
        _chmod(path, mode & ~stat.S_IRWXO)


def is_private(path: Path) -> bool:
    """True when nobody but the owner may read or write `path` (always True on Windows)."""
    if not POSIX:
        return True
    return stat.S_IMODE(Path(path).stat().st_mode) & (stat.S_IRWXG | stat.S_IRWXO) == 0


def _chmod(path: Path, mode: int) -> None:
    if POSIX:  # a file system without permissions (a FAT USB stick) has nothing to set
        with suppress(OSError):
            os.chmod(path, mode)
