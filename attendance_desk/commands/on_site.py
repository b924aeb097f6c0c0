"""`attendance-desk on-site [--at DATETIME] [--json]`: the fire list at that moment.

The same `onsite.fire_list` the On site dialog shows and the evacuation list prints:
everyone on roll less those marked not here and those signed out, by group, with the
groups whose register is not taken yet named first.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from attendance_desk.commands.options import moment

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def register(commands: Any) -> None:
    """Add the `on-site` command to the CLI's subcommands."""
    on_site = commands.add_parser("on-site", help="the fire list: everyone expected on site")
    on_site.add_argument("--at", type=moment, default=None, help="e.g. 2026-11-24T09:30")
    on_site.add_argument("--json", action="store_true", help="print JSON (see README)")
    on_site.set_defaults(handler=cmd_on_site)


def cmd_on_site(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.desk.onsite import PRESENT, SIGNED_OUT, fire_list, not_taken_warning
    from attendance_desk.wording import plural

    at = (args.at or datetime.now()).replace(second=0, microsecond=0)
    with factory() as session:
        fire = fire_list(session, at)
    if args.json:
        print(json.dumps(fire.as_json(), indent=1))
        return 0
    groups = [g for g in fire.groups if g.on_site]
    print(
        f"On site at {at:%H:%M} on {at:%a %d %b %Y}: {plural(fire.total, 'pupil')} "
        f"in {plural(len(groups), 'group')}"
    )
    if fire.not_taken:
        print(not_taken_warning(fire.not_taken))
    for group in fire.groups:
        print(f"{group.group} — {len(group.on_site)} on site")
        for pupil in group.pupils:
            what = pupil.status if pupil.status != PRESENT else ""
            note = " · ".join(t for t in (what, pupil.note) if t)
            marker = "  (not on site)" if pupil.status == SIGNED_OUT else ""
            print(f"  {pupil.upn}  {pupil.name:<24} {note}{marker}")
    return 0
