"""Writing CSV files the way every export does, and reading a cell back as it was stored.

Text that a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, a tab or a
return) is written with a leading apostrophe, the spreadsheet's own mark for "this is
text" (`spreadsheet_safe`); reading takes that apostrophe off again (`as_written`), so an
exported file still imports back unchanged. A file is replaced only once it is complete.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

#: Spreadsheets run a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """`value` as an export writes it: text a spreadsheet would run as a formula gets a
    leading apostrophe, and so does text already starting with apostrophes before such a
    character (so that `as_written` gives back exactly what was stored)."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_START):
        return "'" + value
    return value


def as_written(cell: str) -> str:
    """A cell as it was before `spreadsheet_safe` (the reverse of it for every text)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START):
        return cell[1:]
    return cell


def write_table(path: Path, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a header and rows as UTF-8 CSV, replacing `path` only once all is written.

    `None` is written as an empty cell and text is made `spreadsheet_safe`. Returns the
    number of data rows written.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(["" if value is None else spreadsheet_safe(value) for value in row])
                count += 1
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
