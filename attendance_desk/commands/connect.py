"""`attendance-desk connect [ADDRESS] [--forget]`: which database this PC opens, tested
before it is kept (the work itself: `store.connect_cli`, shared with the Settings tab)."""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any) -> None:
    """Add `connect` to the subcommands."""
    cn = commands.add_parser("connect", help="make this PC open a database (tested first)")
    cn.add_argument("address", nargs="?", help="postgresql://user@server/name, or a file")
    cn.add_argument("--forget", action="store_true", help="back to this PC's own file")
    cn.set_defaults(direct=cmd_connect)


def cmd_connect(args: argparse.Namespace) -> int:
    from attendance_desk.store.connect_cli import cmd_connect

    return cmd_connect(args.address, forget=args.forget)
