"""`attendance-desk`: the window by default, and subcommands for automation and servers.

Every subcommand opens the database the same way the window does (migrations included),
works in one transaction and prints plain text or JSON. Errors go to stderr with a
non-zero exit status and leave the database untouched.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

# Only what parsing the command line needs is imported here: each command imports its own
# work when it runs, so `--version`, `--help` and a quick command start at once.
from attendance_desk import __version__
from attendance_desk.commands import (
    actions,
    backup,
    calls,
    connect,
    export,
    imports,
    inbox,
    letters,
    login,
    on_site,
    outbox,
    reconcile,
    report,
    school,
    settings,
    stats,
)
from attendance_desk.store.connection_config import default_file

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from attendance_desk.interop import ImportFailed
    from attendance_desk.store.db import Location

#: The commands, in the order `--help` lists them.
BEFORE_SHOT = (
    *(school, imports, export, stats, actions, calls, on_site, reconcile, report, letters),
    *(backup, connect),
)
AFTER_SHOT = (outbox, inbox, settings)


def open_window(db: Location | None) -> int:
    """The window on `db`: only the entry point imports ui/ (`demo --open` is handed this)."""
    from attendance_desk.ui.app import run

    return run(db)


def cmd_shot(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.ui.screenshot import save_shot

    path = save_shot(
        factory,
        args.tab,
        args.out,
        user_id=args.login.user_id,
        width=args.width,
        height=args.height,
        now=args.at,
    )
    print(f"Wrote {path}")
    return 0


def location(text: str) -> Location | None:
    """`--db`: a file's path, or a server's address."""
    from attendance_desk.store.db import as_location

    return as_location(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="attendance-desk",
        description="The school office's attendance tool. With no command it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this copy works (temporary database, letter, figures, window) and exit",
    )
    # For benchmarks/bench_frozen_startup.py: show the window on --db, report, quit.
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        login.OPTION,
        dest="user",
        metavar="NAME",
        help=f"the member of staff to run the command as (or ${login.USER_ENV}); "
        f"the password is asked for, or taken from ${login.PASSWORD_ENV}",
    )
    parser.add_argument(
        "--db",
        type=location,
        help="the database file, or a server's postgresql://user@host/name "
        f"(default $ATTENDANCE_DESK_DB, this PC's `connect`, or {default_file()})",
    )
    parser.set_defaults(open_window=open_window)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in BEFORE_SHOT:
        module.register(commands)
    shot = commands.add_parser("shot", help="draw one tab of the window into a PNG")
    shot.add_argument(
        "tab", help="today, register, calls, safeguarding, letters, pupils, reports or settings"
    )
    shot.add_argument("--out", type=Path, required=True)
    shot.add_argument("--width", type=int, default=1280)
    shot.add_argument("--height", type=int, default=800)
    shot.add_argument(
        "--at", type=datetime.fromisoformat, help="pretend it is this moment, e.g. 2026-11-24T09:40"
    )
    shot.set_defaults(handler=cmd_shot)
    for module in AFTER_SHOT:
        module.register(commands)
    return parser


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse, letting `export`'s optional FILE come after its options: argparse fills an
    optional positional as soon as it meets `kind`, so `export marks --from D --to D FILE`
    would otherwise leave FILE over."""
    parser = build_parser()
    args, extra = parser.parse_known_args(login.user_first(sys.argv[1:] if argv is None else argv))
    if extra:
        late_file = getattr(args, "command", None) == "export" and args.file is None
        if not (late_file and len(extra) == 1 and not extra[0].startswith("-")):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        args.file = Path(extra[0])
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if args.self_test or args.startup_probe:
        from attendance_desk.ui.self_test_window import self_test, startup_probe

        return self_test() if args.self_test else startup_probe(args.db)
    if args.command is None:
        return open_window(args.db)
    return run_command(args)


class _NeverRaised(Exception):
    """Stands for an error class whose module no part of this command has loaded."""


def _if_loaded(module: str, name: str) -> type[Exception]:
    """The error class `module.name` once loaded, else one nothing raises. An `except`
    names it so only when an error is on its way (Python looks the class up then): only the
    commands that import files or create a school load those modules, and no other command
    should pay for loading them just to name what it cannot raise."""
    loaded = sys.modules.get(module)
    found = getattr(loaded, name, None) if loaded is not None else None
    return found if isinstance(found, type) and issubclass(found, Exception) else _NeverRaised


def run_command(args: argparse.Namespace) -> int:
    """Run the command `args` names; a failure is a message on stderr and an exit status."""
    from attendance_desk.access.permissions import NotAllowed
    from attendance_desk.store.db import DatabaseError, default_location, open_database
    from attendance_desk.store.writers import writing

    try:
        if getattr(args, "direct", None) is not None:
            # backup, restore and check work on the file itself: never open or upgrade it first.
            login.log_in_for_file(args)
            return int(args.direct(args))
        with writing(args.db or default_location()):  # a restore waits until this is done
            factory = open_database(args.db)
            login.log_in_for(args, factory)
            return int(args.handler(args, factory))
    except DatabaseError as exc:
        print(f"attendance-desk: {exc}", file=sys.stderr)
        return 2
    except _if_loaded("attendance_desk.interop.errors", "ImportFailed") as exc:
        errors = cast("ImportFailed", exc).errors
        print(f"attendance-desk: nothing was imported; {len(errors)} problem(s):", file=sys.stderr)
        for line in errors:
            print(f"  {line}", file=sys.stderr)
        return 1
    except NotAllowed as exc:
        print(f"attendance-desk: `{login.command_words(args)}`: {exc}", file=sys.stderr)
        return 1
    except (
        login.LoginError,
        ValueError,
        _if_loaded("attendance_desk.school.setup", "SchoolExists"),
        OSError,
    ) as exc:
        print(f"attendance-desk: {exc}", file=sys.stderr)
        return 1
