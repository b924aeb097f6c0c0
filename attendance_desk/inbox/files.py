"""`inbox read FILE`: messages from a saved email (.eml) or a mailbox export (mbox), for a
school that exports its mailbox, and for tests. Reading the same file twice keeps nothing
twice: each message is known by its Message-ID (or, without one, by its content)."""

from __future__ import annotations

import hashlib
import mailbox
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from attendance_desk.inbox.mime import MAX_BYTES, read_email
from attendance_desk.inbox.proposing import Incoming
from attendance_desk.inbox.report import FetchReport
from attendance_desk.inbox.storing import Reader, keep, kept_uids

ACCOUNT = "file"


class NotAMailFile(ValueError):
    """The file is not an email or a mailbox; the text says why."""


def read_mail_file(session: Session, path: Path, *, now: datetime) -> FetchReport:
    """Keep every message in `path` not kept before, with its proposals (the caller commits)."""
    if not path.is_file():
        raise NotAMailFile(f"{path}: there is no such file")
    reader = Reader(session)
    kept = kept_uids(session, account=ACCOUNT, uidvalidity=0)
    fetched = proposals = skipped = 0
    for raw in _messages(path):
        read = read_email(raw[:MAX_BYTES], size=len(raw))
        message = Incoming(
            channel="email",
            sender=read.sender,
            sender_name=read.sender_name,
            received=(read.sent or now).replace(microsecond=0),
            subject=read.subject,
            text=read.text,
            original=read.original,
            notes=read.notes,
            forwarded_from=read.forwarded_from,
            size=len(raw),
        )
        uid = read.message_id or hashlib.sha256(raw[:MAX_BYTES]).hexdigest()
        if uid in kept:
            skipped += 1
            continue
        kept.add(uid)
        proposals += keep(
            session,
            account=ACCOUNT,
            uidvalidity=0,
            uid=uid,
            message=message,
            reader=reader,
            now=now,
        )
        fetched += 1
    session.flush()
    return FetchReport(path.name, fetched, proposals, skipped)


def _messages(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        start = handle.read(5)
    if start == b"From ":
        box = mailbox.mbox(path, create=False)
        try:
            for key in box.iterkeys():
                yield box.get_bytes(key)
        finally:
            box.close()
        return
    data = path.read_bytes()
    if not data.strip():
        raise NotAMailFile(f"{path}: the file is empty")
    if b":" not in data.split(b"\n", 1)[0]:
        raise NotAMailFile(f"{path}: not an email (.eml) or a mailbox (mbox) file")
    yield data
