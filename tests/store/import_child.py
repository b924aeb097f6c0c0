"""Run by the crash test in its own process: one marks import in one transaction.

Prints `ready` once the database is open (so the test knows the import is about to
start), `writing` when the first row is sent to SQLite (so the test can aim kills at the
writes and the commit) and `done` after the commit, unless it is killed first.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from attendance_desk import interop
from attendance_desk.access.auth import office_user
from attendance_desk.store.db import open_database, transaction

#: The import's clock, fixed so that every complete import writes exactly the same rows.
NOW = datetime(2026, 1, 10, 12, 0)


def main(db_path: str, csv_path: str) -> None:
    factory = open_database(Path(db_path))
    writing = []

    def first_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not writing and statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
            writing.append(True)
            print("writing", flush=True)

    event.listen(factory.kw["bind"], "before_cursor_execute", first_write)
    print("ready", flush=True)
    with transaction(factory) as session:
        interop.import_marks(session, Path(csv_path), user=office_user(session), now=NOW)
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
