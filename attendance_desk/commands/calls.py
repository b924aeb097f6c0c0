"""`attendance-desk calls --date D [--at HH:MM] [--json]`: the Calls panel's list, in its order.

The same `calls.call_list` the panel shows, so a test or a school's IT can compare it with
`actions --json` (every first-day call and call-all-contacts action is on it).
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from attendance_desk.commands.options import clock_time, iso_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def register(commands: Any) -> None:
    """Add the `calls` command to the CLI's subcommands."""
    calls = commands.add_parser("calls", help="the Calls panel's list: who to phone, in order")
    calls.add_argument("--date", type=iso_date, default=None, help="default today")
    calls.add_argument("--at", type=clock_time, default=None, help="time of day, default now")
    calls.add_argument("--json", action="store_true", help="print JSON (see README)")
    calls.set_defaults(handler=cmd_calls)


def cmd_calls(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.desk.calls import call_list
    from attendance_desk.wording import short_day

    now = datetime.now()
    moment = datetime.combine(args.date or now.date(), args.at or now.time()).replace(
        second=0, microsecond=0
    )
    with factory() as session:
        rows = call_list(session, moment)
    if args.json:
        print(json.dumps([row.as_json() for row in rows], indent=1))
        return 0
    if not rows:
        print(f"Nobody to call at {moment:%H:%M} on {moment:%a %d %b %Y}.")
    for row in rows:
        overdue = f"  overdue since {short_day(row.overdue_since)}" if row.overdue_since else ""
        print(f"{row.upn}  {row.name:<24} {row.group:<6} day {row.day}{overdue}")
        for contact in row.contacts:
            tried = "  tried" if contact.tried_without_answer else ""
            dnc = "  DO NOT CONTACT" if contact.do_not_contact else ""
            print(f"    {contact.priority}. {contact.name:<22} {contact.phone or '-'}{tried}{dnc}")
    return 0
