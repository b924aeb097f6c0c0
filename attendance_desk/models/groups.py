"""Year groups and registration groups, with the register windows each session keeps."""

from __future__ import annotations

from datetime import time

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from attendance_desk.models.base import Base


class YearGroup(Base):
    """A National Curriculum year (`N1`, `N2`, `R`, `1`..`13`) and its register windows.

    The register opens at `*_open` (arrival after it is late, `L`) and closes at `*_close`
    (arrival after it is `U`). Defaults: 08:50 to 09:05 in the morning
    (docs/rules.md#register-sessions).
    """

    __tablename__ = "year_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    sort_order: Mapped[int] = mapped_column(default=0)
    am_open: Mapped[time] = mapped_column(default=time(8, 50))
    am_close: Mapped[time] = mapped_column(default=time(9, 5))
    pm_open: Mapped[time] = mapped_column(default=time(13, 15))
    pm_close: Mapped[time] = mapped_column(default=time(13, 30))
    reg_groups: Mapped[list[RegGroup]] = relationship(
        back_populates="year_group", order_by="RegGroup.name"
    )

    def __repr__(self) -> str:
        return f"<YearGroup {self.code}>"


class RegGroup(Base):
    """A registration group (form or class) whose register is taken together."""

    __tablename__ = "reg_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    year_group_id: Mapped[int] = mapped_column(ForeignKey("year_groups.id"), index=True)
    tutor: Mapped[str | None] = mapped_column(String(120))
    #: The class teacher's login: a teacher sees and takes only their own groups.
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    year_group: Mapped[YearGroup] = relationship(back_populates="reg_groups")

    def __repr__(self) -> str:
        return f"<RegGroup {self.name}>"
