"""Every setting declared once (key, default, type, label, limits); values live in the database.

The Settings screen is built from `REGISTRY`; code reads a value with `get(session, KEY)` and
never spells a default of its own. A stored value that no longer fits its declaration (an old
version's value, a hand edit) falls back to the default rather than breaking a screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.models import Setting, User

T = TypeVar("T", int, float, bool, str)


@dataclass(frozen=True)
class Option(Generic[T]):
    """A declared setting: its key, default and the values it accepts."""

    key: str
    default: T
    label: str
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    #: A password: never printed, and its values are kept out of the audit log.
    secret: bool = False
    #: False for values the app keeps for itself (not shown on the Settings tab).
    shown: bool = True

    def check(self, value: Any) -> T:
        """`value` as this option's type, or `ValueError` naming the key and the range."""
        kind = type(self.default)
        if kind is bool:
            if not isinstance(value, bool):
                raise ValueError(f"setting '{self.key}' must be true or false, not {value!r}")
            return value
        if kind is int and isinstance(value, float) and not value.is_integer():
            value = str(value)  # 2.5 is refused, not rounded down to 2
        try:
            typed = kind(value)
        except (TypeError, ValueError):
            expected = {int: "a whole number", float: "a number"}.get(kind, "text")
            raise ValueError(f"setting '{self.key}' must be {expected}, not {value!r}") from None
        if isinstance(typed, int | float) and not (
            (self.minimum is None or typed >= self.minimum)
            and (self.maximum is None or typed <= self.maximum)
        ):
            raise ValueError(
                f"setting '{self.key}' must be between {self.minimum:g} and {self.maximum:g}, "
                f"not {typed}"
            )
        return typed

    def parse(self, text: str) -> T:
        """A value typed as text (on the command line) as this option's type, checked."""
        if type(self.default) is bool:
            word = text.strip().lower()
            if word in TRUE_WORDS or word in FALSE_WORDS:
                return self.check(word in TRUE_WORDS)
            raise ValueError(f"setting '{self.key}' must be true or false, not {text!r}")
        return self.check(text.strip() if type(self.default) is not str else text)


TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})


POLICY_PRESET = Option(
    "policy.preset",
    "default",
    "Follow-up policy preset",
    "What the Today list asks for after an absence, and on which day.",
)
ATTENDANCE_TARGET = Option(
    "school.attendance_target", 96.0, "Whole-school attendance target (%)", "", 50, 100
)
REGISTER_MAX_OPEN_MINUTES = Option(
    "register.max_open_minutes",
    30,
    "Longest a register may stay open (minutes)",
    "The 2024 regulations: at most 30 minutes after the session starts.",
    5,
    120,
)
AUTO_LOCK_MINUTES = Option(
    "security.auto_lock_minutes",
    10,
    "Lock the screen after this many idle minutes",
    "Unsaved work is kept; the same or another user logs in to carry on.",
    1,
    240,
)
SCHOOL_PHONE = Option(
    "school.phone", "", "School office telephone", "Printed on letters left at a home visit."
)
PRINT_LATE_SLIP = Option(
    "desk.print_late_slip", False, "Print a late slip for each late arrival", ""
)

SMTP_HOST = Option(
    "smtp.host", "", "Email server (SMTP) host", "Leave empty to keep email in the outbox."
)
SMTP_PORT = Option("smtp.port", 587, "Email server port", "", 1, 65535)
SMTP_STARTTLS = Option("smtp.starttls", True, "Use STARTTLS", "")
SMTP_USERNAME = Option("smtp.username", "", "Email login", "")
SMTP_PASSWORD = Option("smtp.password", "", "Email password", "", secret=True)
SMTP_FROM = Option("smtp.from", "", "Send emails from", "e.g. attendance@school.example")
SMS_URL = Option(
    "sms.url_template",
    "",
    "Text gateway URL",
    "An address with {to} and {text}, called with POST; or leave empty and set the next option.",
)
SMS_EMAIL_DOMAIN = Option(
    "sms.email_domain", "", "Email-to-text domain", "Texts go by email to NUMBER@this domain."
)
SUMMARY_RECIPIENTS = Option(
    "summary.recipients", "", "Daily attendance summary to", "Email addresses, comma-separated."
)
#: The Settings tab's Messaging section: what the outbox needs to send.
MESSAGING_OPTIONS = (
    SMTP_HOST,
    SMTP_PORT,
    SMTP_STARTTLS,
    SMTP_USERNAME,
    SMTP_PASSWORD,
    SMTP_FROM,
    SMS_URL,
    SMS_EMAIL_DOMAIN,
    SUMMARY_RECIPIENTS,
)

INBOX_HOST = Option(
    "inbox.imap_host",
    "",
    "Absence mailbox server (IMAP)",
    "e.g. imap.school.example; leave empty to read no mailbox.",
)
INBOX_PORT = Option(
    "inbox.imap_port", 993, "Absence mailbox port", "993, or 143 with STARTTLS.", 1, 65535
)
INBOX_STARTTLS = Option(
    "inbox.imap_starttls",
    False,
    "Absence mailbox uses STARTTLS",
    "Off: encrypted from the start (port 993). The connection is always encrypted.",
)
INBOX_USER = Option(
    "inbox.imap_user",
    "",
    "Absence mailbox login",
    "Its password is kept in each PC's own password store, never in the database.",
)
INBOX_FOLDER = Option("inbox.imap_folder", "INBOX", "Absence mailbox folder to read", "")
INBOX_MOVE_TO = Option(
    "inbox.imap_move_to",
    "",
    "Move fetched messages to folder",
    "e.g. Read by Attendance Desk; leave empty to leave them where they are. Nothing is ever "
    "deleted.",
)
SMS_INBOUND_URL = Option(
    "sms.inbound_url",
    "",
    "Text gateway replies URL",
    "Where the gateway's inbound API lists replies as JSON; leave empty if replies come to "
    "the mailbox by email (the email-to-text domain above).",
)
#: The Settings tab's Absence inbox section: where parents' emails and text replies come from.
INBOX_OPTIONS = (
    INBOX_HOST,
    INBOX_PORT,
    INBOX_STARTTLS,
    INBOX_USER,
    INBOX_FOLDER,
    INBOX_MOVE_TO,
    SMS_INBOUND_URL,
)

LETTER_PATHWAY = Option(
    "letters.pathway",
    "default",
    "Staged letters pathway",
    "Which letters go to parents, and what each one leads to.",
)
LETTERHEAD_ADDRESS = Option(
    "letters.school_address",
    "",
    "School address on letters",
    "One line per part of the address, or separated by commas.",
)
LETTERHEAD_CONTACT = Option(
    "letters.contact_line", "", "Telephone and email on letters", "e.g. 0121 496 0000 · office@…"
)
LETTERHEAD_LOGO = Option(
    "letters.logo_path", "", "Logo on letters", "A PNG or JPEG file; leave empty for none."
)
LETTERHEAD_FOOTER = Option(
    "letters.footer", "", "Footer on letters", "e.g. the headteacher's name and the URN."
)
SIGNATORY_NAME = Option("letters.signatory_name", "", "Letters signed by", "")
SIGNATORY_ROLE = Option("letters.signatory_role", "Attendance Officer", "Signatory's role", "")
LETTER_OPTIONS = (
    LETTER_PATHWAY,
    LETTERHEAD_ADDRESS,
    LETTERHEAD_CONTACT,
    LETTERHEAD_LOGO,
    LETTERHEAD_FOOTER,
    SIGNATORY_NAME,
    SIGNATORY_ROLE,
)

BACKUP_FOLDER = Option(
    "backup.folder",
    "",
    "Backup folder",
    "Where the daily backups go: a USB stick or network share is safest. Leave empty for "
    "a Backups folder beside the database.",
)
IMPORT_MAPPINGS = Option(
    "import.column_mappings",
    "",
    "Remembered import column mappings",
    "Kept by File → Import for each MIS file layout imported; empty it to forget them.",
    shown=False,
)

REGISTRY: dict[str, Option[Any]] = {
    o.key: o
    for o in (
        POLICY_PRESET,
        ATTENDANCE_TARGET,
        REGISTER_MAX_OPEN_MINUTES,
        SCHOOL_PHONE,
        AUTO_LOCK_MINUTES,
        PRINT_LATE_SLIP,
        *MESSAGING_OPTIONS,
        *INBOX_OPTIONS,
        *LETTER_OPTIONS,
        BACKUP_FOLDER,
        IMPORT_MAPPINGS,
    )
}


def get(session: Session, option: Option[T]) -> T:
    """The stored value, or the declared default when none is stored or it no longer fits."""
    row = session.get(Setting, option.key)
    if row is None:
        return option.default
    try:
        return option.check(json.loads(row.value))
    except ValueError:
        return option.default


def put(session: Session, option: Option[T], value: Any, *, user: User, now: datetime) -> T:
    """Validate and store a value, auditing the old and new values (a secret's only as
    'set' or 'not set': the audit log is read by more people than the password is for)."""
    typed = option.check(value)
    old = get(session, option)
    row = session.get(Setting, option.key)
    if row is None:
        session.add(Setting(key=option.key, value=json.dumps(typed)))
    else:
        row.value = json.dumps(typed)
    audit.record(
        session,
        user=user,
        now=now,
        action="change",
        entity="setting",
        key=option.key,
        old=_audited(option, old),
        new=_audited(option, typed),
    )
    return typed


def _audited(option: Option[T], value: T) -> T | str:
    if not option.secret:
        return value
    return "(set)" if value else "(not set)"
