"""A real IMAP server on loopback for the inbox's tests: pymap (in-memory mailboxes) with
STARTTLS on a certificate from a throwaway test authority (trustme), started by the test
and stopped after it. The test puts parents' messages in with APPEND, as a mail server
delivering them would, and the app fetches them over TLS."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import trustme
from imapclient import IMAPClient
from sqlalchemy.orm import Session

from attendance_desk.inbox.credentials import save_mailbox_password
from attendance_desk.models import User
from attendance_desk.school import settings
from tests.helpers.mail import free_port

USER = "absence@hillside.example"
PASSWORD = "mailbox-secret"


@dataclass
class ImapServer:
    """A running server: its port, and the test authority the app must trust."""

    port: int
    ca: trustme.CA
    folder: Path

    def context(self) -> ssl.SSLContext:
        """A client context trusting the test authority (and nothing else)."""
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context

    @contextmanager
    def client(self) -> Iterator[IMAPClient]:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.starttls(self.context())
        client.login(USER, PASSWORD)
        try:
            yield client
        finally:
            client.logout()

    def deliver(self, *messages: bytes, at: datetime, folder: str = "INBOX") -> None:
        """Put messages in the mailbox as the school's mail server would, arriving `at`."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            for message in messages:
                client.append(folder, message, msg_time=at)

    def uids(self, folder: str = "INBOX") -> list[int]:
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            return sorted(client.search())

    def trust_file(self) -> Path:
        """The authority as a PEM file, for `SSL_CERT_FILE` in a subprocess."""
        path = self.folder / "test-ca.pem"
        self.ca.cert_pem.write_to_path(str(path))
        return path


@contextmanager
def imap_server(tmp_path: Path) -> Iterator[ImapServer]:
    """pymap on 127.0.0.1 with STARTTLS, one user, for the length of the block."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file = tmp_path / "imap-cert.pem", tmp_path / "imap-key.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pymap.main import main; sys.exit(main())",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--cert",
            str(cert_file),
            "--key",
            str(key_file),
            "dict",
            "--demo-user",
            USER,
            "--demo-password",
            PASSWORD,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    server = ImapServer(port, ca, tmp_path)
    try:
        _wait_for(server, process)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(server: ImapServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"pymap stopped: {process.stderr.read().decode() if process.stderr else ''}"
            )
        try:
            with server.client():
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("pymap did not start within 20 seconds")


def use_mailbox(
    session: Session,
    user: User,
    server: ImapServer,
    *,
    now: datetime,
    move_to: str = "",
    password: str = PASSWORD,
) -> None:
    """Settings → Absence inbox pointing at the loopback server (STARTTLS), committed, and
    the password in the password store."""
    for option, value in (
        (settings.INBOX_HOST, "127.0.0.1"),
        (settings.INBOX_PORT, server.port),
        (settings.INBOX_STARTTLS, True),
        (settings.INBOX_USER, USER),
        (settings.INBOX_MOVE_TO, move_to),
    ):
        settings.put(session, option, value, user=user, now=now)
    session.commit()
    if password:  # empty: the test saves it the way the office would
        save_mailbox_password(USER, "127.0.0.1", password)


def email_bytes(
    sender: str,
    text: str,
    *,
    sent: datetime,
    subject: str = "Absence",
    name: str = "",
    message_id: str | None = None,
) -> bytes:
    """A plain-text email as a parent's mail program would write it."""
    message = EmailMessage()
    message["From"] = f"{name} <{sender}>" if name else sender
    message["To"] = USER
    message["Subject"] = subject
    message["Date"] = format_datetime(sent.astimezone())
    if message_id:
        message["Message-ID"] = f"<{message_id}>"
    message.set_content(text)
    return message.as_bytes()
