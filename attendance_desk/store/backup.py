"""Backups of the school's database: taken, rotated and restored.

A backup is a consistent copy made with SQLite's online backup API while the app keeps
working. It is written under a temporary name, checked, and only then renamed, so a
half-written file on a USB stick never passes for a backup and a damaged database never
pushes good backups out of the rotation. Files are named after the school and the moment
(`hillside-primary-2025-09-12-090215.backup.db`); rotation keeps the newest backup of each
of the last 7 days, 4 weeks and 12 months *that have backups*, so a PC left off over the
summer still has its last backups when it comes back.

Restoring is `restoring`'s; `check` (from `db_check`) is the deeper look at a database:
SQLite's checks, the schema, the audit chain and the app's own.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Hashable, Iterable
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from attendance_desk.school import settings
from attendance_desk.store import backup_crypto, backup_keys, db_cipher, private_files
from attendance_desk.store.db import NotAFile, is_url
from attendance_desk.store.db_check import check as check  # `backup.check`, for the command line
from attendance_desk.store.db_check import integrity_problems, open_read_only

SUFFIX = ".backup.db"
ENCRYPTED = ".backup.enc"
DEFAULT_FOLDER = "Backups"
_STAMP = "%Y-%m-%d-%H%M%S"
_NAME = re.compile(r"(?P<school>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<stamp>\d{4}-\d{2}-\d{2}-\d{6})")
#: Tables every Attendance Desk database has had since its first schema.
CORE_TABLES = ("alembic_version", "school", "pupils", "marks", "audit_events")


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Retention:
    """How many of the most recent days, weeks and months keep their newest backup."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


RETENTION = Retention()


@dataclass(frozen=True, slots=True)
class BackupFile:
    """A backup in the folder: its file, the school's name as written, and when it was made."""

    path: Path
    school: str
    at: datetime


# --- where and what ------------------------------------------------------------------
def default_folder(db_path: Path) -> Path:
    """The `Backups` folder beside the database."""
    return Path(db_path).parent / DEFAULT_FOLDER


def backup_folder(session: Session, db_path: Path) -> Path:
    """The folder in Settings (relative to the database's folder), or `default_folder`."""
    chosen = settings.get(session, settings.BACKUP_FOLDER).strip()
    if not chosen:
        return default_folder(db_path)
    folder = Path(chosen).expanduser()
    return folder if folder.is_absolute() else Path(db_path).parent / folder


def backup_name(school: str | None, at: datetime, *, encrypted: bool = False) -> str:
    """`hillside-primary-2025-09-12-090215.backup.db` (`.backup.enc` when encrypted)."""
    slug = re.sub(r"[^a-z0-9]+", "-", (school or "").lower()).strip("-")[:40].strip("-")
    return f"{slug or 'attendance-desk'}-{at:{_STAMP}}{ENCRYPTED if encrypted else SUFFIX}"


def list_backups(folder: Path) -> list[BackupFile]:
    """The backups in `folder` (files named as `backup_name` names them), newest first."""
    found = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return []
    for path in entries:
        suffix = next((s for s in (SUFFIX, ENCRYPTED) if path.name.endswith(s)), None)
        if suffix is None:
            continue
        match = _NAME.fullmatch(path.name[: -len(suffix)])
        if match is None or not path.is_file():
            continue
        try:
            at = datetime.strptime(match["stamp"], _STAMP)
        except ValueError:
            continue
        found.append(BackupFile(path, match["school"], at))
    return sorted(found, key=lambda b: (b.at, b.path.name), reverse=True)


def last_backup_age(folder: Path, now: datetime) -> timedelta | None:
    """How long ago the newest backup in `folder` was made; None when there is none."""
    backups = list_backups(folder)
    if not backups:
        return None
    return max(now - backups[0].at, timedelta(0))


# --- rotation ------------------------------------------------------------------------
def backups_to_keep(
    stamps: Iterable[datetime], now: datetime, retention: Retention = RETENTION
) -> set[datetime]:
    """Which backups (by time) to keep: the newest of each of the last `daily` days,
    `weekly` ISO weeks and `monthly` months that have a backup, and the newest of all.

    Backups dated after `now` are kept too: a clock that was wrong is no reason to delete.
    """
    ordered = sorted(set(stamps), reverse=True)
    keep = {s for s in ordered if s > now}
    past = [s for s in ordered if s <= now]
    if past:
        keep.add(past[0])
    periods: tuple[tuple[int, Callable[[datetime], Hashable]], ...] = (
        (retention.daily, lambda s: s.date()),
        (retention.weekly, lambda s: s.isocalendar()[:2]),
        (retention.monthly, lambda s: (s.year, s.month)),
    )
    for count, period in periods:
        seen: set[Hashable] = set()
        for stamp in past:  # newest first, so the first of each period is its newest
            key = period(stamp)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(key)
            keep.add(stamp)
    return keep


def rotate(folder: Path, now: datetime, retention: Retention = RETENTION) -> list[Path]:
    """Delete the backups `backups_to_keep` does not keep, school by school; return them.

    Only files named as backups are touched; a file that cannot be deleted (a read-only
    stick) is left for next time.
    """
    by_school: dict[str, list[BackupFile]] = {}
    for item in list_backups(folder):
        by_school.setdefault(item.school, []).append(item)
    removed = []
    for items in by_school.values():
        keep = backups_to_keep((b.at for b in items), now, retention)
        for item in items:
            if item.at in keep:
                continue
            try:
                item.path.unlink()
            except OSError:
                continue
            removed.append(item.path)
    return removed


# --- taking a backup -------------------------------------------------------------------
def backup_to(
    source: Engine | Path | str,
    folder: Path,
    now: datetime,
    *,
    retention: Retention = RETENTION,
) -> Path:
    """Copy the live database into `folder` with SQLite's online backup API, then rotate.

    The copy is checked (`PRAGMA quick_check`) before it takes its name. Once a backup
    passphrase is set (`backup_keys`), the copy is encrypted (`backup_crypto`): it is made
    beside the database, checked, encrypted into `folder` and only then named. A folder
    outside the database's own (a USB stick, a share) takes only encrypted backups.
    Raises `BackupError` when the database cannot be read, the folder cannot be written,
    the copy fails its check or it would leave the PC unencrypted; the existing backups
    are then left as they were.
    """
    db_path = _db_file(source)
    folder = Path(folder)
    with closing(_open_read_only(db_path)) as src:
        lock = backup_keys.lock_in_file(src)
        if lock is None and not _beside(folder, db_path):
            raise BackupError(
                f"backups into {folder} must be encrypted, and no backup passphrase is set: "
                "the administrator sets one (File → Backup passphrase…, or "
                "'attendance-desk backup-passphrase'); the earlier backups were kept"
            )
        try:
            private_files.private_folder(folder)
        except OSError as exc:
            raise BackupError(
                f"cannot use the backup folder {folder}: {exc.strerror or exc}"
            ) from exc
        school = _school_name(src)
        target = folder / backup_name(school, now, encrypted=lock is not None)
        partial = target.with_name(f".{target.name}.partial")
        plain = partial if lock is None else db_path.with_name(f".{target.name}.plain")
        try:
            _checked_copy(src, plain, db_path)
            if lock is not None:
                meta = {"school": school or "", "made": now.isoformat(timespec="seconds")}
                backup_crypto.encrypt_file(plain, partial, lock, meta)
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            raise BackupError(
                f"could not back up {db_path} into {folder} ({exc}); the earlier backups were kept"
            ) from exc
        finally:
            _discard(partial)
            _discard(plain)
    rotate(folder, now, retention)
    return target


def _checked_copy(src: sqlite3.Connection, plain: Path, db_path: Path) -> None:
    private_files.create_private(plain)
    if db_cipher.is_encrypted(db_path):  # a plain copy, encrypted next as a backup
        db_cipher.export(db_path, plain, encrypt_with=None)
    with closing(sqlite3.connect(plain)) as dst:
        if not db_cipher.is_encrypted(db_path):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        damage = integrity_problems(dst, quick=True)
    if damage:
        raise BackupError(
            f"{db_path} failed SQLite's check ({damage[0]}), so no backup was made; "
            "the earlier backups were kept; run 'attendance-desk check'"
        )


def _beside(folder: Path, db_path: Path) -> bool:
    """True when `folder` is in the database's own folder (as private as the database)."""
    home = Path(db_path).resolve().parent
    return Path(folder).resolve().is_relative_to(home)


def _discard(path: Path) -> None:
    """Remove a half-made copy; what cannot be removed is left (it is never used)."""
    with suppress(OSError):
        path.unlink(missing_ok=True)


def _db_file(source: Engine | Path | str) -> Path:
    if isinstance(source, Engine):
        if source.dialect.name != "sqlite":
            raise BackupError(str(NotAFile()))  # the server's own backups apply
        name = source.url.database
        if not name or name == ":memory:":
            raise BackupError("only a database kept in a file can be backed up")
        return Path(name)
    if is_url(source):
        raise BackupError(str(NotAFile()))
    return Path(source)


def _open_read_only(path: Path) -> sqlite3.Connection:
    try:
        return open_read_only(path)
    except FileNotFoundError as exc:
        raise BackupError(str(exc)) from exc
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {path}: {exc}") from exc


def _school_name(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT name FROM school ORDER BY id LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None
