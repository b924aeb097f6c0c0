"""The absence inbox: messages fetched from the school's mailbox and text gateway, and what
each one proposes for each pupil it is about (a report or a leave request, for a person to
accept or reject)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from attendance_desk.models.base import Base


class InboxMessage(Base):
    """One parent's email or text, fetched once and never deleted.

    (`account`, `uidvalidity`, `uid`) names the message where it came from (an IMAP
    mailbox's UID, a gateway's message id, a saved file's Message-ID); the row is inserted
    before the message is read, so the unique constraint is the claim two PCs cannot both
    win. `status` is `fetching` while one program reads it, then `read`.
    """

    __tablename__ = "inbox_messages"
    __table_args__ = (
        UniqueConstraint("account", "uidvalidity", "uid"),
        CheckConstraint("status IN ('fetching', 'read')", name="status_known"),
        CheckConstraint("channel IN ('email', 'text')", name="channel_known"),
        Index("ix_inbox_messages_received_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(300))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="fetching")
    claimed_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(10))
    received_at: Mapped[datetime]
    sender: Mapped[str] = mapped_column(String(300), default="")
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    #: The parent's own words: the reply without the quoted message below it.
    text: Mapped[str] = mapped_column(Text, default="")
    #: Everything readable in the message (quotes and forwarded parts included).
    original: Mapped[str] = mapped_column(Text, default="")
    #: What the office should know about the message itself (HTML only, attachments…).
    notes: Mapped[str] = mapped_column(String(1000), default="")
    size: Mapped[int] = mapped_column(default=0)

    proposals: Mapped[list[InboxProposal]] = relationship(
        back_populates="message", order_by="InboxProposal.id"
    )

    def __repr__(self) -> str:
        return f"<InboxMessage {self.id} {self.channel} from {self.sender!r} {self.status}>"


class InboxProposal(Base):
    """What one message proposes about one pupil (`pupil_id` empty until matched).

    `kind` is `report` (a parent's absence report with `code`) or `leave` (a request for the
    head to decide, never a code). Nothing is written to the register until someone accepts
    it; `status` is `open`, `accepted` or `rejected` (with `why`). A name that fits but came
    from an address not on file is only a suggestion (`suggested_pupil_id`).
    """

    __tablename__ = "inbox_proposals"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'accepted', 'rejected')", name="status_known"),
        CheckConstraint("kind IN ('report', 'leave')", name="kind_known"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        Index("ix_inbox_proposals_status", "status", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("inbox_messages.id"))
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    suggested_pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id"))
    kind: Mapped[str] = mapped_column(String(10), default="report")
    start_date: Mapped[date]
    start_session: Mapped[str] = mapped_column(String(2), default="AM")
    end_date: Mapped[date]
    end_session: Mapped[str] = mapped_column(String(2), default="PM")
    code: Mapped[str | None] = mapped_column(String(2))
    #: The words the reason was read from, e.g. "temperature".
    reason: Mapped[str] = mapped_column(String(300), default="")
    #: Why it was (or was not) matched, in plain words for the office.
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    why: Mapped[str | None] = mapped_column(String(500))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_name: Mapped[str | None] = mapped_column(String(120))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("absence_reports.id"))
    leave_id: Mapped[int | None] = mapped_column(ForeignKey("leave_requests.id"))

    message: Mapped[InboxMessage] = relationship(back_populates="proposals")

    def __repr__(self) -> str:
        return f"<InboxProposal {self.id} pupil={self.pupil_id} {self.kind} {self.status}>"
