"""The backup passphrase: set by the administrator, kept as a lock (`backup_crypto`).

Setting it stores a new lock (the old ones stay, as history: backups made under them still
open with their own passphrase, which travels sealed in each backup). The passphrase itself
is never stored; the recovery sheet (`printing.recovery_sheet`) is where the school keeps it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.models import BackupLockRecord, User
from attendance_desk.store import backup_crypto
from attendance_desk.store.backup_crypto import BackupLock


def set_passphrase(
    session: Session, *, user: User, now: datetime, passphrase: str
) -> BackupLockRecord:
    """Make `passphrase` the one new backups are encrypted for; audited (the lock's
    fingerprint, never the passphrase). `ValueError` when it is too short."""
    require(user, Permission.CHANGE_SETTINGS)
    lock = backup_crypto.new_lock(passphrase)
    record = BackupLockRecord(
        public_key=backup_crypto.to_text(lock.public),
        sealed=json.dumps(lock.sealed, sort_keys=True),
        fingerprint=lock.fingerprint,
        set_at=now,
        set_by_id=user.id,
        set_by_name=user.full_name,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="set_backup_passphrase",
        entity="backup_lock",
        entity_id=record.id,
        fingerprint=lock.fingerprint,
    )
    return record


def current(session: Session) -> BackupLockRecord | None:
    """The lock new backups are encrypted for (None until a passphrase is set)."""
    return session.scalar(select(BackupLockRecord).order_by(BackupLockRecord.id.desc()).limit(1))


def lock_of(record: BackupLockRecord) -> BackupLock:
    return BackupLock(backup_crypto.from_text(record.public_key), json.loads(record.sealed))


def lock_in_file(conn: sqlite3.Connection) -> BackupLock | None:
    """The current lock of the database on `conn` (a plain SQLite connection, as backups
    use); None when none is set or the database predates backup locks."""
    try:
        row = conn.execute(
            "SELECT public_key, sealed FROM backup_locks ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    if row is None:
        return None
    return BackupLock(backup_crypto.from_text(str(row[0])), json.loads(row[1]))
