"""`attendance-desk export KIND …`: the CSV layouts, the changes since the last export and a
pupil's CTF, written as the logged-in member of staff and audited (who took which copy).

A pupils export leaves out CP, CIN, CLA and the social worker for anyone who may not see
them, rather than refusing: office staff need class lists, and importing such a file back
leaves those columns as they are stored.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attendance_desk.commands.imports import KINDS
from attendance_desk.commands.options import iso_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def register(commands: Any) -> None:
    """Add `export` to the subcommands."""
    exp = commands.add_parser("export", help="export a CSV file in the import layout")
    exp.add_argument("kind", choices=[*KINDS, "changes", "ctf"])
    exp.add_argument("file", type=Path, nargs="?")
    exp.add_argument("--out", type=Path, help="the file to write (instead of FILE)")
    exp.add_argument("--since", help="changes: recorded or amended from (date or date-time)")
    exp.add_argument("--until", help="changes: up to, not including (default now)")
    exp.add_argument("--from", dest="start", type=iso_date, help="marks: first date")
    exp.add_argument("--to", dest="end", type=iso_date, help="marks: last date")
    exp.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk import interop
    from attendance_desk.access import audit
    from attendance_desk.commands.login import acting_user
    from attendance_desk.interop.errors import ExportError
    from attendance_desk.safeguarding.redaction import sees_safeguarding
    from attendance_desk.store.db import transaction

    if args.kind == "changes":
        from attendance_desk.commands.changes import export_changes_command

        return export_changes_command(
            factory, since=args.since, until=args.until, out=args.out, login=args.login
        )
    if args.kind == "ctf":
        return _export_ctf(args, factory)
    file = args.file or args.out
    if file is None:
        raise ExportError(f"export {args.kind} needs the FILE to write")
    if args.kind == "marks" and not (args.start and args.end):
        raise ExportError("export marks needs --from and --to dates")
    now = datetime.now()
    with transaction(factory) as session:
        user = acting_user(session, args.login)
        if args.kind == "marks":
            rows = interop.export_marks(session, file, start=args.start, end=args.end)
        elif args.kind == "pupils":
            rows = interop.export_pupils(session, file, viewer=user)
        elif args.kind == "contacts":
            rows = interop.export_contacts(session, file)
        else:
            rows = interop.export_calendar(session, file)
        audit.record(
            session, user=user, now=now, action="export", entity=args.kind, rows=rows, file=file
        )
    print(f"Wrote {rows} rows to {file}")
    if args.kind == "pupils" and not sees_safeguarding(user):
        print(
            "Left out the safeguarding flags and social worker: they are for the DSL, deputy "
            "DSL and head (importing this file back leaves them as they are)."
        )
    return 0


def _export_ctf(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    """`export ctf UPN --out FILE.xml`: one pupil's Common Transfer File, audited."""
    from attendance_desk.commands.login import acting_user
    from attendance_desk.interop.ctf_write import export_ctf
    from attendance_desk.interop.errors import ExportError
    from attendance_desk.store.db import transaction

    if args.file is None or args.out is None:
        raise ExportError("export ctf needs the pupil's UPN and --out FILE.xml")
    with transaction(factory) as session:
        done = export_ctf(
            session,
            str(args.file),
            args.out,
            user=acting_user(session, args.login),
            now=datetime.now(),
        )
    print(f"Wrote {args.out}: {done}")
    return 0
