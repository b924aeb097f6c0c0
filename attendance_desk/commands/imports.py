"""`attendance-desk import KIND FILE`: a CSV (calendar, pupils, contacts, marks) or a CTF,
all or nothing, as the logged-in member of staff."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

#: The CSV layouts, the same for import and export.
KINDS = ["calendar", "pupils", "contacts", "marks"]


def register(commands: Any) -> None:
    """Add `import` to the subcommands."""
    imp = commands.add_parser("import", help="import a CSV or CTF file (all or nothing)")
    imp.add_argument("kind", choices=[*KINDS, "ctf"])
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--legacy", action="store_true", help="marks: map pre-2024 codes (H->C, J->J1, Y->Y7)"
    )
    imp.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from attendance_desk import interop
    from attendance_desk.commands.login import acting_user
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
