"""Run by the kill -9 runs in a process of its own: open (and so upgrade) one database.

Prints `ready` just before the upgrade starts and `done` once the database is open.
"""

from __future__ import annotations

import sys
from pathlib import Path

from attendance_desk.store.db import open_database


def main(db_path: str) -> None:
    print("ready", flush=True)
    factory = open_database(Path(db_path))
    factory.kw["bind"].dispose()
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
