"""`attendance-desk`: the window by default, and subcommands for automation and servers.

Every subcommand opens the database the same way the window does (migrations included),
works in one transaction and prints plain text or JSON. Errors go to stderr with a
non-zero exit status and leave the database untouched.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

# Only what parsing the command line needs is imported here: each command imports its own
# work when it runs, so `--version`, `--help` and a quick command start at once.
from attendance_desk import __version__
from attendance_desk.access import cli_login
from attendance_desk.desk import calls_cli, onsite_cli
from attendance_desk.inbox import cli as inbox_cli
from attendance_desk.outbox import cli as outbox_cli
from attendance_desk.school import settings_cli
from attendance_desk.store import backup_cli
from attendance_desk.store.connection_config import default_file

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from attendance_desk.interop import ImportFailed
    from attendance_desk.store.db import Location


class CommandError(Exception):
    """A problem with what the user asked for; printed without a traceback."""


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (use YYYY-MM-DD)") from None


def cmd_init(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.school import setup as school_setup
    from attendance_desk.school.term_dates import academic_year_name, academic_year_of
    from attendance_desk.store.db import transaction

    now = datetime.now()
    with transaction(factory) as session:
        school = school_setup.create_school(
            session,
            name=args.school,
            urn=args.urn,
            la_number=args.la,
            estab_number=args.estab,
            today=now.date(),
            now=now,
        )
        if args.admin:
            admin = cli_login.create_first_admin(session, username=args.admin, now=now)
        year = academic_year_name(academic_year_of(now.date()))
        print(f"Created {school.name} with a typical England calendar for {year}.")
        if args.admin:
            print(f"{admin.username} is its administrator: they add the other staff.")
    return 0


def cmd_demo(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from sqlalchemy import func, select

    from attendance_desk.demo.school import build_demo
    from attendance_desk.models import Pupil
    from attendance_desk.store.db import transaction

    def progress(done: int, total: int) -> None:
        print(f"\r  {done * 100 // max(total, 1):3d} %", end="", file=sys.stderr, flush=True)

    today = args.today or date.today()
    with factory() as session:
        has_pupils = (session.scalar(select(func.count(Pupil.id))) or 0) > 0
    if has_pupils and args.open:
        print("This database already holds a school; opening it.")
    else:
        with transaction(factory) as session:
            summary = build_demo(
                session,
                pupils=args.pupils,
                weeks=args.weeks,
                seed=args.seed,
                today=today,
                progress=progress,
            )
        print(file=sys.stderr)
        print(
            f"{summary.school_name}: {summary.pupils} pupils, {summary.contacts} contacts, "
            f"{summary.marks} marks from {summary.first_day} to {summary.last_day}."
        )
    if args.open:
        from attendance_desk.ui.app import run

        return run(args.db)
    return 0


def cmd_import(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk import interop
    from attendance_desk.access.cli_login import acting_user
    from attendance_desk.interop.ctf_import import import_ctf
    from attendance_desk.interop.mis_import import import_mis_file
    from attendance_desk.store.db import transaction

    importers: dict[str, Callable[..., object]] = {
        "calendar": interop.import_calendar,
        **{kind: partial(import_mis_file, kind=kind) for kind in ("pupils", "contacts", "marks")},
        "ctf": import_ctf,
    }
    importer = importers[args.kind]
    options: dict[str, Any] = {"legacy": True} if args.kind == "marks" and args.legacy else {}
    with transaction(factory) as session:
        summary = importer(
            session, args.file, user=acting_user(session, args.login), now=datetime.now(), **options
        )
    print(f"Imported {args.file}: {summary}")
    return 0


def cmd_stats(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.figures.stats_report import stats_json, stats_text

    with factory() as session:
        if args.json:
            print(json.dumps(stats_json(session, args.start, args.end), indent=1))
        else:
            print(stats_text(session, args.start, args.end))
    return 0


def cmd_actions(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.access.cli_login import acting_user
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


def cmd_report(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.figures.cli import report_weekly

    return report_weekly(factory, args.week, args.out, login=args.login)


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


def cmd_letters(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.letters.cli import letters_command

    return letters_command(factory, args.date, args.out, login=args.login)


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


def cmd_export(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.interop.export_cli import cmd_export

    return cmd_export(args, factory)


def cmd_connect(args: argparse.Namespace) -> int:
    from attendance_desk.store.connect_cli import cmd_connect

    return cmd_connect(args.address, forget=args.forget)


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
        cli_login.OPTION,
        dest="user",
        metavar="NAME",
        help=f"the member of staff to run the command as (or ${cli_login.USER_ENV}); "
        f"the password is asked for, or taken from ${cli_login.PASSWORD_ENV}",
    )
    parser.add_argument(
        "--db",
        type=location,
        help="the database file, or a server's postgresql://user@host/name "
        f"(default $ATTENDANCE_DESK_DB, this PC's `connect`, or {default_file()})",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser("init", help="create an empty school with this year's calendar")
    init.add_argument("--school", required=True, help="the school's name")
    init.add_argument("--urn", help="unique reference number (6 digits)")
    init.add_argument("--la", help="local authority number (3 digits)")
    init.add_argument("--estab", help="establishment number (4 digits)")
    init.add_argument(
        "--admin", metavar="NAME", help="also create the first administrator (password asked)"
    )
    init.set_defaults(handler=cmd_init)

    demo = commands.add_parser("demo", help="create a realistic demo school")
    demo.add_argument("--pupils", type=int, default=300)
    demo.add_argument("--weeks", type=int, default=12, help="school weeks of marks")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--today", type=iso_date, help="pretend today is this date")
    demo.add_argument(
        "--open", action="store_true", help="then open the window (an existing school is kept)"
    )
    demo.set_defaults(handler=cmd_demo)

    kinds = ["calendar", "pupils", "contacts", "marks"]
    imp = commands.add_parser("import", help="import a CSV or CTF file (all or nothing)")
    imp.add_argument("kind", choices=[*kinds, "ctf"])
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--legacy", action="store_true", help="marks: map pre-2024 codes (H->C, J->J1, Y->Y7)"
    )
    imp.set_defaults(handler=cmd_import)

    exp = commands.add_parser("export", help="export a CSV file in the import layout")
    exp.add_argument("kind", choices=[*kinds, "changes", "ctf"])
    exp.add_argument("file", type=Path, nargs="?")
    exp.add_argument("--out", type=Path, help="the file to write (instead of FILE)")
    exp.add_argument("--since", help="changes: recorded or amended from (date or date-time)")
    exp.add_argument("--until", help="changes: up to, not including (default now)")
    exp.add_argument("--from", dest="start", type=iso_date, help="marks: first date")
    exp.add_argument("--to", dest="end", type=iso_date, help="marks: last date")
    exp.set_defaults(handler=cmd_export)

    st = commands.add_parser("stats", help="attendance figures per pupil and for the school")
    st.add_argument("--from", dest="start", type=iso_date, required=True)
    st.add_argument("--to", dest="end", type=iso_date, required=True)
    st.add_argument("--json", action="store_true", help="print JSON (see README)")
    st.set_defaults(handler=cmd_stats)

    act = commands.add_parser("actions", help="the follow-up worklist for a day")
    act.add_argument("--date", type=iso_date, default=date.today(), help="default today")
    act.add_argument("--json", action="store_true", help="print JSON (see README)")
    act.set_defaults(handler=cmd_actions)
    calls_cli.register(commands)
    onsite_cli.register(commands)

    rc = commands.add_parser("reconcile", help="compare with the MIS's attendance summary")
    rc.add_argument("file", type=Path, help="the MIS's attendance summary export (CSV)")
    rc.add_argument("--from", dest="start", type=iso_date, required=True)
    rc.add_argument("--to", dest="end", type=iso_date, required=True)
    rc.add_argument("--marks", type=Path, help="the MIS's marks export, to name every session")
    rc.add_argument("--json", action="store_true", help="print JSON (see README)")
    rc.set_defaults(handler=cmd_reconcile)

    report = commands.add_parser("report", help="printed reports")
    kinds_of_report = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    weekly = kinds_of_report.add_parser("weekly", help="the weekly SLT pack as a PDF")
    weekly.add_argument("--week", type=iso_date, required=True, help="any day of the week")
    weekly.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    weekly.set_defaults(handler=cmd_report)

    letters = commands.add_parser("letters", help="render every letter due on a day to PDFs")
    letters.add_argument("--date", type=iso_date, default=date.today(), help="default today")
    letters.add_argument("--out", type=Path, required=True, help="the folder for the PDFs")
    letters.set_defaults(handler=cmd_letters)

    bk = commands.add_parser("backup", help="copy the database into a folder (old copies rotated)")
    bk.add_argument("dir", type=Path)
    bk.set_defaults(direct=lambda a: backup_cli.cmd_backup(a.db, a.dir))
    rs = commands.add_parser("restore", help="put a backup in place (the current one kept aside)")
    rs.add_argument("file", type=Path)
    rs.set_defaults(direct=lambda a: backup_cli.cmd_restore(a.db, a.file, a.login))
    ck = commands.add_parser("check", help="SQLite's integrity checks and the app's own")
    ck.set_defaults(direct=lambda a: backup_cli.cmd_check(a.db))
    backup_cli.add_commands(commands)
    cn = commands.add_parser("connect", help="make this PC open a database (tested first)")
    cn.add_argument("address", nargs="?", help="postgresql://user@server/name, or a file")
    cn.add_argument("--forget", action="store_true", help="back to this PC's own file")
    cn.set_defaults(direct=cmd_connect)

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
    outbox_cli.register(commands)
    inbox_cli.register(commands)
    settings_cli.register(commands)
    return parser


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse, letting `export`'s optional FILE come after its options: argparse fills an
    optional positional as soon as it meets `kind`, so `export marks --from D --to D FILE`
    would otherwise leave FILE over."""
    parser = build_parser()
    args, extra = parser.parse_known_args(
        cli_login.user_first(sys.argv[1:] if argv is None else argv)
    )
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
        from attendance_desk.ui.app import run

        return run(args.db)
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
            cli_login.log_in_for_file(args)
            return int(args.direct(args))
        with writing(args.db or default_location()):  # a restore waits until this is done
            factory = open_database(args.db)
            cli_login.log_in_for(args, factory)
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
        print(f"attendance-desk: `{cli_login.command_words(args)}`: {exc}", file=sys.stderr)
        return 1
    except (
        CommandError,
        cli_login.LoginError,
        ValueError,
        _if_loaded("attendance_desk.school.setup", "SchoolExists"),
        OSError,
    ) as exc:
        print(f"attendance-desk: {exc}", file=sys.stderr)
        return 1
