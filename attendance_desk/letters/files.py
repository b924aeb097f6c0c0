"""Writing a batch of sent letters to a folder: one PDF per letter and one to print them all.

The per-letter files are what goes in each pupil's file or an email; the single file is what
the office prints in one go. The Letters tab and `attendance-desk letters` both write this.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from attendance_desk.letters.sending import SentLetter, batch_pdf
from attendance_desk.store.private_files import private_folder, write_private


def unique_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name (2).pdf`… when that file already exists."""
    path = folder / name
    number = 2
    while path.exists():
        path = folder / f"{Path(name).stem} ({number}){Path(name).suffix}"
        number += 1
    return path


def _write_letter(folder: Path, letter: SentLetter) -> Path:
    """Write one letter under its name, or under its short name when the folder's file
    system refuses the name as too long: a name never stops the batch."""
    try:
        return write_private(unique_path(folder, letter.file_name), letter.pdf)
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            raise
        return write_private(unique_path(folder, letter.short_name), letter.pdf)


def print_all_name(printed_at: datetime) -> str:
    return f"Letters {printed_at.date().isoformat()} - print all.pdf"


def write_batch(folder: Path, sent: Sequence[SentLetter], *, printed_at: datetime) -> list[Path]:
    """Write every letter and the print-all file; the print-all file is last in the list.

    On an error the files written so far are removed, so that a folder never suggests
    letters went out when the caller rolls the sending back.
    """
    private_folder(folder)
    written: list[Path] = []
    try:
        for letter in sent:
            written.append(_write_letter(folder, letter))
        if any(not letter.held for letter in sent):
            path = unique_path(folder, print_all_name(printed_at))
            write_private(path, batch_pdf(sent, printed_at=printed_at))
            written.append(path)
    except OSError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written
