"""Real servers on loopback for the outbox's tests: an SMTP server (aiosmtpd) and an HTTP
text gateway, each started by the test and stopped after it."""

from __future__ import annotations

import asyncio
import email
import http.server
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from attendance_desk.models import User
from attendance_desk.school import settings

FROM = "office@hillside.example"
TEXT_DOMAIN = "texts.example"


def free_port() -> int:
    """A loopback port nothing listens on (a server that is down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class MailServer:
    """What the SMTP server received: each message and its envelope recipients."""

    port: int
    delay: float = 0.0
    received: list[Message] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.sleep(self.delay)  # a slow server lets two senders overlap
        self.received.append(email.message_from_bytes(envelope.content))
        self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(*, delay: float = 0.0) -> Iterator[MailServer]:
    """A real SMTP server on 127.0.0.1 for the length of the block."""
    server = MailServer(free_port(), delay)
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def use_smtp(
    session: Session, user: User, port: int, *, now: datetime, text_domain: str = ""
) -> None:
    """Settings → Messaging pointing at a loopback server (no STARTTLS), committed."""
    for option, value in (
        (settings.SMTP_HOST, "127.0.0.1"),
        (settings.SMTP_PORT, port),
        (settings.SMTP_STARTTLS, False),
        (settings.SMTP_FROM, FROM),
        (settings.SMS_EMAIL_DOMAIN, text_domain),
    ):
        settings.put(session, option, value, user=user, now=now)
    session.commit()


@dataclass
class Gateway:
    """What the HTTP text gateway was asked to send: (number, text) pairs."""

    port: int
    texts: list[tuple[str, str]] = field(default_factory=list)
    answer: int = 200


@contextmanager
def text_gateway() -> Iterator[Gateway]:
    """A real HTTP text gateway on 127.0.0.1 that answers with `gateway.answer`."""
    gateway = Gateway(free_port())

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            if gateway.answer == 200:
                gateway.texts.append((query["to"][0], query["text"][0]))
            self.send_response(gateway.answer)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", gateway.port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
