"""Register marks and their amendment history: the statutory record."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from attendance_desk.models.base import Base


class Mark(Base):
    """One pupil's code for one session (AM or PM) of one school day.

    `version` increases on every change so a second PC saving over a mark it loaded
    earlier is refused instead of silently overwriting it.
    """

    __tablename__ = "marks"
    __table_args__ = (
        UniqueConstraint("pupil_id", "date", "session"),
        CheckConstraint("session IN ('AM', 'PM')", name="session_am_pm"),
        Index("ix_marks_date_pupil_code", "date", "pupil_id", "code"),
        # Open N codes are looked up by code across all history every morning.
        Index("ix_marks_code_date", "code", "date"),
        # The MIS catch-up export and its "not yet exported" count look marks up by time.
        Index("ix_marks_recorded_at", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))
    date: Mapped[date]
    session: Mapped[str] = mapped_column(String(2))
    code: Mapped[str] = mapped_column(String(2))
    minutes_late: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(String(300))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    amendments: Mapped[list[MarkAmendment]] = relationship(
        back_populates="mark", order_by="MarkAmendment.amended_at"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Mark {self.pupil_id} {self.date} {self.session} {self.code!r}>"


class MarkAmendment(Base):
    """A change to a mark after the register closed: the original is never lost.

    The name and position are copied from the user at the time, as the 2024 regulations
    require them on the record even if the user's account later changes.
    """

    __tablename__ = "mark_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[int] = mapped_column(ForeignKey("marks.id"), index=True)
    old_code: Mapped[str] = mapped_column(String(2))
    new_code: Mapped[str] = mapped_column(String(2))
    old_minutes_late: Mapped[int | None]
    new_minutes_late: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(500))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(120))
    user_position: Mapped[str] = mapped_column(String(120))
    amended_at: Mapped[datetime]

    mark: Mapped[Mark] = relationship(back_populates="amendments")

    def __repr__(self) -> str:
        return f"<MarkAmendment {self.mark_id} {self.old_code!r}->{self.new_code!r}>"
