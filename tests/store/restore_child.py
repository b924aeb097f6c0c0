"""Run by the restore tests in a process of its own: one restore, optionally dying mid-way.

`python -m tests.store.restore_child DB BACKUP [STEP]` prints `ready`, restores, prints
`done`. With STEP the process ends itself at that point exactly as `kill -9` would
(`os._exit`, no clean-up): `prepared` (the checked copy is beside the database), `aside`
(the current database has its second name) or `renamed` (the backup is in place, nothing
tidied). The kill -9 benchmark runs it without STEP and kills it at random moments.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from attendance_desk.store import restore_journal, restoring


def _die(*_args: Any, **_kwargs: Any) -> None:
    os._exit(9)


def main(db_path: str, backup_file: str, step: str = "") -> None:
    if step == "prepared":
        restoring._keep_aside = _die  # type: ignore[assignment]
    elif step == "aside":
        restore_journal.advance = _die  # type: ignore[assignment]
    elif step == "renamed":
        real_replace = os.replace

        def replace_then_die(source: Any, target: Any) -> None:
            real_replace(source, target)
            if str(target) == db_path:
                os._exit(9)

        restoring.os.replace = replace_then_die  # type: ignore[attr-defined]
    print("ready", flush=True)
    restoring.restore(Path(backup_file), Path(db_path), datetime(2026, 1, 10, 12, 0))
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
