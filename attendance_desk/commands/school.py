"""`attendance-desk init` (an empty school with this year's calendar) and `attendance-desk
demo` (a realistic demo school, optionally opened in the window, which `cli` passes in as
`args.open_window`)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from attendance_desk.commands.options import iso_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def register(commands: Any) -> None:
    """Add `init` and `demo` to the subcommands."""
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


def cmd_init(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.commands.login import create_first_admin
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
            admin = create_first_admin(session, username=args.admin, now=now)
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
    # The window belongs to the entry point, which hands its opener in.
    return int(args.open_window(args.db)) if args.open else 0
