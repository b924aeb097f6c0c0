"""What happens at the office desk besides marks: leave requests and pupils signing out."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from attendance_desk.models.base import Base
from attendance_desk.models.pupils import Pupil


class LeaveRequest(Base):
    """A parent's request for leave of absence and the head's decision (never retrospective).

    `status` is `pending`, `granted` or `refused`; a granted request carries the code its
    sessions are marked with (`C`, `C1`, `M`…).
    """

    __tablename__ = "leave_requests"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'granted', 'refused')", name="status_known"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    start_date: Mapped[date]
    start_session: Mapped[str] = mapped_column(String(2), default="AM")
    end_date: Mapped[date]
    end_session: Mapped[str] = mapped_column(String(2), default="PM")
    reason: Mapped[str] = mapped_column(String(500))
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(10), default="pending")
    code: Mapped[str | None] = mapped_column(String(2))
    decision_note: Mapped[str | None] = mapped_column(String(500))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_name: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    pupil: Mapped[Pupil] = relationship()

    def __repr__(self) -> str:
        return f"<LeaveRequest {self.pupil_id} {self.start_date}..{self.end_date} {self.status}>"


class SignOut(Base):
    """A pupil leaving the site during the day (and coming back), for the on-site list."""

    __tablename__ = "sign_outs"
    __table_args__ = (Index("ix_sign_outs_day", "day", "pupil_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))
    day: Mapped[date]
    out_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(300))
    collected_by: Mapped[str | None] = mapped_column(String(200))
    returned_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    return_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    pupil: Mapped[Pupil] = relationship()

    def __repr__(self) -> str:
        return f"<SignOut {self.pupil_id} {self.out_at:%H:%M} back={self.returned_at}>"
