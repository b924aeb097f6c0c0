"""Copies of a letter held for want of an address: never posted to the child's home, emailed
to the parent where there is an email address, and the worklist asks for an address.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from sqlalchemy.orm import Session

from attendance_desk.access import audit
from attendance_desk.letters.recipients import Recipient
from attendance_desk.letters.render import LetterData
from attendance_desk.models import User
from attendance_desk.outbox import messages as messaging
from attendance_desk.pathway.periods import pct_text

_TAG = re.compile(r"<[^>]+>")


def letter_text(data: LetterData) -> str:
    """The letter as plain text, for an email body."""
    lines = [f"Dear {data.recipient_name},", "", data.title, ""]
    for block in data.blocks:
        if block.kind == "summary":
            lines += [
                f"{row.label}: attendance {pct_text(row.figures.attendance_pct, data.target)} "
                f"({row.missed} of "
                f"{row.figures.possible} sessions missed)"
                for row in data.summary
            ]
        elif block.kind == "meeting" and data.meeting is not None:
            lines.append(f"Meeting: {data.meeting.describe()}")
        elif block.kind == "signature":
            lines += ["Yours sincerely", data.signatory_name, data.signatory_role]
        else:
            bullet = "- " if block.kind == "bullets" else ""
            lines += [bullet + html.unescape(_TAG.sub("", line)) for line in block.lines]
        lines.append("")
    lines.append(data.school_name)
    return "\n".join(lines).strip() + "\n"


def hold_copy(
    session: Session,
    *,
    pupil_id: int,
    recipient: Recipient,
    data: LetterData,
    log_id: int,
    user: User,
    now: datetime,
) -> None:
    """Hold one copy (audited), and email it when the parent has an email address."""
    if recipient.email:
        messaging.queue(
            session,
            channel="email",
            recipient=recipient.email,
            subject=f"{data.title}: {data.pupil_name}",
            body=letter_text(data),
            now=now,
            pupil_id=pupil_id,
        )
    audit.record(
        session,
        user=user,
        now=now,
        action="hold",
        entity="letter",
        entity_id=log_id,
        pupil_id=pupil_id,
        to=recipient.name,
        emailed=recipient.email or "",
        why="address unknown",
    )
