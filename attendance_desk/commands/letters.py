"""`attendance-desk letters --date D --out DIR`: every letter due that day, one PDF each
and one file to print them all.

The letters are logged and the pupils' cases moved on exactly as when the Letters tab sends
them, in one transaction: if a file cannot be written nothing is recorded as sent.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attendance_desk.commands.options import iso_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from attendance_desk.commands.login import Login


def register(commands: Any) -> None:
    """Add `letters` to the subcommands."""
    letters = commands.add_parser("letters", help="render every letter due on a day to PDFs")
    letters.add_argument("--date", type=iso_date, default=date.today(), help="default today")
    letters.add_argument("--out", type=Path, required=True, help="the folder for the PDFs")
    letters.set_defaults(handler=cmd_letters)


def cmd_letters(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    return letters_command(factory, args.date, args.out, login=args.login)


def letters_command(
    session_factory: sessionmaker[Session], day: date, out: Path, *, login: Login | None
) -> int:
    """Render and log every letter due on `day` into `out` as the logged-in user; 0 on
    success, 1 on failure."""
    from attendance_desk.access.permissions import Permission
    from attendance_desk.commands.login import acting_user
    from attendance_desk.letters.files import write_batch
    from attendance_desk.letters.sending import LetterError, send_letters
    from attendance_desk.pathway.due import letters_due
    from attendance_desk.store.db import transaction
    from attendance_desk.store.private_files import private_folder
    from attendance_desk.wording import plural

    now = datetime.combine(day, datetime.now().time())
    try:
        with transaction(session_factory) as session:
            user = acting_user(session, login, needs=Permission.SEND_LETTERS)
            due = letters_due(session, day)
            if not due:
                print(f"No letters due on {day.isoformat()}.")
                return 0
            sent = send_letters(session, due, day=day, user=user, now=now)
            private_folder(out)
            written = write_batch(out, sent, printed_at=now)
    except (LetterError, OSError) as exc:
        print(f"attendance-desk letters: {exc}", file=sys.stderr)
        return 1
    pupils = len({letter.pupil_name for letter in sent})
    print(f"{plural(len(sent), 'letter')} for {plural(pupils, 'pupil')} written to {out}:")
    for path in written:
        print(f"  {path.name}")
    return 0
