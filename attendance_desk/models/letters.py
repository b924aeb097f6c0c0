"""The staged attendance pathway: each pupil's case and its steps, letters sent, penalty notices.

A case's steps are its history: a row is added when the pupil reaches a step (a letter due, a
meeting booked, a plan or contract started) and completed with its outcome. Letters sent and
penalty notices are statutory evidence; like marks they are never deleted.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from attendance_desk.models.base import Base
from attendance_desk.models.pupils import Contact, Pupil


class PathwayCase(Base):
    """One pupil's journey through a letters pathway, from the first letter until it closes.

    `state` is the id of the pathway step the case is at (a key of the pathway's TOML);
    `stage` is that step's stage (1 to 3). A pupil has at most one open case.
    """

    __tablename__ = "pathway_cases"
    __table_args__ = (
        CheckConstraint("stage BETWEEN 0 AND 3", name="stage_known"),
        Index("ix_pathway_cases_pupil_closed", "pupil_id", "closed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))
    pathway: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(40))
    stage: Mapped[int]
    opened_on: Mapped[date]
    opened_by: Mapped[str] = mapped_column(String(120))
    closed_on: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(String(200))

    pupil: Mapped[Pupil] = relationship()
    steps: Mapped[list[PathwayStep]] = relationship(
        back_populates="case", order_by="PathwayStep.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<PathwayCase {self.pupil_id} {self.pathway} stage {self.stage} {self.state}>"


class PathwayStep(Base):
    """A step a case reached: a letter, meeting, plan, monitoring period, contract or decision.

    `done_on` is when the letter went or the meeting took place; `outcome` is the event that
    moved the case on (`sent`, `held`, `missed`, `improved`, `not_improved`, a decision's
    choice). `period_*` is the review, monitoring or contract period, `review_pct` the
    attendance over it that the user confirmed.
    """

    __tablename__ = "pathway_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("pathway_cases.id"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    stage: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))
    entered_on: Mapped[date]
    done_on: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(String(40))
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    review_pct: Mapped[float | None]
    meeting_at: Mapped[datetime | None]
    meeting_place: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime]

    case: Mapped[PathwayCase] = relationship(back_populates="steps")

    def __repr__(self) -> str:
        return f"<PathwayStep {self.case_id} {self.step} {self.outcome or 'open'}>"


class LetterLog(Base):
    """A letter as sent: pupil, recipient and address, template, who and when, the PDF kept."""

    __tablename__ = "letters_sent"
    __table_args__ = (Index("ix_letters_sent_pupil_at", "pupil_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_address: Mapped[str] = mapped_column(String(400))
    template: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("pathway_cases.id"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("pathway_steps.id"))
    sent_at: Mapped[datetime] = mapped_column(index=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_by_name: Mapped[str] = mapped_column(String(120))
    pages: Mapped[int]
    #: Deferred so listing the log never loads every PDF.
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))

    contact: Mapped[Contact | None] = relationship()

    def __repr__(self) -> str:
        return f"<LetterLog {self.pupil_id} {self.template} to {self.recipient_name!r}>"


class PenaltyNotice(Base):
    """A penalty notice to one parent for one pupil's absence: amount, paid or withdrawn.

    The national framework counts notices per parent per child over three years, so each
    notice names the contact (a parent of this pupil) and copies their name.
    """

    __tablename__ = "penalty_notices"
    __table_args__ = (
        CheckConstraint("status IN ('unpaid', 'paid', 'withdrawn')", name="status_known"),
        CheckConstraint("rate IN ('first', 'second')", name="rate_known"),
        Index("ix_penalty_notices_parent", "pupil_id", "contact_id", "issued_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    parent_name: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date]
    rate: Mapped[str] = mapped_column(String(10))
    amount_pence: Mapped[int]
    reduced_pence: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default="unpaid")
    paid_on: Mapped[date | None]
    withdrawn_on: Mapped[date | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(60))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("pathway_cases.id"))
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(120))

    def __repr__(self) -> str:
        return (
            f"<PenaltyNotice {self.pupil_id} {self.parent_name!r} {self.issued_on} {self.status}>"
        )


class LetterTemplateVersion(Base):
    """A school's own wording of a letter template, saved from the editor in the Letters tab.

    Kept in the database rather than on one PC's disk so every office PC prints the same
    letter, and never overwritten: the newest row for a template name is in use, older
    rows are its history. `body` is None when the school went back to the standard text.
    """

    __tablename__ = "letter_templates"
    __table_args__ = (Index("ix_letter_templates_name_saved", "name", "saved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    body: Mapped[str | None] = mapped_column(Text)
    saved_at: Mapped[datetime]
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    saved_by_name: Mapped[str] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f"<LetterTemplateVersion {self.name} {self.saved_at:%Y-%m-%d %H:%M}>"
