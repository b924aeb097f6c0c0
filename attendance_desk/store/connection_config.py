"""This PC's choice of database, kept in `connection.toml` in the user's config folder.

An office with several PCs points each one at the same PostgreSQL server once (`attendance-desk
connect ADDRESS`, or Settings → This PC's database); after that the window and every command
open it without `--db`. The file holds the address only: a password belongs in PostgreSQL's
own `~/.pgpass` (or `PGPASSWORD`), never here and never in a message.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import platformdirs

FILE_NAME = "connection.toml"


class ConnectionConfigError(ValueError):
    """A database choice that cannot be saved; the message says why."""


def default_file() -> Path:
    """`attendance.db` in the user's data folder: a PC's own database."""
    return Path(platformdirs.user_data_dir("Attendance Desk", appauthor=False)) / "attendance.db"


def config_file() -> Path:
    return Path(platformdirs.user_config_dir("Attendance Desk", appauthor=False)) / FILE_NAME


def read() -> str | None:
    """The saved database (a file path or an address), or None when nothing is saved.

    A damaged file is an error, not a quiet fall-back to this PC's own file: a PC that
    should be on the shared server must never take a register nobody else can see.
    """
    path = config_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConnectionConfigError(_damaged(path, str(exc))) from None
    value = data.get("database")
    if not isinstance(value, str):
        raise ConnectionConfigError(_damaged(path, "it names no database"))
    return value.strip() or None


def _damaged(path: Path, why: str) -> str:
    return (
        f"this PC's database choice in {path} cannot be read ({why}); set it again with "
        "`attendance-desk connect ADDRESS`, or `attendance-desk connect --forget` to use "
        "this PC's own file"
    )


def write(database: str | None) -> Path:
    """Save `database` as this PC's choice (None or "" forgets it); returns the file."""
    path = config_file()
    if not database:
        path.unlink(missing_ok=True)
        return path
    refuse_password(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    escaped = database.replace("\\", "\\\\").replace('"', '\\"')
    partial = path.with_name(path.name + ".partial")
    partial.write_text(
        "# Which database Attendance Desk opens on this PC (see `attendance-desk connect`).\n"
        f'database = "{escaped}"\n',
        encoding="utf-8",
    )
    os.replace(partial, path)
    return path


def refuse_password(database: str) -> None:
    """`ConnectionConfigError` when `database` carries a password (never saved or shown)."""
    if has_password(database):
        raise ConnectionConfigError(
            "leave the password out of the address: put it in ~/.pgpass "
            "(server:port:database:user:password) or PGPASSWORD; nothing was saved"
        )


def has_password(database: str) -> bool:
    """True when a server address carries a password (`user:secret@server`)."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    if "://" not in database:
        return False
    try:
        return make_url(database).password is not None
    except ArgumentError:
        return False
