"""The outbox: texts and emails are written here first and sent when the network is up.

Nothing is lost offline: a message stays `queued` until a sender succeeds, retrying with a
growing wait, and is marked `failed` (and shown to the office) only after many tries.
Messages to parents about an absence are `held` until the office has reviewed that
session's register; if the review shows the child was not absent after all (a trip coded
`V`, a late arrival), the message is cancelled instead of sent.
"""

from __future__ import annotations

import smtplib
import string
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk import audit, settings
from attendance_desk.followup.episodes import UNEXPLAINED
from attendance_desk.models import Contact, Mark, OutboxMessage, Pupil, SessionReview, User

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)

ABSENCE_TEXT = (
    "$school: $pupil was not in school this $session_word ($date) and we have no reason. "
    "Please call the office today."
)


class SendFailed(Exception):
    """A sender could not deliver; the message stays in the outbox for another try."""


class Sender(Protocol):
    def send(self, message: OutboxMessage) -> None: ...


def merge(template: str, fields: Mapping[str, str]) -> str:
    """Fill `$name` merge fields; an unknown field is left visible rather than dropped."""
    return string.Template(template).safe_substitute(fields)


def queue(
    session: Session,
    *,
    channel: str,
    recipient: str,
    body: str,
    now: datetime,
    subject: str = "",
    pupil_id: int | None = None,
    hold_for: tuple[date, str] | None = None,
) -> OutboxMessage:
    """Put a message in the outbox; held until its session is reviewed if `hold_for`."""
    if channel not in ("email", "sms"):
        raise ValueError(f"a message goes by email or sms, not {channel!r}")
    if not recipient.strip():
        raise ValueError("the message has no recipient (no phone number or email address)")
    reviewed = hold_for is not None and _reviewed(session, *hold_for)
    message = OutboxMessage(
        channel=channel,
        recipient=recipient.strip(),
        subject=subject,
        body=body,
        pupil_id=pupil_id,
        hold_date=hold_for[0] if hold_for else None,
        hold_session=hold_for[1] if hold_for else None,
        status="held" if hold_for and not reviewed else "queued",
        created_at=now,
        next_attempt_at=now,
    )
    session.add(message)
    session.flush()
    return message


def _reviewed(session: Session, day: date, session_name: str) -> bool:
    return (
        session.scalar(
            select(SessionReview.id).where(
                SessionReview.date == day, SessionReview.session == session_name
            )
        )
        is not None
    )


@dataclass(frozen=True, slots=True)
class ReviewResult:
    released: int
    cancelled: int


def review_session(
    session: Session, *, day: date, session_name: str, user: User, now: datetime
) -> ReviewResult:
    """Confirm a session's register; release its held messages for pupils still absent
    without a reason, cancel those for pupils who turned out to be in or accounted for."""
    if not _reviewed(session, day, session_name):
        session.add(
            SessionReview(date=day, session=session_name, reviewed_at=now, user_name=user.full_name)
        )
    held = list(
        session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.status == "held",
                OutboxMessage.hold_date == day,
                OutboxMessage.hold_session == session_name,
            )
        )
    )
    codes_now = {
        pupil_id: code
        for pupil_id, code in session.execute(
            select(Mark.pupil_id, Mark.code).where(Mark.date == day, Mark.session == session_name)
        )
    }
    released = cancelled = 0
    for message in held:
        if codes_now.get(message.pupil_id or -1) in UNEXPLAINED:
            message.status, message.next_attempt_at = "queued", now
            released += 1
        else:
            message.status = "cancelled"
            message.last_error = (
                "not sent: the reviewed register shows the pupil was not absent without a reason"
            )
            cancelled += 1
    session.flush()
    audit.record(
        session,
        user=user,
        now=now,
        action="review",
        entity="session",
        day=day,
        register_session=session_name,
        released=released,
        cancelled=cancelled,
    )
    return ReviewResult(released, cancelled)


def send_due(session: Session, senders: Mapping[str, Sender], now: datetime) -> tuple[int, int]:
    """Try every queued message whose time has come; returns (sent, still waiting)."""
    due = list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.created_at)
        )
    )
    sent = waiting = 0
    for message in due:
        sender = senders.get(message.channel)
        try:
            if sender is None:
                raise SendFailed(f"no {message.channel} sender is set up in Settings")
            sender.send(message)
        except (SendFailed, OSError, smtplib.SMTPException) as exc:
            message.attempts += 1
            message.last_error = str(exc)[:500]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
            else:
                wait = min(FIRST_RETRY * 2 ** (message.attempts - 1), LONGEST_WAIT)
                message.next_attempt_at = now + wait
                waiting += 1
            continue
        message.status, message.sent_at, message.attempts = "sent", now, message.attempts + 1
        message.last_error = None
        sent += 1
    session.flush()
    return sent, waiting


@dataclass(frozen=True)
class SmtpSender:
    """Email through the school's SMTP server (STARTTLS and login optional)."""

    host: str
    port: int
    from_address: str
    starttls: bool = True
    username: str = ""
    password: str = ""
    timeout: float = 20.0

    def send(self, message: OutboxMessage) -> None:
        email = EmailMessage()
        email["From"] = self.from_address
        email["To"] = message.recipient
        email["Subject"] = message.subject or "Message from school"
        email.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(email)


@dataclass(frozen=True)
class HttpSmsSender:
    """Texts through an HTTP gateway: `url_template` has `{to}` and `{text}` placeholders."""

    url_template: str
    opener: Callable[..., object] = urllib.request.urlopen
    timeout: float = 20.0

    def send(self, message: OutboxMessage) -> None:
        url = self.url_template.format(
            to=urllib.parse.quote(message.recipient), text=urllib.parse.quote(message.body)
        )
        try:
            self.opener(urllib.request.Request(url, method="POST"), timeout=self.timeout)
        except OSError as exc:
            raise SendFailed(f"text gateway: {exc}") from exc


@dataclass(frozen=True)
class EmailToSmsSender:
    """Texts as emails to NUMBER@domain, for gateways that work that way."""

    smtp: SmtpSender
    domain: str

    def send(self, message: OutboxMessage) -> None:
        number = "".join(ch for ch in message.recipient if ch.isdigit() or ch == "+")
        as_email = OutboxMessage(
            recipient=f"{number}@{self.domain}", subject="", body=message.body, channel="email"
        )
        self.smtp.send(as_email)


def senders_from_settings(session: Session) -> dict[str, Sender]:
    """The senders the school has set up; a channel with no settings has none."""
    out: dict[str, Sender] = {}
    host = settings.get(session, settings.SMTP_HOST)
    smtp = None
    if host:
        smtp = SmtpSender(
            host=host,
            port=settings.get(session, settings.SMTP_PORT),
            from_address=settings.get(session, settings.SMTP_FROM),
            starttls=settings.get(session, settings.SMTP_STARTTLS),
            username=settings.get(session, settings.SMTP_USERNAME),
            password=settings.get(session, settings.SMTP_PASSWORD),
        )
        out["email"] = smtp
    if url := settings.get(session, settings.SMS_URL):
        out["sms"] = HttpSmsSender(url)
    elif smtp and (domain := settings.get(session, settings.SMS_EMAIL_DOMAIN)):
        out["sms"] = EmailToSmsSender(smtp, domain)
    return out


def outbox_counts(session: Session) -> dict[str, int]:
    """How many messages are in each state, for the status bar."""
    rows = session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return {status: count for status, count in rows}


def queue_absence_text(
    session: Session,
    *,
    pupil: Pupil,
    contact: Contact,
    day: date,
    session_name: str,
    school_name: str,
    now: datetime,
) -> OutboxMessage:
    """The first-day text to a contact, held until the office reviews that session."""
    if contact.do_not_contact:
        raise ValueError(f"{contact.name} must not be contacted")
    body = merge(
        ABSENCE_TEXT,
        {
            "school": school_name,
            "pupil": pupil.preferred_forename or pupil.legal_forename,
            "session_word": "morning" if session_name == "AM" else "afternoon",
            "date": f"{day:%a %d %b}",
        },
    )
    return queue(
        session,
        channel="sms",
        recipient=contact.phone or "",
        body=body,
        now=now,
        pupil_id=pupil.id,
        hold_for=(day, session_name),
    )
