"""`attendance-desk outbox send` and `outbox list [--json] [--all]`, for a scheduled task.

`send` claims and sends what is due exactly as the window's background sender does (so the
two never send a message twice), prints one line per message, and exits 1 when any message
due could not be sent, so the task scheduler shows the run as failed.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from attendance_desk.wording import plural

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from attendance_desk.outbox.listing import OutboxRow, OutboxSummary
    from attendance_desk.outbox.sending import Attempt


def register(commands: Any) -> None:
    """Add `outbox send` and `outbox list` to the command line's subcommands."""
    outbox = commands.add_parser("outbox", help="send the texts and emails due, or list them")
    actions = outbox.add_subparsers(dest="outbox_action", metavar="ACTION", required=True)
    send = actions.add_parser("send", help="send what is due now (exit 1 if any could not go)")
    send.set_defaults(handler=cmd_send)
    listing = actions.add_parser("list", help="what waits to be sent and what failed")
    listing.add_argument("--json", action="store_true", help="print JSON (see README)")
    listing.add_argument("--all", action="store_true", help="include sent and cancelled ones")
    listing.set_defaults(handler=cmd_list)


def cmd_send(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.outbox.listing import outbox_summary
    from attendance_desk.outbox.sending import send_due

    report = send_due(factory, clock=datetime.now)
    for attempt in report.attempts:
        print(describe_attempt(attempt))
    if not report.attempts:
        print("Nothing is due to send.")
    else:
        parts = [
            f"{report.count('sent')} sent",
            f"{report.count('retry')} to try again",
            f"{report.count('failed')} failed",
            f"{report.count('not_set_up')} waiting for Settings → Messaging",
        ]
        print(", ".join(p for p in parts if not p.startswith("0 ")) + ".")
    with factory() as session:
        print(summary_line(outbox_summary(session)))
    return 0 if report.ok else 1


def describe_attempt(attempt: Attempt) -> str:
    """`sent      #3 email to head@school.example`, with the error when it did not go."""
    from attendance_desk.outbox.listing import KIND_LABELS
    from attendance_desk.outbox.sending import MAX_TRIES

    what = f"#{attempt.id} {KIND_LABELS[attempt.channel].lower()} to {attempt.recipient}"
    if attempt.outcome == "sent":
        return f"sent        {what}"
    if attempt.outcome == "retry":
        assert attempt.next_try is not None
        return (
            f"not sent    {what} (try {attempt.tries} of {MAX_TRIES}; again at "
            f"{attempt.next_try:%H:%M}): {attempt.error}"
        )
    if attempt.outcome == "failed":
        return f"FAILED      {what} after {plural(attempt.tries, 'try', 'tries')}: {attempt.error}"
    return f"not set up  {what}: {attempt.error}"


def summary_line(summary: OutboxSummary) -> str:
    """The status bar's line: `Outbox: 3 waiting · 1 failed`."""
    return f"Outbox: {summary.waiting} waiting · {summary.failed} failed"


def cmd_list(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.outbox.listing import outbox_rows

    with factory() as session:
        rows = outbox_rows(session, everything=args.all)
    if args.json:
        print(json.dumps([row.as_json() for row in rows], indent=1))
        return 0
    if not rows:
        print("The outbox is empty." if args.all else "Nothing waits to be sent.")
    for row in rows:
        print(list_line(row))
    return 0


def list_line(row: OutboxRow) -> str:
    from attendance_desk.outbox.listing import KIND_LABELS, STATUS_LABELS

    status = STATUS_LABELS[row.status]
    if row.next_try and row.tries:
        status += f", next try {row.next_try:%H:%M}"
    tries = plural(row.tries, "try", "tries")
    line = f"#{row.id:<5} {KIND_LABELS[row.kind]:<5} {row.to:<30} {status} ({tries})"
    return f"{line}: {row.last_error}" if row.last_error else line
