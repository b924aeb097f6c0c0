"""Sending what is due, once: each message is claimed in the database before it is sent.

The window's background sender on every office PC and a scheduled `outbox send` may run at
the same moment: a message goes only to whoever moves it from `queued` to `sending` (one
conditional UPDATE, atomic on SQLite and PostgreSQL). Nothing is held open while a server
is talked to, so the office's own saves never wait on the network.

A failed try waits 1, 2, 5, 15, then 60 minutes before the next; after `MAX_TRIES` the
message is `failed` with its last error, for the office to retry or cancel. A channel with
no sender set up is not a failed try: its messages wait, saying what to set up. A claim
left behind by a program that stopped mid-send becomes `failed`, never sent twice blindly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import OutboxMessage
from attendance_desk.outbox.senders import (
    Outgoing,
    SenderSetup,
    SendFailed,
    senders_from_settings,
)
from attendance_desk.store.db import transaction

RETRY_WAITS = tuple(timedelta(minutes=m) for m in (1, 2, 5, 15, 60))
MAX_TRIES = 8
#: Longer than any sender's timeout: a claim this old belongs to a program that stopped.
STALE_CLAIM = timedelta(minutes=15)
INTERRUPTED = (
    "interrupted while sending (the program stopped): it may not have gone; Retry sends it again"
)


def wait_after(tries: int) -> timedelta:
    """How long a message waits after its `tries`-th failed try."""
    return RETRY_WAITS[min(tries, len(RETRY_WAITS)) - 1]


@dataclass(frozen=True, slots=True)
class Attempt:
    """What happened to one message in a run: `sent`, `retry` (a failed try, another
    later), `failed` (the last try failed) or `not_set_up`."""

    id: int
    channel: str
    recipient: str
    outcome: str
    tries: int
    error: str | None = None
    next_try: datetime | None = None


@dataclass(frozen=True, slots=True)
class SendReport:
    attempts: tuple[Attempt, ...]

    def count(self, outcome: str) -> int:
        return sum(a.outcome == outcome for a in self.attempts)

    @property
    def ok(self) -> bool:
        """True when every message due was sent."""
        return all(a.outcome == "sent" for a in self.attempts)


def send_due(
    factory: sessionmaker[Session],
    *,
    clock: Callable[[], datetime],
    setup: SenderSetup | None = None,
) -> SendReport:
    """Claim and send every queued message whose time has come (by default with the
    senders in Settings); held messages are not due until their register is checked."""
    now = clock()
    with transaction(factory) as session:
        _fail_stale_claims(session, now)
        setup = setup or senders_from_settings(session)
        due = session.execute(
            select(OutboxMessage.id, OutboxMessage.channel)
            .where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        ).all()
    attempts: list[Attempt] = []
    down: dict[str, SendFailed] = {}  # channels whose server cannot be reached this run
    for message_id, channel in due:
        if channel in setup.missing:
            attempts.append(_not_set_up(factory, message_id, channel, setup.missing[channel]))
            continue
        claimed = _claim(factory, message_id, clock())
        if claimed is None:  # another PC (or a scheduled run) took it, or it was cancelled
            continue
        message, tries = claimed
        try:
            if channel in down:
                raise down[channel]
            setup.senders[channel].send(message)
        except SendFailed as exc:
            if exc.unreachable:
                down[channel] = exc
            attempts.append(_record_failure(factory, message, tries + 1, str(exc), clock()))
        except Exception as exc:  # any other failure is this try's error, shown to the office
            attempts.append(_record_failure(factory, message, tries + 1, repr(exc), clock()))
        else:
            attempts.append(_record_sent(factory, message, tries + 1, clock()))
    return SendReport(tuple(attempts))


def rows_updated(session: Session, statement: Any) -> int:
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def _fail_stale_claims(session: Session, now: datetime) -> None:
    rows_updated(
        session,
        update(OutboxMessage)
        .where(
            OutboxMessage.status == "sending",
            OutboxMessage.next_attempt_at < now - STALE_CLAIM,
        )
        .values(status="failed", last_error=INTERRUPTED),
    )


def _claim(
    factory: sessionmaker[Session], message_id: int, now: datetime
) -> tuple[Outgoing, int] | None:
    """Move one message from `queued` to `sending` (its time of claim in `next_attempt_at`);
    None when someone else got there first."""
    with transaction(factory) as session:
        claimed = rows_updated(
            session,
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == "queued",
                OutboxMessage.next_attempt_at <= now,
            )
            .values(status="sending", next_attempt_at=now),
        )
        if claimed != 1:
            return None
        row = session.execute(
            select(
                OutboxMessage.channel,
                OutboxMessage.recipient,
                OutboxMessage.subject,
                OutboxMessage.body,
                OutboxMessage.attempts,
            ).where(OutboxMessage.id == message_id)
        ).one()
    return Outgoing(message_id, row.channel, row.recipient, row.subject, row.body), row.attempts


def _finish(factory: sessionmaker[Session], message_id: int, **values: Any) -> None:
    with transaction(factory) as session:
        rows_updated(
            session,
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == "sending")
            .values(**values),
        )


def _record_sent(
    factory: sessionmaker[Session], message: Outgoing, tries: int, now: datetime
) -> Attempt:
    _finish(factory, message.id, status="sent", sent_at=now, attempts=tries, last_error=None)
    return Attempt(message.id, message.channel, message.recipient, "sent", tries)


def _record_failure(
    factory: sessionmaker[Session], message: Outgoing, tries: int, error: str, now: datetime
) -> Attempt:
    error = error[:500]
    if tries >= MAX_TRIES:
        _finish(factory, message.id, status="failed", attempts=tries, last_error=error)
        return Attempt(message.id, message.channel, message.recipient, "failed", tries, error)
    next_try = now + wait_after(tries)
    _finish(
        factory,
        message.id,
        status="queued",
        attempts=tries,
        last_error=error,
        next_attempt_at=next_try,
    )
    return Attempt(message.id, message.channel, message.recipient, "retry", tries, error, next_try)


def _not_set_up(factory: sessionmaker[Session], message_id: int, channel: str, why: str) -> Attempt:
    """Say on the message what is missing (no try counted: nothing could be tried)."""
    with transaction(factory) as session:
        rows_updated(
            session,
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == "queued",
                OutboxMessage.last_error.is_distinct_from(why),
            )
            .values(last_error=why),
        )
        row = session.execute(
            select(OutboxMessage.recipient, OutboxMessage.attempts).where(
                OutboxMessage.id == message_id
            )
        ).one()
    return Attempt(message_id, channel, row.recipient, "not_set_up", row.attempts, why)


def wake_waiting(session: Session, *, now: datetime) -> int:
    """The network is back: messages waiting after a failed try are due now, not in an hour."""
    return rows_updated(
        session,
        update(OutboxMessage)
        .where(
            OutboxMessage.status == "queued",
            OutboxMessage.attempts > 0,
            OutboxMessage.next_attempt_at > now,
        )
        .values(next_attempt_at=now),
    )
