"""Keeping fetched messages: each is claimed before it is read, so two PCs (or a PC and a
scheduled `inbox fetch`) never take the same one, then stored with its proposals.

The claim is the row itself: (`account`, `uidvalidity`, `uid`) is unique, so only one
INSERT succeeds. A claim left by a program that stopped mid-read is taken over after
`STALE_CLAIM`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.inbox.directory import Directory
from attendance_desk.inbox.proposing import Incoming, Plan, plan_proposals
from attendance_desk.models import InboxMessage, InboxProposal
from attendance_desk.outbox.sending import rows_updated
from attendance_desk.school import settings
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.store.db import transaction

STALE_CLAIM = timedelta(minutes=15)


def claim(
    factory: sessionmaker[Session], *, account: str, uidvalidity: int, uid: str, now: datetime
) -> int | None:
    """Claim one message for this program; its row id, or None when it is already kept
    (or another program is reading it right now)."""
    try:
        with transaction(factory) as session:
            row = InboxMessage(
                account=account,
                uidvalidity=uidvalidity,
                uid=uid,
                status="fetching",
                claimed_at=now,
                channel="email",
                received_at=now,
            )
            session.add(row)
            session.flush()
            return row.id
    except IntegrityError:
        pass
    with transaction(factory) as session:
        stale = session.scalar(
            select(InboxMessage).where(
                InboxMessage.account == account,
                InboxMessage.uidvalidity == uidvalidity,
                InboxMessage.uid == uid,
                InboxMessage.status == "fetching",
                InboxMessage.claimed_at < now - STALE_CLAIM,
            )
        )
        if stale is None:
            return None
        taken = rows_updated(
            session,
            update(InboxMessage)
            .where(InboxMessage.id == stale.id, InboxMessage.claimed_at == stale.claimed_at)
            .values(claimed_at=now)
            .execution_options(synchronize_session=False),
        )
        return stale.id if taken == 1 else None


def highest_uid(session: Session, *, account: str, uidvalidity: int) -> int:
    """The highest IMAP UID already kept from this mailbox folder (0 for none)."""
    uids = session.scalars(
        select(InboxMessage.uid).where(
            InboxMessage.account == account, InboxMessage.uidvalidity == uidvalidity
        )
    )
    return max((int(u) for u in uids if u.isdigit()), default=0)


class Reader:
    """Reads messages into proposals with one directory and calendar (load once a batch)."""

    def __init__(self, session: Session) -> None:
        self.directory = Directory.load(
            session, text_domain=settings.get(session, settings.SMS_EMAIL_DOMAIN)
        )
        self.calendar: SchoolCalendar = load_calendar(session)

    def plans(self, message: Incoming) -> list[Plan]:
        return plan_proposals(message, self.directory, self.calendar)

    def channel_of(self, message: Incoming) -> str:
        return "text" if self.directory.is_text_reply(message.sender) else message.channel


def store(session: Session, *, message_id: int, message: Incoming, reader: Reader) -> int:
    """Fill a claimed row with the message and add its proposals; how many proposals."""
    row = session.get(InboxMessage, message_id)
    assert row is not None, "store() is called with a claimed row"
    made = _fill(row, message, reader)
    session.flush()
    return made


def _fill(row: InboxMessage, message: Incoming, reader: Reader) -> int:
    row.status = "read"
    row.channel = reader.channel_of(message)
    row.received_at = message.received
    row.sender = message.sender[:300]
    row.sender_name = message.sender_name[:200]
    row.subject = message.subject[:300]
    row.text = message.text
    row.original = message.original
    row.notes = "; ".join(message.notes)[:1000]
    row.size = message.size
    plans = reader.plans(message)
    row.proposals = [
        InboxProposal(
            pupil_id=plan.pupil_id,
            contact_id=plan.contact_id,
            suggested_pupil_id=plan.suggested_pupil_id,
            kind=plan.kind,
            start_date=plan.span.start,
            start_session=plan.span.start_session,
            end_date=plan.span.end,
            end_session=plan.span.end_session,
            code=plan.code,
            reason=plan.reason[:300],
            note=plan.note,
            status="open",
        )
        for plan in plans
    ]
    return len(plans)


def kept_uids(session: Session, *, account: str, uidvalidity: int) -> set[str]:
    """Every UID already kept (or claimed) from this account."""
    return set(
        session.scalars(
            select(InboxMessage.uid).where(
                InboxMessage.account == account, InboxMessage.uidvalidity == uidvalidity
            )
        )
    )


def keep(
    session: Session,
    *,
    account: str,
    uidvalidity: int,
    uid: str,
    message: Incoming,
    reader: Reader,
    now: datetime,
) -> int:
    """Add a message not kept before, with its proposals, to the caller's transaction
    (reading a file: one program, one transaction; the caller checks `kept_uids` first);
    how many proposals."""
    row = InboxMessage(
        account=account,
        uidvalidity=uidvalidity,
        uid=uid,
        status="fetching",
        claimed_at=now,
        channel=message.channel,
        received_at=message.received,
    )
    made = _fill(row, message, reader)
    session.add(row)
    return made
