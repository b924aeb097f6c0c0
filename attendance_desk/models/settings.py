"""Stored values of the settings declared in `school.settings`, and the backup lock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from attendance_desk.models.base import Base


class Setting(Base):
    """One setting's value as JSON; a key with no row has its declared default."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<Setting {self.key}={self.value}>"


class BackupLockRecord(Base):
    """The public half of the backup key pair (`backup_crypto`) and its private half sealed
    by the backup passphrase; the newest row encrypts backups, older rows are history."""

    __tablename__ = "backup_locks"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_key: Mapped[str] = mapped_column(Text)
    sealed: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(19))
    set_at: Mapped[datetime]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_by_name: Mapped[str] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f"<BackupLockRecord {self.fingerprint} {self.set_at:%Y-%m-%d}>"
