"""The inbox as the office sees it: one entry per pupil a message is about (an unmatched
message is one entry with no pupil), for the Inbox panel and `inbox list --json`.

Parents' words about an absence are for the staff who handle absence reports (the
receptionist, attendance officer, DSL, deputy DSL, head and administrator, who all see the
Calls panel); a class teacher's login cannot list them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from attendance_desk.access.permissions import Permission, require
from attendance_desk.inbox.dates import Span
from attendance_desk.models import Contact, InboxMessage, InboxProposal, Pupil, RegGroup, User
from attendance_desk.school.calendar_store import load_calendar

STATUS_LABELS = {
    "proposed": "To check",
    "unmatched": "To match",
    "accepted": "Accepted",
    "rejected": "Rejected",
}
KIND_LABELS = {"report": "Absence report", "leave": "Leave request for the head"}


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """One proposal with its message, as the panel shows it."""

    id: int
    message_id: int
    received: datetime
    channel: str
    sender: str
    sender_name: str
    contact: str | None
    status: str
    kind: str
    pupil_id: int | None
    upn: str | None
    name: str | None
    group: str | None
    suggested_pupil_id: int | None
    suggested_name: str | None
    start: date
    start_session: str
    end: date
    end_session: str
    sessions: tuple[tuple[date, str], ...]
    code: str | None
    reason: str
    note: str
    message_notes: str
    subject: str
    text: str
    original: str
    why: str | None
    decided_by: str | None
    decided_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.status in ("proposed", "unmatched")

    @property
    def sender_label(self) -> str:
        if self.contact:
            return self.contact
        return f"{self.sender_name} <{self.sender}>" if self.sender_name else self.sender

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "received": self.received.isoformat(timespec="seconds"),
            "from": self.sender,
            "status": self.status,
            "upn": self.upn,
            "name": self.name,
            "dates": sorted({day.isoformat() for day, _ in self.sessions}),
            "sessions": [f"{day.isoformat()} {name}" for day, name in self.sessions],
            "code": self.code,
            "text": self.text,
            "kind": self.kind,
            "channel": self.channel,
            "contact": self.contact,
            "note": self.note,
            "message_id": self.message_id,
        }


def inbox_entries(session: Session, *, user: User, everything: bool = False) -> list[InboxEntry]:
    """Open entries (to check or to match), oldest message first; with `everything`,
    accepted and rejected ones too."""
    require(user, Permission.LOG_CALLS)
    suggested = aliased(Pupil)
    query = (
        select(InboxProposal, InboxMessage, Pupil, RegGroup.name, Contact, suggested)
        .join(InboxMessage, InboxMessage.id == InboxProposal.message_id)
        .outerjoin(Pupil, Pupil.id == InboxProposal.pupil_id)
        .outerjoin(RegGroup, RegGroup.id == Pupil.reg_group_id)
        .outerjoin(Contact, Contact.id == InboxProposal.contact_id)
        .outerjoin(suggested, suggested.id == InboxProposal.suggested_pupil_id)
        .where(InboxMessage.status == "read")
        .order_by(InboxMessage.received_at, InboxMessage.id, InboxProposal.id)
    )
    if not everything:
        query = query.where(InboxProposal.status == "open")
    calendar = load_calendar(session)
    entries = []
    for proposal, message, pupil, group, contact, hint in session.execute(query):
        span = Span(
            proposal.start_date, proposal.start_session, proposal.end_date, proposal.end_session
        )
        status = proposal.status
        if status == "open":
            status = "proposed" if pupil is not None else "unmatched"
        entries.append(
            InboxEntry(
                id=proposal.id,
                message_id=message.id,
                received=message.received_at,
                channel=message.channel,
                sender=message.sender,
                sender_name=message.sender_name,
                contact=f"{contact.name} ({contact.relationship_to_pupil})" if contact else None,
                status=status,
                kind=proposal.kind,
                pupil_id=pupil.id if pupil else None,
                upn=pupil.upn if pupil else None,
                name=pupil.display_name if pupil else None,
                group=group,
                suggested_pupil_id=hint.id if hint else None,
                suggested_name=hint.display_name if hint else None,
                start=proposal.start_date,
                start_session=proposal.start_session,
                end=proposal.end_date,
                end_session=proposal.end_session,
                sessions=tuple(span.sessions(calendar)),
                code=proposal.code,
                reason=proposal.reason,
                note=proposal.note,
                message_notes=message.notes,
                subject=message.subject,
                text=message.text,
                original=message.original,
                why=proposal.why,
                decided_by=proposal.decided_by_name,
                decided_at=proposal.decided_at,
            )
        )
    return entries


def open_count(session: Session) -> int:
    """How many entries wait for someone (the number in the Inbox tab's title)."""
    return (
        session.scalar(
            select(func.count(InboxProposal.id))
            .join(InboxMessage, InboxMessage.id == InboxProposal.message_id)
            .where(InboxProposal.status == "open", InboxMessage.status == "read")
        )
        or 0
    )
