"""The ways a message leaves: the school's email server, a text gateway, email-to-text.

A sender delivers one message or raises `SendFailed` with a reason the office can read.
`unreachable` says the server itself could not be reached (the network is down, the login
was refused): the other messages on that channel would fail the same way this minute.
"""

from __future__ import annotations

import smtplib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy.orm import Session

from attendance_desk.school import settings

TIMEOUT_SECONDS = 15.0

NOT_SET_UP = {
    "email": "not set up: Settings → Messaging (email server and 'Send emails from')",
    "sms": "not set up: Settings → Messaging (text gateway URL, or email server and "
    "email-to-text domain)",
}


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message as a sender needs it (no database row: sending happens outside any
    transaction)."""

    id: int
    channel: str
    recipient: str
    subject: str
    body: str


class SendFailed(Exception):
    """A sender could not deliver; the message stays in the outbox for another try."""

    def __init__(self, reason: str, *, unreachable: bool = False) -> None:
        super().__init__(reason)
        self.unreachable = unreachable


class Sender(Protocol):
    def send(self, message: Outgoing) -> None: ...


@dataclass(frozen=True)
class SmtpSender:
    """Email through the school's SMTP server (STARTTLS and login optional)."""

    host: str
    port: int
    from_address: str
    starttls: bool = True
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = TIMEOUT_SECONDS

    def send(self, message: Outgoing) -> None:
        email = EmailMessage()
        email["From"] = self.from_address
        email["To"] = message.recipient
        email["Subject"] = message.subject or "Message from school"
        email.set_content(message.body)
        server = f"email server {self.host}:{self.port}"
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(email)
        except smtplib.SMTPAuthenticationError as exc:
            raise SendFailed(f"{server} refused the login: {_said(exc)}", unreachable=True) from exc
        except smtplib.SMTPSenderRefused as exc:
            raise SendFailed(
                f"{server} refused to send from {self.from_address}: {_said(exc)}",
                unreachable=True,
            ) from exc
        except smtplib.SMTPConnectError as exc:
            raise SendFailed(
                f"{server} turned the connection away: {_said(exc)}", unreachable=True
            ) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendFailed(f"{server} refused the address {message.recipient}") from exc
        except smtplib.SMTPResponseException as exc:
            raise SendFailed(f"{server} said: {_said(exc)}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(f"{server} cannot be reached: {exc}", unreachable=True) from exc


def _said(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else ""
    return f"{exc.smtp_code} {text}".strip()


@dataclass(frozen=True)
class HttpSmsSender:
    """Texts through an HTTP gateway: `url_template` has `{to}` and `{text}` placeholders."""

    url_template: str
    timeout: float = TIMEOUT_SECONDS

    def send(self, message: Outgoing) -> None:
        url = self.url_template.format(
            to=urllib.parse.quote(message.recipient), text=urllib.parse.quote(message.body)
        )
        host = urllib.parse.urlsplit(url).netloc or url
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, method="POST"), timeout=self.timeout
            ):
                pass
        except urllib.error.HTTPError as exc:  # the gateway answered: this message is refused
            raise SendFailed(f"text gateway {host} answered {exc.code} {exc.reason}") from exc
        except OSError as exc:
            raise SendFailed(
                f"text gateway {host} cannot be reached: {exc}", unreachable=True
            ) from exc


@dataclass(frozen=True)
class EmailToSmsSender:
    """Texts as emails to NUMBER@domain, for gateways that work that way."""

    smtp: SmtpSender
    domain: str

    def send(self, message: Outgoing) -> None:
        number = "".join(ch for ch in message.recipient if ch.isdigit() or ch == "+")
        self.smtp.send(Outgoing(message.id, "email", f"{number}@{self.domain}", "", message.body))


@dataclass(frozen=True, slots=True)
class SenderSetup:
    """The senders set up in Settings, and for each channel without one, why not."""

    senders: dict[str, Sender]
    missing: dict[str, str]


def senders_from_settings(session: Session) -> SenderSetup:
    """The senders the school has set up in Settings → Messaging."""
    senders: dict[str, Sender] = {}
    smtp = None
    host = settings.get(session, settings.SMTP_HOST).strip()
    from_address = settings.get(session, settings.SMTP_FROM).strip()
    if host and from_address:
        smtp = SmtpSender(
            host=host,
            port=settings.get(session, settings.SMTP_PORT),
            from_address=from_address,
            starttls=settings.get(session, settings.SMTP_STARTTLS),
            username=settings.get(session, settings.SMTP_USERNAME),
            password=settings.get(session, settings.SMTP_PASSWORD),
        )
        senders["email"] = smtp
    if url := settings.get(session, settings.SMS_URL).strip():
        senders["sms"] = HttpSmsSender(url)
    elif smtp and (domain := settings.get(session, settings.SMS_EMAIL_DOMAIN).strip()):
        senders["sms"] = EmailToSmsSender(smtp, domain)
    missing = {channel: why for channel, why in NOT_SET_UP.items() if channel not in senders}
    return SenderSetup(senders, missing)
