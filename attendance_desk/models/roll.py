"""Admissions to and removals from the admission register, and exports handed to the MIS."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from attendance_desk.models.base import Base
from attendance_desk.models.pupils import Pupil


class RollChange(Base):
    """A pupil joining or leaving the roll, and when the local authority was told.

    The 2024 regulations require the LA to be told of a new pupil within five school days
    and of a deletion (with its regulation 9(1) ground) when it is made; `la_notified_on`
    stays empty until someone records that it was done, which keeps the worklist action open.
    """

    __tablename__ = "roll_changes"
    __table_args__ = (
        CheckConstraint("kind IN ('admission', 'removal')", name="kind_known"),
        Index("ix_roll_changes_pupil_kind", "pupil_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))
    kind: Mapped[str] = mapped_column(String(10))
    effective_on: Mapped[date]
    #: The regulation 9(1) ground's key for a removal; None for an admission.
    ground: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[str] = mapped_column(Text, default="")
    destination_school: Mapped[str | None] = mapped_column(String(200))
    destination_address: Mapped[str | None] = mapped_column(String(300))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by_name: Mapped[str] = mapped_column(String(120))
    la_notified_on: Mapped[date | None]
    la_notified_by: Mapped[str | None] = mapped_column(String(120))

    pupil: Mapped[Pupil] = relationship()

    def __repr__(self) -> str:
        return f"<RollChange {self.pupil_id} {self.kind} {self.effective_on}>"


class ChangeExport(Base):
    """A batch of marks handed back to the MIS after an outage: the range it covered.

    Everything recorded or amended in [`since`, `until`) went out in this batch, so the
    marks not yet exported are those changed after the newest batch's `until`.
    """

    __tablename__ = "change_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    since: Mapped[datetime]
    until: Mapped[datetime] = mapped_column(index=True)
    rows: Mapped[int]
    file_name: Mapped[str] = mapped_column(String(300))
    exported_at: Mapped[datetime]
    exported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    exported_by_name: Mapped[str] = mapped_column(String(120))

    def __repr__(self) -> str:
        return (
            f"<ChangeExport {self.since:%Y-%m-%d %H:%M}..{self.until:%Y-%m-%d %H:%M} {self.rows}>"
        )
