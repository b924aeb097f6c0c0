"""One message read into proposals: for each pupil it is about, the sessions, the code or
leave request, and why; pure functions of the message, the directory and the calendar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from attendance_desk.inbox.dates import Span, first_day, read_dates
from attendance_desk.inbox.directory import Directory
from attendance_desk.inbox.matching import match_message
from attendance_desk.inbox.reasons import concern, read_reason
from attendance_desk.school.calendar import SchoolCalendar

REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|fw)\s*:\s*)+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Incoming:
    """A message as read, before it is stored: from the mailbox, the gateway or a file."""

    channel: str
    sender: str
    sender_name: str
    received: datetime
    subject: str
    text: str
    original: str
    notes: tuple[str, ...] = ()
    forwarded_from: str = ""
    size: int = 0


@dataclass(frozen=True, slots=True)
class Plan:
    """One proposal to store."""

    pupil_id: int | None
    contact_id: int | None
    suggested_pupil_id: int | None
    kind: str
    span: Span
    code: str | None
    reason: str
    note: str


def plan_proposals(message: Incoming, directory: Directory, calendar: SchoolCalendar) -> list[Plan]:
    """What `message` proposes, one plan per pupil it is about (one unmatched plan when it
    cannot be matched)."""
    subject = REPLY_PREFIX.sub("", message.subject)
    words = f"{subject}\n{message.text}" if subject else message.text
    reason = read_reason(words)
    try:
        span = read_dates(words, message.received, calendar, appointment=reason.code == "M")
    except (ValueError, OverflowError):  # a date the calendar cannot place
        day = first_day(message.received, calendar)
        span = Span(day, "AM", day, "PM")
    findings = match_message(
        directory,
        sender=message.sender,
        sender_name=message.sender_name,
        text=words if message.text.strip() else "",
        day=span.start,
        about_absence=reason.about_absence,
        forwarded_from=message.forwarded_from,
    )
    note_extra = ""
    if reason.kind == "leave":
        note_extra = "; a holiday or family event: a leave request for the head, not a code"
    if worry := concern(words):
        note_extra += f"; {worry}"
    return [
        Plan(
            f.pupil_id,
            f.contact_id,
            f.suggested_pupil_id,
            reason.kind,
            span,
            reason.code,
            reason.words,
            (f.note + note_extra)[:500],
        )
        for f in findings
    ]
