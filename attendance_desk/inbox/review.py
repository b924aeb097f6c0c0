"""A person deciding each proposal: Accept (a parent's report through the absence-report
service, or a leave request for the head), Match to… a pupil, or Reject with why.

Nothing reaches the register except through `accept`. Each decision is taken only if the
proposal is still open (another PC may have decided it a moment ago), and is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.access.permissions import Permission, require
from attendance_desk.catalogues import codes
from attendance_desk.desk.absence_reports import log_report
from attendance_desk.desk.leave import request_leave
from attendance_desk.inbox.directory import phone_key
from attendance_desk.models import Contact, InboxMessage, InboxProposal, Pupil, User
from attendance_desk.outbox.sending import rows_updated
from attendance_desk.register.marks import check_session
from attendance_desk.uk_dates import moment_text

REASON_LENGTH = 200


class InboxError(ValueError):
    """A decision that cannot be taken; the text says why."""


@dataclass(frozen=True, slots=True)
class Edits:
    """What the office changed before accepting (None: as proposed)."""

    code: str | None = None
    start: date | None = None
    start_session: str | None = None
    end: date | None = None
    end_session: str | None = None


@dataclass(frozen=True, slots=True)
class Accepted:
    """What accepting did: the report (sessions coded now, and left for the office to judge
    because already marked otherwise) or the leave request."""

    kind: str
    pupil: str
    recorded: int = 0
    amended: int = 0
    left_alone: int = 0
    report_id: int | None = None
    leave_id: int | None = None

    def describe(self) -> str:
        if self.kind == "leave":
            return f"A leave request for {self.pupil} is waiting for the head's decision."
        done = self.recorded + self.amended
        line = f"{self.pupil}: the report is recorded; {done} session{'s' * (done != 1)} coded"
        if self.left_alone:
            line += f", {self.left_alone} already marked otherwise (left for you to check)"
        return line + "."


def accept(
    session: Session, *, proposal_id: int, user: User, now: datetime, edits: Edits | None = None
) -> Accepted:
    """Turn a matched proposal into a parent's report (or a leave request)."""
    require(user, Permission.LOG_CALLS)
    proposal, message = _open(session, proposal_id)
    if proposal.pupil_id is None:
        raise InboxError(f"entry {proposal_id} is not matched to a pupil yet: Match to… first")
    edits = edits or Edits()
    start = edits.start or proposal.start_date
    end = edits.end or proposal.end_date
    first = check_session(edits.start_session or proposal.start_session)
    last = check_session(edits.end_session or proposal.end_session)
    if (end, last) < (start, first):
        raise InboxError(f"the absence ends ({end} {last}) before it starts ({start} {first})")
    pupil = session.get(Pupil, proposal.pupil_id)
    assert pupil is not None
    if not pupil.on_roll(start):
        raise InboxError(f"{pupil.display_name} is not on roll on {start}")
    who = _reporter(session, proposal, message)
    words = _summary(message.text or message.subject)
    code = None
    if proposal.kind == "report":
        chosen = edits.code or proposal.code
        code = codes.lookup(chosen).code if chosen else None
        if code is None:
            raise InboxError("choose the code: the message gives no reason the inbox's rules know")
    _take(session, proposal, "accepted", user=user, now=now)
    if proposal.kind == "leave":
        leave = request_leave(
            session,
            pupil_id=pupil.id,
            start=start,
            end=end,
            start_session=first,
            end_session=last,
            reason=f"{message.channel}: {words}"[:500],
            requested_by=who,
            user=user,
            now=now,
        )
        proposal.leave_id = leave.id
        result = Accepted("leave", pupil.display_name, leave_id=leave.id)
    else:
        assert code is not None
        report = log_report(
            session,
            pupil_id=pupil.id,
            start=start,
            end=end,
            start_session=first,
            end_session=last,
            code=code,
            reason=words,
            reported_by=who,
            channel=message.channel,
            user=user,
            now=now,
        )
        proposal.report_id = report.report.id
        result = Accepted(
            "report",
            pupil.display_name,
            report.recorded,
            report.amended,
            report.left_alone,
            report_id=report.report.id,
        )
    proposal.start_date, proposal.end_date = start, end
    proposal.start_session, proposal.end_session = first, last
    proposal.code = code
    session.flush()
    _audit(session, proposal, "accept", user, now, code=code, start=start, end=end)
    return result


def reject(session: Session, *, proposal_id: int, why: str, user: User, now: datetime) -> None:
    """Set a proposal aside with the reason (the message stays kept)."""
    require(user, Permission.LOG_CALLS)
    if not why.strip():
        raise InboxError("say why it is rejected (e.g. not about an absence, a duplicate)")
    proposal, _ = _open(session, proposal_id)
    _take(session, proposal, "rejected", user=user, now=now)
    proposal.why = why.strip()[:500]
    session.flush()
    _audit(session, proposal, "reject", user, now, why=proposal.why)


def match_to(
    session: Session,
    *,
    proposal_id: int,
    pupil_id: int,
    user: User,
    now: datetime,
    also: bool = False,
) -> InboxProposal:
    """Say which pupil a message is about, by a person's decision; with `also`, the
    message is about this pupil as well (a new entry, the first one kept)."""
    require(user, Permission.LOG_CALLS)
    proposal, message = _open(session, proposal_id)
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise InboxError("choose the pupil the message is about")
    if not pupil.on_roll(proposal.start_date):
        raise InboxError(f"{pupil.display_name} is not on roll on {proposal.start_date}")
    contact = _contact_for(session, pupil.id, message.sender)
    by = f"matched to {pupil.display_name} by {user.full_name}"
    if contact is None:
        by += f"; the sender ({message.sender or 'unknown'}) is not one of their contacts"
    if also and proposal.pupil_id not in (None, pupil.id):
        target = InboxProposal(
            message_id=proposal.message_id,
            kind=proposal.kind,
            start_date=proposal.start_date,
            start_session=proposal.start_session,
            end_date=proposal.end_date,
            end_session=proposal.end_session,
            code=proposal.code,
            reason=proposal.reason,
            status="open",
        )
        session.add(target)
    else:
        target = proposal
    target.pupil_id = pupil.id
    target.contact_id = contact.id if contact else None
    target.note = by[:500]
    session.flush()
    _audit(session, target, "match", user, now, sender=message.sender)
    return target


def _open(session: Session, proposal_id: int) -> tuple[InboxProposal, InboxMessage]:
    proposal = session.get(InboxProposal, proposal_id)
    if proposal is None:
        raise InboxError(f"there is no inbox entry {proposal_id}")
    if proposal.status != "open":
        when = f" at {moment_text(proposal.decided_at)}" if proposal.decided_at else ""
        raise InboxError(
            f"entry {proposal_id} was already {proposal.status} by "
            f"{proposal.decided_by_name or 'someone'}{when}"
        )
    return proposal, proposal.message


def _take(
    session: Session, proposal: InboxProposal, status: str, *, user: User, now: datetime
) -> None:
    """Decide only if still open: another PC may have decided it since it was read."""
    done = rows_updated(
        session,
        update(InboxProposal)
        .where(InboxProposal.id == proposal.id, InboxProposal.status == "open")
        .values(
            status=status, decided_at=now, decided_by_id=user.id, decided_by_name=user.full_name
        )
        .execution_options(synchronize_session=False),
    )
    if done != 1:
        raise InboxError(f"entry {proposal.id} was decided on another PC meanwhile; look again")
    session.refresh(proposal)


def _reporter(session: Session, proposal: InboxProposal, message: InboxMessage) -> str:
    contact = session.get(Contact, proposal.contact_id) if proposal.contact_id else None
    if contact is not None:
        return f"{contact.name} ({contact.relationship_to_pupil})"
    name = message.sender_name or message.sender or "an unknown sender"
    return f"{name} <{message.sender}>" if message.sender_name else name


def _contact_for(session: Session, pupil_id: int, sender: str) -> Contact | None:
    sender = sender.strip().lower()
    key = phone_key(sender.partition("@")[0] if "@" in sender else sender)
    for contact in session.scalars(select(Contact).where(Contact.pupil_id == pupil_id)):
        if contact.email and contact.email.strip().lower() == sender:
            return contact
        numbers = {phone_key(n) for n in (contact.phone, contact.phone_alt) if n}
        if len(key) >= 10 and key in numbers:
            return contact
    return None


def _summary(text: str) -> str:
    """The message on one line, cut at a word near `REASON_LENGTH` characters."""
    line = re.sub(r"\s+", " ", text).strip() or "(no text)"
    if len(line) <= REASON_LENGTH:
        return line
    return line[: REASON_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _audit(
    session: Session, proposal: InboxProposal, action: str, user: User, now: datetime, **detail: Any
) -> None:
    audit.record(
        session,
        user=user,
        now=now,
        action=action,
        entity="inbox",
        entity_id=proposal.id,
        pupil_id=proposal.pupil_id,
        message=proposal.message_id,
        **detail,
    )
