"""`attendance-desk actions [--date D] [--json]`: the follow-up worklist for a day, raised
and saved as the Today tab does, shown as the logged-in member of staff may see it."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from attendance_desk.commands.options import iso_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def register(commands: Any) -> None:
    """Add `actions` to the subcommands."""
    act = commands.add_parser("actions", help="the follow-up worklist for a day")
    act.add_argument("--date", type=iso_date, default=date.today(), help="default today")
    act.add_argument("--json", action="store_true", help="print JSON (see README)")
    act.set_defaults(handler=cmd_actions)


def cmd_actions(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.commands.login import acting_user
    from attendance_desk.followup.rules import KIND_LABELS, raise_actions
    from attendance_desk.safeguarding.redaction import actions_for

    now = datetime.now()
    with factory() as session:
        user = acting_user(session, args.login)
        actions = actions_for(raise_actions(session, day=args.date, user=user, now=now), user)
        # Saved, so each action stays until a person closes it; a day to come is only read.
        if args.date <= now.date():
            session.commit()
    if args.json:
        print(json.dumps([a.as_json() for a in actions], indent=1))
        return 0
    if not actions:
        print(f"Nothing to follow up on {args.date}.")
    for kind, label in KIND_LABELS.items():
        group = [a for a in actions if a.kind == kind]
        if group:
            print(f"{label} ({len(group)})")
            for a in group:
                day = f"day {a.day}  " if a.day else ""
                print(f"  {a.upn}  {a.name:<24} {a.group:<6} {day}{a.detail}")
    return 0
