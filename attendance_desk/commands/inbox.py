"""`attendance-desk inbox fetch | read FILE | list [--json] [--all] | accept ID |
reject ID --why TEXT | match ID UPN | password`: the absence inbox from the command line.

`fetch` does what the window's background fetch does (the two never keep a message twice)
and exits 1 when a source could not be read, so a task scheduler shows the run as failed.
Every action runs as the logged-in member of staff: parents' words are for those who take
absence reports, the mailbox password for the administrator.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attendance_desk.access.permissions import Permission
from attendance_desk.commands.login import acting_user
from attendance_desk.uk_dates import day_text, moment_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from attendance_desk.inbox.listing import InboxEntry

READS = Permission.LOG_CALLS


def register(commands: Any) -> None:
    """Add `inbox` and its actions to the command line's subcommands."""
    inbox = commands.add_parser("inbox", help="parents' emails and text replies about absence")
    actions = inbox.add_subparsers(dest="inbox_action", metavar="ACTION", required=True)
    actions.add_parser("fetch", help="fetch new messages (exit 1 if a source failed)").set_defaults(
        handler=cmd_fetch
    )
    read = actions.add_parser("read", help="read a saved email (.eml) or a mailbox (mbox)")
    read.add_argument("file", type=Path)
    read.set_defaults(handler=cmd_read)
    listing = actions.add_parser("list", help="the proposals waiting for a decision")
    listing.add_argument("--json", action="store_true", help="print JSON (see README)")
    listing.add_argument("--all", action="store_true", help="include accepted and rejected ones")
    listing.set_defaults(handler=cmd_list)
    acc = actions.add_parser("accept", help="accept a proposal: the report codes the register")
    acc.add_argument("id", type=int)
    acc.add_argument("--code", help="the code instead of the one proposed")
    acc.add_argument("--from", dest="start", type=date.fromisoformat, help="first day")
    acc.add_argument("--to", dest="end", type=date.fromisoformat, help="last day")
    acc.set_defaults(handler=cmd_accept)
    rej = actions.add_parser("reject", help="set a proposal aside, saying why")
    rej.add_argument("id", type=int)
    rej.add_argument("--why", required=True)
    rej.set_defaults(handler=cmd_reject)
    match = actions.add_parser("match", help="say which pupil a message is about")
    match.add_argument("id", type=int)
    match.add_argument("upn")
    match.add_argument("--also", action="store_true", help="about this pupil as well")
    match.set_defaults(handler=cmd_match)
    password = actions.add_parser(
        "password", help="keep the mailbox password in this PC's password store (stdin)"
    )
    password.set_defaults(handler=cmd_password)


def cmd_fetch(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.inbox.fetching import fetch_all

    with factory() as session:
        acting_user(session, args.login, needs=READS)
    reports = fetch_all(factory, clock=datetime.now)
    for report in reports:
        print(report.describe())
    return 0 if all(r.ok for r in reports) else 1


def cmd_read(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.inbox.files import read_mail_file
    from attendance_desk.store.db import transaction

    with transaction(factory) as session:
        acting_user(session, args.login, needs=READS)
        report = read_mail_file(session, args.file, now=datetime.now())
    print(report.describe())
    return 0


def cmd_list(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.inbox.listing import inbox_entries

    with factory() as session:
        user = acting_user(session, args.login, needs=READS)
        entries = inbox_entries(session, user=user, everything=args.all)
    if args.json:
        print(json.dumps([e.as_json() for e in entries], indent=1, ensure_ascii=False))
        return 0
    if not entries:
        print("Nothing waits in the inbox.")
    for entry in entries:
        print(list_line(entry))
    return 0


def list_line(entry: InboxEntry) -> str:
    """`#12  Mon 08 Sep 08:10  email from …  → Amy Smith (3A)  I  …  To check`, then the text."""
    from attendance_desk.inbox.listing import KIND_LABELS, STATUS_LABELS

    pupil = f"{entry.name} ({entry.group})" if entry.name else "(not matched)"
    what = entry.code or ("leave" if entry.kind == "leave" else "no code")
    first, last = day_text(entry.start, year=False), day_text(entry.end, year=False)
    span = f"{first} {entry.start_session}–{last} {entry.end_session}"
    head = (
        f"#{entry.id:<5} {moment_text(entry.received, year=False)}  {entry.channel} from "
        f"{entry.sender_label}  → {pupil}  {what}  {span}  {STATUS_LABELS[entry.status]}"
    )
    if entry.kind == "leave":
        head += f" ({KIND_LABELS['leave']})"
    text = " ".join(entry.text.split())
    return f'{head}\n       "{text[:150]}"\n       {entry.note}'


def cmd_accept(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.inbox.review import Edits, accept
    from attendance_desk.store.db import transaction

    with transaction(factory) as session:
        done = accept(
            session,
            proposal_id=args.id,
            user=acting_user(session, args.login, needs=READS),
            now=datetime.now(),
            edits=Edits(code=args.code, start=args.start, end=args.end),
        )
    print(done.describe())
    return 0


def cmd_reject(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.inbox.review import reject
    from attendance_desk.store.db import transaction

    with transaction(factory) as session:
        reject(
            session,
            proposal_id=args.id,
            why=args.why,
            user=acting_user(session, args.login, needs=READS),
            now=datetime.now(),
        )
    print(f"Entry {args.id} rejected.")
    return 0


def cmd_match(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from sqlalchemy import select

    from attendance_desk.inbox.review import InboxError, match_to
    from attendance_desk.models import Pupil
    from attendance_desk.store.db import transaction

    with transaction(factory) as session:
        pupil_id = session.scalar(select(Pupil.id).where(Pupil.upn == args.upn.strip().upper()))
        if pupil_id is None:
            raise InboxError(f"no pupil has the UPN {args.upn}")
        entry = match_to(
            session,
            proposal_id=args.id,
            pupil_id=pupil_id,
            user=acting_user(session, args.login, needs=READS),
            now=datetime.now(),
            also=args.also,
        )
        print(f"Entry {entry.id}: {entry.note}.")
    return 0


def cmd_password(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk.inbox.credentials import CredentialsError, save_mailbox_password
    from attendance_desk.inbox.fetching import mailbox_setup
    from attendance_desk.inbox.review import InboxError

    with factory() as session:
        acting_user(session, args.login, needs=Permission.CHANGE_SETTINGS)
        setup = mailbox_setup(session)
    if setup is None:
        raise InboxError("set inbox.imap_host and inbox.imap_user first (settings set …)")
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {setup.user} on {setup.host}: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        save_mailbox_password(setup.user, setup.host, password)
    except CredentialsError as exc:
        raise InboxError(str(exc)) from exc
    print(f"The password for {setup.user} on {setup.host} is kept in this PC's password store.")
    return 0
