"""Safe-and-well checks (the DSL's decision and the visit) and case notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from attendance_desk.models.base import Base
from attendance_desk.models.pupils import Pupil


class SafeAndWellCheck(Base):
    """One DSL decision about an absent child, and the visit if there was one.

    Saved page by page as the wizard is answered (`step` is the last page completed), so a
    closed window or a crash loses nothing; `finished_at` makes it read-only, after which
    corrections are case notes.
    """

    __tablename__ = "safe_and_well_checks"
    __table_args__ = (
        CheckConstraint(
            "decision IS NULL OR decision IN ('visit_today', 'not_today')", name="decision_known"
        ),
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('seen_safe', 'seen_concerns', 'not_seen')",
            name="outcome_known",
        ),
        Index("ix_safe_and_well_checks_pupil", "pupil_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))
    episode_first_day: Mapped[date]
    episode_day: Mapped[int]
    step: Mapped[str] = mapped_column(String(30), default="context")
    started_at: Mapped[datetime]
    started_by: Mapped[str] = mapped_column(String(120))
    unusual: Mapped[str | None] = mapped_column(Text)
    recent_concerns: Mapped[str | None] = mapped_column(Text)
    social_worker_visit: Mapped[str | None] = mapped_column(Text)
    protective_factors: Mapped[str | None] = mapped_column(Text)
    vulnerability: Mapped[str | None] = mapped_column(Text)
    spanned_holiday: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(12))
    rationale: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(120))
    staff_one: Mapped[str | None] = mapped_column(String(120))
    staff_two: Mapped[str | None] = mapped_column(String(120))
    risk_assessment_done: Mapped[bool | None]
    visited_at: Mapped[datetime | None]
    answered_by: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(String(15))
    enquiries: Mapped[str | None] = mapped_column(Text)
    letter_left: Mapped[bool | None]
    finished_at: Mapped[datetime | None]

    pupil: Mapped[Pupil] = relationship()
    next_steps: Mapped[list[NextStep]] = relationship(
        back_populates="check", order_by="NextStep.at", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<SafeAndWellCheck {self.pupil_id} {self.episode_first_day} {self.step}>"


class NextStep(Base):
    """What the DSL set in motion after a check: a dated record that may raise an action."""

    __tablename__ = "check_next_steps"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('none', 'social_worker', 'police', 'icart_mash', 'cme')", name="kind_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("safe_and_well_checks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(15))
    reference: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]
    by: Mapped[str] = mapped_column(String(120))

    check: Mapped[SafeAndWellCheck] = relationship(back_populates="next_steps")

    def __repr__(self) -> str:
        return f"<NextStep {self.kind} {self.reference}>"


class CaseNote(Base):
    """A note on a pupil's file; `restricted` notes are safeguarding notes that only the
    DSL, deputy DSL and head may read (enforced in the service, not only on screen)."""

    __tablename__ = "case_notes"
    __table_args__ = (Index("ix_case_notes_pupil_at", "pupil_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(120))
    restricted: Mapped[bool] = mapped_column(default=False)
    category: Mapped[str] = mapped_column(String(30), default="general", server_default="general")
    check_id: Mapped[int | None] = mapped_column(ForeignKey("safe_and_well_checks.id"))
    text: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<CaseNote {self.pupil_id} {self.at:%d %b} restricted={self.restricted}>"
