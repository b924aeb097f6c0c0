"""Stored values of the settings declared in `attendance_desk.settings`."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from attendance_desk.models.base import Base


class Setting(Base):
    """One setting's value as JSON; a key with no row has its declared default."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<Setting {self.key}={self.value}>"
