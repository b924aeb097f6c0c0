"""`attendance-desk letters --date D --out DIR`: every letter due that day, one PDF each.

The letters are logged and the pupils' cases moved on exactly as when the Letters tab sends
them, in one transaction: if a file cannot be written nothing is recorded as sent.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.auth import office_user
from attendance_desk.db import transaction
from attendance_desk.letters.due import letters_due
from attendance_desk.letters.sending import LetterError, send_letters
from attendance_desk.wording import plural


def unique_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name (2).pdf`… when that file already exists."""
    path = folder / name
    number = 2
    while path.exists():
        path = folder / f"{Path(name).stem} ({number}){Path(name).suffix}"
        number += 1
    return path


def letters_command(session_factory: sessionmaker[Session], day: date, out: Path) -> int:
    """Render and log every letter due on `day` into `out`; 0 on success, 1 on failure."""
    out.mkdir(parents=True, exist_ok=True)
    now = datetime.combine(day, datetime.now().time())
    written: list[Path] = []
    try:
        with transaction(session_factory) as session:
            due = letters_due(session, day)
            if not due:
                print(f"No letters due on {day.isoformat()}.")
                return 0
            sent = send_letters(session, due, day=day, user=office_user(session), now=now)
            for letter in sent:
                path = unique_path(out, letter.file_name)
                path.write_bytes(letter.pdf)
                written.append(path)
    except (LetterError, OSError) as exc:
        for path in written:  # nothing was logged, so no file should suggest otherwise
            path.unlink(missing_ok=True)
        print(f"attendance-desk letters: {exc}", file=sys.stderr)
        return 1
    pupils = len({letter.pupil_name for letter in sent})
    print(f"{plural(len(sent), 'letter')} for {plural(pupils, 'pupil')} written to {out}:")
    for path in written:
        print(f"  {path.name}")
    return 0
