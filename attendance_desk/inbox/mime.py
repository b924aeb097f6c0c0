"""Reading one email with the standard `email` package: who sent it, when, and the parent's
own words, whatever shape the message is in.

Plain text is preferred to HTML; HTML-only mail is turned into text. Attachments are never
read, only named. A message larger than `MAX_BYTES` is read from its start (where the text
is) and the rest left in the mailbox. A quoted earlier message under a reply is cut off
(`mail-parser-reply`), but a forwarded message is kept: it is what the office must read.
Whatever goes wrong, the outcome is a message with a note saying what, never an exception.
"""

from __future__ import annotations

import email
import email.utils
import re
from dataclasses import dataclass
from datetime import datetime
from email.header import decode_header, make_header
from email.message import Message
from html.parser import HTMLParser

from mailparser_reply import EmailReplyParser

#: Read at most this much of a message: its text comes first, attachments after.
MAX_BYTES = 512 * 1024
#: Keep at most this much readable text of one message.
MAX_TEXT = 20_000

FORWARD_LINE = re.compile(
    r"^\s*(-{2,}\s*Forwarded message\s*-{2,}|Begin forwarded message:|-{2,}\s*Original Message"
    r"\s*-{2,})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
HEADER_LINE = re.compile(r"^\s*\*?(From|Sent|Date|To|Cc|Subject)\*?:\s*(.*)$", re.IGNORECASE)
SIGN_OFF = re.compile(
    r"^\s*(Sent from my \w+|Get Outlook for \w+|Sent from (Outlook|Yahoo Mail).*)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_REPLIES = EmailReplyParser(languages=["en"])


@dataclass(frozen=True, slots=True)
class ReadMessage:
    """One message as the inbox needs it."""

    sender: str
    sender_name: str
    subject: str
    sent: datetime | None
    message_id: str
    #: The sender's own words (a quoted earlier message cut off).
    text: str
    #: Everything readable, quotes and forwarded parts included.
    original: str
    notes: tuple[str, ...] = ()
    #: A forwarded message's first sender, named in its header block.
    forwarded_from: str = ""


def read_email(raw: bytes, *, size: int | None = None) -> ReadMessage:
    """Read an RFC 5322 message (`raw` may be only its first part when `size` says more)."""
    size = len(raw) if size is None else size
    notes: list[str] = []
    if len(raw) > MAX_BYTES:
        raw = raw[:MAX_BYTES]
    if size > MAX_BYTES:
        notes.append(
            f"a large message ({size / 1_000_000:.1f} MB): only its start was read; "
            "attachments are left in the mailbox"
        )
    # The compat32 policy: header objects of the modern policy cost more than the rest of
    # the reading together, and the inbox needs only a few headers, decoded here.
    message = email.message_from_bytes(raw)
    sender_name, sender = _address(message, "From")
    subject = _header(message, "Subject")
    body, body_notes = _body(message)
    notes += body_notes
    notes += _attachments(message)
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    original = CONTROL.sub("", body[:MAX_TEXT]).strip()
    text, forwarded_from = own_words(original, subject)
    if forwarded_from:
        notes.append(f"a forwarded message, first sent by {forwarded_from}")
    if not text.strip():
        notes.append("the message has no text")
    return ReadMessage(
        sender=sender,
        sender_name=sender_name,
        subject=subject[:300],
        sent=_sent(message),
        message_id=_header(message, "Message-ID").strip("<> ")[:300],
        text=text,
        original=original,
        notes=tuple(notes),
        forwarded_from=forwarded_from,
    )


def own_words(text: str, subject: str = "") -> tuple[str, str]:
    """The sender's own words and, for a forwarded message, the address it was first from.

    A forwarded message is kept whole (minus its header lines): it is the parent's message.
    Otherwise a quoted earlier message (`On … wrote:`, `>` lines) is cut off.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    forward = FORWARD_LINE.search(text)
    if forward is None and re.match(r"\s*(fwd?|fw):", subject, re.IGNORECASE):
        forward = _forward_headers(text)
    if forward is not None:
        before, after = text[: forward.start()], text[forward.end() :]
        first_from, rest = _drop_headers(after)
        kept = "\n".join(part.strip() for part in (before, rest) if part.strip())
        return _tidy(kept), first_from
    try:
        reply = _REPLIES.parse_reply(text=text)
    except Exception:  # the parser's regular expressions on odd text: keep it all
        reply = text
    return _tidy(reply or text), ""


def _forward_headers(text: str) -> re.Match[str] | None:
    """Where a forwarded header block (`From:` … `Subject:`) starts, for `Fwd:` mail."""
    match = re.search(r"^\s*\*?From\*?:.*$", text, re.IGNORECASE | re.MULTILINE)
    return match


def _drop_headers(text: str) -> tuple[str, str]:
    """The forwarded block's first sender and its text without the header lines."""
    lines = text.lstrip("\n").split("\n")
    first_from = ""
    index = 0
    while index < len(lines) and (header := HEADER_LINE.match(lines[index])):
        if header.group(1).lower() == "from" and not first_from:
            first_from = email.utils.parseaddr(header.group(2))[1].lower()
        index += 1
    return first_from, "\n".join(lines[index:])


def _tidy(text: str) -> str:
    text = SIGN_OFF.sub("", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _header(message: Message, name: str) -> str:
    """A header as text, encoded words (`=?utf-8?q?…?=`) decoded; empty when absent."""
    value = message.get(name)
    if value is None:
        return ""
    try:
        text = str(make_header(decode_header(str(value))))
    except (ValueError, LookupError, UnicodeError):  # a malformed or unknown encoding
        text = str(value)
    return " ".join(text.split())


def _address(message: Message, name: str) -> tuple[str, str]:
    display, address = email.utils.parseaddr(_header(message, name))
    return display.strip()[:200], address.strip().lower()[:300]


def _sent(message: Message) -> datetime | None:
    try:
        sent = email.utils.parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return sent.astimezone().replace(tzinfo=None) if sent.tzinfo else sent


def _body(message: Message) -> tuple[str, list[str]]:
    """The readable text (plain preferred to HTML) and notes on how it was read."""
    plain = html = None
    for part in message.walk():
        if part.is_multipart() or _is_attachment(part):
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = part
        elif kind == "text/html" and html is None:
            html = part
    notes: list[str] = []
    if plain is not None:
        return _decoded(plain, notes), notes
    if html is not None:
        notes.append("sent as HTML only: the text was taken from it")
        return html_to_text(_decoded(html, notes)), notes
    return "", notes


def _is_attachment(part: Message) -> bool:
    return part.get_content_disposition() == "attachment" or bool(part.get_filename())


def _decoded(part: Message, notes: list[str]) -> str:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset, errors="replace")
    except LookupError:
        notes.append(f"an unknown character set ({charset}): read as Windows-1252")
        return data.decode("cp1252", errors="replace")


def _attachments(message: Message) -> list[str]:
    names = []
    for part in message.walk():
        if not part.is_multipart() and _is_attachment(part):
            names.append(part.get_filename() or part.get_content_type())
    if not names:
        return []
    count = f"{len(names)} attachment{'s' * (len(names) != 1)}"
    return [f"{count} not read here ({', '.join(names[:5])}): open it in the mailbox"]


class _TextOfHtml(HTMLParser):
    BLOCKS = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "blockquote", "table"})
    SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The words of an HTML message, a line per paragraph, no markup or scripts."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
