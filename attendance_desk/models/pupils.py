"""Pupils on roll, their prioritised contacts, siblings and siblings' other schools."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    and_,
    false,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from attendance_desk.models.base import Base
from attendance_desk.models.groups import RegGroup, YearGroup


class Pupil(Base):
    """A child on (or once on) the admission register; identified by their UPN."""

    __tablename__ = "pupils"
    __table_args__ = (
        Index("ix_pupils_names", "legal_surname", "legal_forename"),
        Index("ix_pupils_admission_number", "admission_number", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    upn: Mapped[str] = mapped_column(String(13), unique=True)
    legal_surname: Mapped[str] = mapped_column(String(100))
    legal_forename: Mapped[str] = mapped_column(String(100))
    preferred_forename: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date]
    sex: Mapped[str | None] = mapped_column(String(1))
    year_group_id: Mapped[int] = mapped_column(ForeignKey("year_groups.id"), index=True)
    reg_group_id: Mapped[int] = mapped_column(ForeignKey("reg_groups.id"), index=True)
    on_roll_from: Mapped[date]
    on_roll_to: Mapped[date | None]
    address: Mapped[str | None] = mapped_column(String(300))
    #: The MIS's admission number ("Adno"), unique in the school; None until imported.
    admission_number: Mapped[str | None] = mapped_column(String(20))
    fsm: Mapped[bool] = mapped_column(default=False)
    pupil_premium: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Any SEN provision: SEN support (census code K) or an EHC plan (E, with `ehcp` set).
    sen: Mapped[bool] = mapped_column(default=False)
    #: An education, health and care plan; always with `sen`, which it is a kind of.
    ehcp: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: English as an additional language.
    eal: Mapped[bool] = mapped_column(default=False, server_default=false())
    cp: Mapped[bool] = mapped_column(default=False)
    cin: Mapped[bool] = mapped_column(default=False)
    cla: Mapped[bool] = mapped_column(default=False)
    young_carer: Mapped[bool] = mapped_column(default=False)
    vulnerable: Mapped[bool] = mapped_column(default=False)
    social_worker: Mapped[str | None] = mapped_column(String(200))

    year_group: Mapped[YearGroup] = relationship()
    reg_group: Mapped[RegGroup] = relationship()
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="pupil", order_by="Contact.priority", cascade="all, delete-orphan"
    )

    @property
    def display_name(self) -> str:
        """Preferred forename (when given) and legal surname, as the office says it."""
        return display_name(self.preferred_forename, self.legal_forename, self.legal_surname)

    def on_roll(self, day: date) -> bool:
        return self.on_roll_from <= day and (self.on_roll_to is None or day <= self.on_roll_to)

    @classmethod
    def on_roll_between(cls, start: date, end: date) -> ColumnElement[bool]:
        """A query's test for pupils on roll on some day from `start` to `end` (`on_roll`'s
        test in SQL when `start` is `end`)."""
        return and_(cls.on_roll_from <= end, or_(cls.on_roll_to.is_(None), cls.on_roll_to >= start))

    def __repr__(self) -> str:
        return f"<Pupil {self.upn} {self.display_name}>"


def display_name(preferred_forename: str | None, legal_forename: str, legal_surname: str) -> str:
    """A pupil's name as the office says it, from the plain columns (for queries that read
    many pupils without loading them)."""
    return f"{preferred_forename or legal_forename} {legal_surname}"


class Contact(Base):
    """Someone the office phones or writes to about a pupil, in priority order (1 first)."""

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("pupil_id", "priority"),
        CheckConstraint("priority >= 1", name="priority_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    priority: Mapped[int]
    #: Mr, Mrs, Ms, Miss, Mx, Dr…: letters open "Dear Ms Dudek" when it is known.
    title: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    relationship_to_pupil: Mapped[str] = mapped_column("relationship", String(60))
    parental_responsibility: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_alt: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    lives_with: Mapped[bool] = mapped_column(default=True)
    do_not_contact: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(String(500))

    pupil: Mapped[Pupil] = relationship(back_populates="contacts")

    def __repr__(self) -> str:
        return f"<Contact {self.priority} {self.name} ({self.relationship_to_pupil})>"


class SiblingLink(Base):
    """Two pupils of this school who are siblings; stored once with the lower id first."""

    __tablename__ = "sibling_links"
    __table_args__ = (
        UniqueConstraint("pupil_id", "sibling_id"),
        CheckConstraint("pupil_id < sibling_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    sibling_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)

    def __repr__(self) -> str:
        return f"<SiblingLink {self.pupil_id}~{self.sibling_id}>"


class SiblingSchool(Base):
    """A sibling at another school, whom the office asks after on days 2 and 3."""

    __tablename__ = "sibling_schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    sibling_name: Mapped[str] = mapped_column(String(200))
    school_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))

    def __repr__(self) -> str:
        return f"<SiblingSchool {self.sibling_name} at {self.school_name}>"
