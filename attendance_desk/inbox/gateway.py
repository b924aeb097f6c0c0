"""Replies to the school's texts, from the text gateway's inbound API.

The gateway answers a GET of the URL in Settings with JSON: a list of replies, or an object
holding one under `messages`, `replies` or `data`. A reply needs an id and the number it
came from; the names gateways use for them (`id`/`message_id`, `from`/`number`/`sender`,
`text`/`message`/`body`, `received`/`date`/`timestamp`) are all read. Each reply is kept
once, by its id. (A gateway that emails replies instead needs no URL: they arrive in the
absence mailbox from NUMBER@the email-to-text domain.)
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.inbox.proposing import Incoming
from attendance_desk.inbox.report import FetchReport
from attendance_desk.inbox.storing import Reader, claim, store
from attendance_desk.store.db import transaction

TIMEOUT_SECONDS = 15.0
SOURCE = "Text replies"
MAX_TEXT = 2_000
KEYS = {
    "id": ("id", "message_id", "messageId", "uid", "sid"),
    "from": ("from", "number", "sender", "msisdn", "originator"),
    "text": ("text", "message", "body", "content"),
    "received": ("received", "date", "timestamp", "received_at", "receivedAt", "datetime"),
}


def fetch_replies(
    factory: sessionmaker[Session], *, url: str, clock: Callable[[], datetime]
) -> FetchReport:
    """Fetch and keep the replies the gateway lists that are not kept yet."""
    host = urllib.parse.urlsplit(url).netloc or url
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:
            payload = json.loads(answer.read(5_000_000).decode("utf-8", errors="replace"))
    except urllib.error.HTTPError as exc:
        return FetchReport(
            SOURCE, error=f"the text gateway {host} answered {exc.code} {exc.reason}"
        )
    except (OSError, ValueError) as exc:
        offline = not isinstance(exc, ValueError)
        why = "cannot be reached" if offline else "did not answer with JSON"
        return FetchReport(SOURCE, error=f"the text gateway {host} {why}: {exc}", offline=offline)
    items = _items(payload)
    if items is None:
        return FetchReport(
            SOURCE, error=f"the text gateway {host} answered JSON without a list of replies"
        )
    account = f"sms:{host}"
    with factory() as session:
        reader = Reader(session)
    fetched = proposals = skipped = unreadable = 0
    for item in items:
        reply = _reply(item, clock)
        if reply is None:
            unreadable += 1
            continue
        uid, message = reply
        row_id = claim(factory, account=account, uidvalidity=0, uid=uid, now=clock())
        if row_id is None:
            skipped += 1
            continue
        with transaction(factory) as session:
            proposals += store(session, message_id=row_id, message=message, reader=reader)
        fetched += 1
    remarks = (f"{unreadable} without an id or number were left out",) if unreadable else ()
    return FetchReport(SOURCE, fetched, proposals, skipped, remarks=remarks)


def _items(payload: Any) -> list[Any] | None:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in ("messages", "replies", "data", "inbound"):
            if isinstance(payload.get(key), list):
                return list(payload[key])
    return None


def _field(item: dict[str, Any], name: str) -> Any:
    return next((item[k] for k in KEYS[name] if item.get(k) not in (None, "")), None)


def _reply(item: Any, clock: Callable[[], datetime]) -> tuple[str, Incoming] | None:
    if not isinstance(item, dict):
        return None
    uid, sender = _field(item, "id"), _field(item, "from")
    if uid is None or sender is None:
        return None
    text = str(_field(item, "text") or "")[:MAX_TEXT]
    return str(uid)[:300], Incoming(
        channel="text",
        sender=str(sender)[:300],
        sender_name="",
        received=_when(_field(item, "received")) or clock().replace(microsecond=0),
        subject="",
        text=text.strip(),
        original=text,
        notes=() if text.strip() else ("the text is empty",),
        size=len(text.encode()),
    )


def _when(value: Any) -> datetime | None:
    """An ISO time or seconds since 1970, as this PC's local time."""
    try:
        if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
            return datetime.fromtimestamp(float(value)).replace(microsecond=0)
        if isinstance(value, str):
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return (parsed.astimezone() if parsed.tzinfo else parsed).replace(
                tzinfo=None, microsecond=0
            )
    except (ValueError, OverflowError, OSError):
        return None
    return None
