"""Absence follow-up records: parents' reports, contact attempts, action outcomes, outbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from attendance_desk.models.base import Base
from attendance_desk.models.pupils import Contact, Pupil


class AbsenceReport(Base):
    """A parent telling the school why a pupil is (or will be) away, by phone, email or in
    person; it proposes the code for the sessions it covers and stops the first-day call."""

    __tablename__ = "absence_reports"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        Index("ix_absence_reports_pupil_dates", "pupil_id", "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))
    start_date: Mapped[date]
    start_session: Mapped[str] = mapped_column(String(2), default="AM")
    end_date: Mapped[date]
    end_session: Mapped[str] = mapped_column(String(2), default="PM")
    code: Mapped[str] = mapped_column(String(2))
    reason: Mapped[str] = mapped_column(String(500))
    reported_by: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    reported_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by_name: Mapped[str] = mapped_column(String(120))

    pupil: Mapped[Pupil] = relationship()

    def covers(self, day: date, session: str) -> bool:
        return (
            (self.start_date, self.start_session)
            <= (day, session)
            <= (
                self.end_date,
                self.end_session,
            )
        )

    def __repr__(self) -> str:
        return f"<AbsenceReport {self.pupil_id} {self.start_date}..{self.end_date} {self.code}>"


class ContactAttempt(Base):
    """One call, text or email to a contact about an absence, with its outcome."""

    __tablename__ = "contact_attempts"
    __table_args__ = (Index("ix_contact_attempts_pupil_at", "pupil_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(String(500))
    proposed_code: Mapped[str | None] = mapped_column(String(2))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(120))

    contact: Mapped[Contact | None] = relationship()

    def __repr__(self) -> str:
        return f"<ContactAttempt {self.pupil_id} {self.at:%d %b %H:%M} {self.outcome}>"


class ActionOutcome(Base):
    """A person completing or dismissing a worklist action; the action is derived each day,
    this row is what takes it off the list. `key` names the occasion (an episode's first day,
    a mark, a half-term) so the same kind can come back for a new occasion."""

    __tablename__ = "action_outcomes"
    __table_args__ = (
        UniqueConstraint("pupil_id", "kind", "key"),
        CheckConstraint("status IN ('done', 'dismissed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(500))
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f"<ActionOutcome {self.pupil_id} {self.kind} {self.key} {self.status}>"


class RaisedAction(Base):
    """A worklist action as the rules first raised it, kept until a person closes it.

    The rules work the list out afresh each day; this row is what keeps an action on the
    list after the rules stop calling for it (the child came back, a later step of the
    ladder took over). `superseded_on` records when that happened; `closed_at` mirrors the
    `ActionOutcome` that closed it, so the open list is one indexed query.
    """

    __tablename__ = "raised_actions"
    __table_args__ = (
        UniqueConstraint("pupil_id", "kind", "key"),
        Index("ix_raised_actions_closed_at", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(40))
    raised_on: Mapped[date]
    due: Mapped[date]
    day: Mapped[int | None]
    detail: Mapped[str] = mapped_column(String(500))
    #: `detail` without safeguarding detail (CP, CIN, CLA, the social worker), for others.
    open_detail: Mapped[str] = mapped_column(String(500))
    #: The last day the rules called for it.
    called_for_on: Mapped[date]
    superseded_on: Mapped[date | None]
    superseded_by: Mapped[str | None] = mapped_column(String(300))
    closed_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<RaisedAction {self.pupil_id} {self.kind} {self.key} {self.raised_on}>"


class ActionSweep(Base):
    """A school day whose actions have all been raised (kept in `raised_actions`), so the
    worklist never has to work that day out again."""

    __tablename__ = "action_sweeps"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    swept_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<ActionSweep {self.day}>"


class SessionReview(Base):
    """The office confirming a session's register is right; absence messages to parents
    for that session are held until then (a child on a trip must never get an absent text)."""

    __tablename__ = "session_reviews"
    __table_args__ = (UniqueConstraint("date", "session"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date]
    session: Mapped[str] = mapped_column(String(2))
    reviewed_at: Mapped[datetime]
    user_name: Mapped[str] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f"<SessionReview {self.date} {self.session}>"


class OutboxMessage(Base):
    """A text or email waiting to go, sent by the background sender when the network is up.

    `status`: `held` (waiting for the session review), `queued`, `sending` (claimed by one
    sender, so no other sends it too; `next_attempt_at` is then when the try began), `sent`,
    `failed` (gave up after the retries; shown to the office), `cancelled`.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id"), index=True)
    hold_date: Mapped[date | None]
    hold_session: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.channel} to {self.recipient} {self.status}>"
