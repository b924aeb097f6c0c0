"""The command line's reports: `attendance-desk report weekly --week D --out FILE.pdf`."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attendance_desk.commands.options import iso_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from attendance_desk.commands.login import Login


def register(commands: Any) -> None:
    """Add `report weekly` to the subcommands."""
    report = commands.add_parser("report", help="printed reports")
    kinds_of_report = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    weekly = kinds_of_report.add_parser("weekly", help="the weekly SLT pack as a PDF")
    weekly.add_argument("--week", type=iso_date, required=True, help="any day of the week")
    weekly.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    weekly.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    return report_weekly(factory, args.week, args.out, login=args.login)


def report_weekly(
    session_factory: sessionmaker[Session], week: date, out: Path, *, login: Login | None
) -> int:
    """Render the weekly SLT pack for the school week containing `week` to `out`, as the
    logged-in user sees it (safeguarding detail only for the DSL, deputy DSL and head).

    Returns the exit status: 0 when written; 1, with the reason on stderr, when that week
    has no school days (a holiday) or the file cannot be written.
    """
    from attendance_desk.commands.login import acting_user
    from attendance_desk.figures.slt_pack import weekly_pack
    from attendance_desk.school.calendar_store import load_calendar
    from attendance_desk.store.private_files import write_private
    from attendance_desk.uk_dates import day_text, full_day

    monday = week - timedelta(days=week.weekday())
    now = datetime.now()  # the command line is where the clock is read
    with session_factory() as session:
        calendar = load_calendar(session)
        if not calendar.school_days(monday, monday + timedelta(days=4)):
            print(
                f"attendance-desk: the week of {day_text(monday)} has no school days",
                file=sys.stderr,
            )
            return 1
        pdf = weekly_pack(session, monday, now, viewer=acting_user(session, login))
    try:
        write_private(out, pdf)
    except OSError as exc:
        print(f"attendance-desk: cannot write {out}: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote the weekly SLT pack for the week of {full_day(monday)} to {out}")
    return 0
