"""`attendance-desk stats --from D --to D [--json]`: attendance figures per pupil and for
the school, as text or JSON."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from attendance_desk.commands.options import iso_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def register(commands: Any) -> None:
    """Add `stats` to the subcommands."""
    st = commands.add_parser("stats", help="attendance figures per pupil and for the school")
    st.add_argument("--from", dest="start", type=iso_date, required=True)
    st.add_argument("--to", dest="end", type=iso_date, required=True)
    st.add_argument("--json", action="store_true", help="print JSON (see README)")
    st.set_defaults(handler=cmd_stats)


def cmd_stats(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.figures.stats_report import stats_json, stats_text

    with factory() as session:
        if args.json:
            print(json.dumps(stats_json(session, args.start, args.end), indent=1))
        else:
            print(stats_text(session, args.start, args.end))
    return 0
