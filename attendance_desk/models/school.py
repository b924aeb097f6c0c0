"""The school and its calendar: academic years, terms (half-terms) and closures."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from attendance_desk.models.base import Base


class School(Base):
    """The one school this database belongs to."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    urn: Mapped[str | None] = mapped_column(String(10))
    la_number: Mapped[str | None] = mapped_column(String(3))
    estab_number: Mapped[str | None] = mapped_column(String(4))

    def __repr__(self) -> str:
        return f"<School {self.name!r} URN {self.urn}>"


class AcademicYear(Base):
    """A school year, September to July, named like `2026/27`."""

    __tablename__ = "academic_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(7), unique=True)
    start: Mapped[date]
    end: Mapped[date]
    terms: Mapped[list[Term]] = relationship(
        back_populates="academic_year", cascade="all, delete-orphan", order_by="Term.start"
    )

    def __repr__(self) -> str:
        return f"<AcademicYear {self.name}>"


class Term(Base):
    """A half-term: pupils are expected in school on its weekdays less closures."""

    __tablename__ = "terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    start: Mapped[date] = mapped_column(index=True)
    end: Mapped[date]
    academic_year: Mapped[AcademicYear] = relationship(back_populates="terms")

    def __repr__(self) -> str:
        return f"<Term {self.name} {self.start}..{self.end}>"


class Closure(Base):
    """Days inside a term when the school is closed: INSET, bank holidays, planned closures."""

    __tablename__ = "closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    start: Mapped[date] = mapped_column(index=True)
    end: Mapped[date]
    name: Mapped[str] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f"<Closure {self.name} {self.start}..{self.end}>"
