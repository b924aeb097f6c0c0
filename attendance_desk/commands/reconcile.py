"""`attendance-desk reconcile FILE --from D --to D [--marks FILE] [--json]`: this register
compared with the MIS's attendance summary (the report itself: `interop.reconcile_cli`)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attendance_desk.commands.options import iso_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def register(commands: Any) -> None:
    """Add `reconcile` to the subcommands."""
    rc = commands.add_parser("reconcile", help="compare with the MIS's attendance summary")
    rc.add_argument("file", type=Path, help="the MIS's attendance summary export (CSV)")
    rc.add_argument("--from", dest="start", type=iso_date, required=True)
    rc.add_argument("--to", dest="end", type=iso_date, required=True)
    rc.add_argument("--marks", type=Path, help="the MIS's marks export, to name every session")
    rc.add_argument("--json", action="store_true", help="print JSON (see README)")
    rc.set_defaults(handler=cmd_reconcile)


def cmd_reconcile(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.interop.reconcile_cli import reconcile_command

    return reconcile_command(
        factory,
        args.file,
        start=args.start,
        end=args.end,
        today=date.today(),
        marks=args.marks,
        as_json=args.json,
    )
