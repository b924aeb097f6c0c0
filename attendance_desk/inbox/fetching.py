"""Fetching new messages from the school's absence mailbox over IMAP (always encrypted:
TLS from the start, or STARTTLS), once each, never deleting anything.

Each new UID is claimed in the database before it is read (`storing.claim`), so every
office PC's background fetch and a scheduled `inbox fetch` can run together. Only the
start of a large message is fetched (`mime.MAX_BYTES`): the text comes before the
attachments. With a "move to" folder set, a message is moved there once it is kept.
Offline, a fetch reports it and changes nothing; the next one picks up where it stopped.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.inbox import gateway
from attendance_desk.inbox.credentials import CredentialsError, mailbox_password
from attendance_desk.inbox.mime import MAX_BYTES, read_email
from attendance_desk.inbox.proposing import Incoming
from attendance_desk.inbox.report import FetchReport
from attendance_desk.inbox.storing import STALE_CLAIM, Reader, claim, highest_uid, store
from attendance_desk.models import InboxMessage
from attendance_desk.school import settings
from attendance_desk.store.db import transaction

TIMEOUT_SECONDS = 20.0
SOURCE = "Absence mailbox"


@dataclass(frozen=True, slots=True)
class MailboxSetup:
    host: str
    port: int
    starttls: bool
    user: str
    folder: str
    move_to: str

    @property
    def account(self) -> str:
        """Names the folder the UIDs belong to."""
        return f"{self.user}@{self.host}/{self.folder}"


def mailbox_setup(session: Session) -> MailboxSetup | None:
    """The mailbox from Settings → Absence inbox; None until its server and login are set."""
    host = settings.get(session, settings.INBOX_HOST).strip()
    user = settings.get(session, settings.INBOX_USER).strip()
    if not host or not user:
        return None
    return MailboxSetup(
        host=host,
        port=settings.get(session, settings.INBOX_PORT),
        starttls=settings.get(session, settings.INBOX_STARTTLS),
        user=user,
        folder=settings.get(session, settings.INBOX_FOLDER).strip() or "INBOX",
        move_to=settings.get(session, settings.INBOX_MOVE_TO).strip(),
    )


def fetch_all(
    factory: sessionmaker[Session],
    *,
    clock: Callable[[], datetime],
    ssl_context: ssl.SSLContext | None = None,
) -> list[FetchReport]:
    """Fetch from every source set up: the mailbox and the text gateway's replies."""
    with factory() as session:
        setup = mailbox_setup(session)
        url = settings.get(session, settings.SMS_INBOUND_URL).strip()
    reports = []
    if setup is not None or not url:
        reports.append(fetch_mailbox(factory, clock=clock, ssl_context=ssl_context))
    if url:
        reports.append(gateway.fetch_replies(factory, url=url, clock=clock))
    return reports


def fetch_mailbox(
    factory: sessionmaker[Session],
    *,
    clock: Callable[[], datetime],
    ssl_context: ssl.SSLContext | None = None,
) -> FetchReport:
    """Fetch every message not yet kept from the mailbox in Settings."""
    with factory() as session:
        setup = mailbox_setup(session)
    if setup is None:
        return FetchReport(
            SOURCE,
            error="Settings → Absence inbox (the mailbox's server and login)",
            not_set_up=True,
        )
    try:
        password = mailbox_password(setup.user, setup.host)
    except CredentialsError as exc:
        return FetchReport(SOURCE, error=str(exc), not_set_up=True)
    where = f"the mailbox server {setup.host}:{setup.port}"
    try:
        client = _connect(setup, password, ssl_context or ssl.create_default_context())
    except ssl.SSLCertVerificationError as exc:
        return FetchReport(
            SOURCE, error=f"{where}'s certificate is not trusted: {exc.verify_message}"
        )
    except LoginError as exc:
        return FetchReport(
            SOURCE, error=f"{where} refused the login for {setup.user}: {_said(exc)}"
        )
    except (TimeoutError, OSError, IMAPClientError) as exc:
        return FetchReport(SOURCE, error=f"{where} cannot be reached: {_said(exc)}", offline=True)
    try:
        return _fetch_new(factory, client, setup, clock)
    except (OSError, IMAPClientError) as exc:
        return FetchReport(SOURCE, error=f"{where} stopped answering: {_said(exc)}", offline=True)
    finally:
        with contextlib.suppress(Exception):  # already gone: nothing more to say to it
            client.logout()


def _connect(setup: MailboxSetup, password: str, context: ssl.SSLContext) -> IMAPClient:
    client = IMAPClient(
        setup.host,
        port=setup.port,
        ssl=not setup.starttls,
        ssl_context=context,
        timeout=TIMEOUT_SECONDS,
    )
    try:
        if setup.starttls:
            client.starttls(context)
        client.login(setup.user, password)
    except BaseException:
        with contextlib.suppress(Exception):  # the connection may be broken already
            client.shutdown()
        raise
    return client


def _fetch_new(
    factory: sessionmaker[Session],
    client: IMAPClient,
    setup: MailboxSetup,
    clock: Callable[[], datetime],
) -> FetchReport:
    if not client.folder_exists(setup.folder):
        return FetchReport(SOURCE, error=f"the mailbox has no folder '{setup.folder}'")
    selected = client.select_folder(setup.folder, readonly=not setup.move_to)
    uidvalidity = int(selected[b"UIDVALIDITY"])
    with factory() as session:
        reader = Reader(session)
        low = _lowest_unread(session, setup.account, uidvalidity)
    uids = sorted(int(u) for u in client.search(["UID", f"{low}:*"]) if int(u) >= low)
    fetched = proposals = skipped = 0
    remarks: list[str] = []
    mover = _Mover(client, setup, remarks)
    for uid in uids:
        row_id = claim(
            factory, account=setup.account, uidvalidity=uidvalidity, uid=str(uid), now=clock()
        )
        if row_id is None:
            skipped += 1
            continue
        try:
            message = _read(client, uid)
            with transaction(factory) as session:
                proposals += store(session, message_id=row_id, message=message, reader=reader)
        except BaseException:
            _release(factory, row_id, clock())
            raise
        fetched += 1
        mover.move(uid)
    return FetchReport(SOURCE, fetched, proposals, skipped, remarks=tuple(remarks))


def _lowest_unread(session: Session, account: str, uidvalidity: int) -> int:
    """Where to search from: after the highest UID kept, or from a claim left unfinished."""
    unfinished = [
        int(u)
        for u in session.scalars(
            select(InboxMessage.uid).where(
                InboxMessage.account == account,
                InboxMessage.uidvalidity == uidvalidity,
                InboxMessage.status == "fetching",
            )
        )
        if u.isdigit()
    ]
    return min([*unfinished, highest_uid(session, account=account, uidvalidity=uidvalidity) + 1])


def _read(client: IMAPClient, uid: int) -> Incoming:
    part = f"BODY.PEEK[]<0.{MAX_BYTES}>"
    data: dict[bytes, Any] = client.fetch([uid], ["RFC822.SIZE", "INTERNALDATE", part])[uid]
    raw = next((v for k, v in data.items() if k.startswith(b"BODY[]")), b"") or b""
    size = int(data.get(b"RFC822.SIZE", len(raw)))
    read = read_email(bytes(raw), size=size)
    arrived = data.get(b"INTERNALDATE")
    received = arrived if isinstance(arrived, datetime) else read.sent
    return Incoming(
        channel="email",
        sender=read.sender,
        sender_name=read.sender_name,
        received=(received or datetime.now()).replace(tzinfo=None, microsecond=0),
        subject=read.subject,
        text=read.text,
        original=read.original,
        notes=read.notes,
        forwarded_from=read.forwarded_from,
        size=size,
    )


def _release(factory: sessionmaker[Session], row_id: int, now: datetime) -> None:
    """A read that failed gives its claim up at once, so the next fetch reads it again."""
    with transaction(factory) as session:
        row = session.get(InboxMessage, row_id)
        if row is not None and row.status == "fetching":
            row.claimed_at = now - 2 * STALE_CLAIM


class _Mover:
    """Moves kept messages to the school's folder, when one is named and the server can."""

    def __init__(self, client: IMAPClient, setup: MailboxSetup, remarks: list[str]) -> None:
        self.client, self.folder, self.remarks = client, setup.move_to, remarks
        self.ready = bool(self.folder)
        if self.ready and not client.has_capability("MOVE"):
            remarks.append(f"the server cannot move messages, so they stay in '{setup.folder}'")
            self.ready = False
        elif self.ready and not client.folder_exists(self.folder):
            client.create_folder(self.folder)

    def move(self, uid: int) -> None:
        if self.ready:
            self.client.move([uid], self.folder)


def _said(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, bytes):
        text = exc.decode(errors="replace")
    return text.strip() or type(exc).__name__
