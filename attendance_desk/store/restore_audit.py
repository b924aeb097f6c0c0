"""The restored database's own audit trail says who restored it, from which file, and where
the database it replaced was kept: the backup's trail ends before the restore, so without
this line the statutory record would not show that it was put back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from attendance_desk.access import audit
from attendance_desk.models import User
from attendance_desk.store.db import open_database, transaction

#: Who restored, when the database it replaced could not be opened to log in to.
NO_LOGIN = "no login (the replaced database could not be opened)"


def record_restore(
    db_path: Path, *, backup_file: Path, username: str | None, aside: Path | None, now: datetime
) -> None:
    """Append the restore to the restored database's audit trail, naming the member of staff
    by their account in the restored school when it has one, else by the name they logged
    in with."""
    factory = open_database(db_path)
    try:
        with transaction(factory) as session:
            user = (
                session.scalar(select(User).where(User.username == username)) if username else None
            )
            audit.record_by_name(
                session,
                user_id=user.id if user else None,
                user_name=user.full_name if user else (username or NO_LOGIN),
                now=now,
                action="restore",
                entity="database",
                backup=str(backup_file),
                replaced_kept_as=str(aside) if aside else "",
            )
    finally:
        factory.kw["bind"].dispose()
