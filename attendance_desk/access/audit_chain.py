"""The audit trail's hash chain: each row carries a hash of itself and of the one before.

The app never changes or deletes an audit row (`audit_log`'s guard, and the database's own
triggers from migration 0008). Someone with the database file in hand can get round both;
the chain makes that show. Row n's `chain_hash` is SHA-256 over its place in the chain, the
hash of row n-1 and everything the row says (when, who, what, which record, the detail).
Editing a row breaks its hash; deleting one leaves a gap in the places and a row whose
"hash before" matches nothing; and the newest link is also kept in `audit_chain_head`, so
cutting rows off the end shows too (unless that row is forged as well; the backups, each
holding the chain as it was, are the record to compare with then).

Writers: the link is made as each row is inserted (`_link`), after locking the one head
row. On SQLite that lock is the database's write lock, which a writer holds to commit
anyway; on PostgreSQL it is a row lock held to the end of the transaction, so two PCs
writing at once queue for a moment and still make one chain. A row written by anything
but the app has no place in the chain, and `problems` names it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, event, func, insert, select, update
from sqlalchemy.orm import Mapper, Session

from attendance_desk.models import AuditChainHead, AuditEvent

#: The "hash before" the first row.
GENESIS = "0" * 64
HEAD_ID = 1


def link_hash(
    previous: str,
    seq: int,
    at: datetime,
    user_id: int | None,
    user_name: str,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: str | None,
) -> str:
    """The chain's hash at row `seq` (version 1 of the layout: never change it)."""
    payload = [
        1,
        seq,
        previous,
        at.isoformat(sep=" ", timespec="microseconds"),
        user_id,
        user_name,
        action,
        entity,
        entity_id,
        detail or "",
    ]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hash_of(event: AuditEvent, previous: str, seq: int) -> str:
    return link_hash(
        previous,
        seq,
        event.at,
        event.user_id,
        event.user_name,
        event.action,
        event.entity,
        event.entity_id,
        event.detail,
    )


@event.listens_for(AuditEvent, "before_insert")
def _link(_mapper: Mapper[Any], connection: Connection, target: AuditEvent) -> None:
    """Give a new audit row its place and hash, and move the head on (under its lock)."""
    head = AuditChainHead
    locked = connection.execute(
        update(head).where(head.id == HEAD_ID).values(seq=head.seq)  # takes the lock
    )
    if locked.rowcount == 0:  # a database whose chain has not started
        connection.execute(insert(head).values(id=HEAD_ID, seq=0, hash=GENESIS))
    seq, previous = connection.execute(select(head.seq, head.hash).where(head.id == HEAD_ID)).one()
    target.chain_seq = seq + 1
    target.chain_hash = _hash_of(target, previous, seq + 1)
    connection.execute(
        update(head).where(head.id == HEAD_ID).values(seq=target.chain_seq, hash=target.chain_hash)
    )


# --- checking ---------------------------------------------------------------------------
def problems(session: Session, *, shown: int = 20) -> list[str]:
    """Where the chain is broken: rows edited, deleted, cut off the end or written around
    the app; empty when every row checks out."""
    lines = list(_breaks(session))
    outside = session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.chain_seq.is_(None))
    )
    if outside:
        lines.append(
            f"audit: {outside} row(s) have no place in the hash chain: they were written "
            "into the file by something other than Attendance Desk"
        )
    if len(lines) > shown:
        lines = [*lines[:shown], f"audit: ... and {len(lines) - shown} more breaks in the chain"]
    return lines


def _breaks(session: Session) -> Iterator[str]:
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.chain_seq.is_not(None)).order_by(AuditEvent.chain_seq)
    )
    expected_seq, previous = 1, GENESIS
    for row in rows.yield_per(2000):
        seq = int(row.chain_seq or 0)
        where = f"audit row {row.id} ({row.at:%d %b %Y %H:%M}, {row.user_name}, {row.action})"
        if seq != expected_seq:
            yield (
                f"audit: {seq - expected_seq} row(s) missing from the chain before {where}: "
                "deleted from the file"
            )
        elif _hash_of(row, previous, seq) != row.chain_hash:
            yield f"audit: {where} does not match its hash: changed after it was written"
        expected_seq, previous = seq + 1, row.chain_hash or ""
    head = session.get(AuditChainHead, HEAD_ID)
    last = expected_seq - 1
    if head is not None and (head.seq, head.hash) != (last, previous):
        if head.seq > last:
            yield (
                f"audit: the newest {head.seq - last} row(s) of the chain are missing: "
                "deleted from the file"
            )
        else:
            yield "audit: the chain's newest link does not match its record: changed in the file"
