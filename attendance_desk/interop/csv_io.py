"""Reading the CSV files every import shares (writing them: `csv_files`).

A file has a header row; its encoding and separator are recognised (`text_files`). Column
names are matched without regard to case or surrounding spaces; cells are trimmed. Line
numbers are those a text editor or spreadsheet shows, with the header on line 1, so a
problem can be found in the file by its number even when a quoted cell spans several lines.
A row with fewer cells than the columns read is refused: read as blanks, its missing cells
would clear what is stored.

Every export writes text that a spreadsheet would run as a formula (starting `=`, `+`, `-`,
`@`, a tab or a return) with a leading apostrophe, the spreadsheet's own mark for "this is
text" (`spreadsheet_safe`); reading takes that apostrophe off again (`as_written`), so an
exported file still imports back unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_desk.csv_files import as_written
from attendance_desk.interop.errors import Problems
from attendance_desk.interop.text_files import TextFile, read_text

if TYPE_CHECKING:
    from _csv import Reader


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: the line it starts on and its trimmed cells by column name."""

    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True, slots=True)
class Table:
    """A checked CSV file: which columns it has and its non-blank rows."""

    file: str
    columns: tuple[str, ...]
    rows: list[Row]
    #: How the file was read: "UTF-8, comma-separated".
    read_as: str = "UTF-8, comma-separated"
    #: The file's own header for each of our columns, when read through a mapping.
    headers: Mapping[str, str] = field(default_factory=dict)

    def has(self, column: str) -> bool:
        return column in self.columns

    def problems(self) -> Problems:
        """A collector for this file's row problems, ordered by line and column."""
        return Problems(self.file, self.columns)


def read_table(
    path: Path,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    mapping: Mapping[str, str] | None = None,
) -> Table:
    """Read a CSV file with the given columns, or raise `ImportFailed` saying what is wrong.

    Problems with the file as a whole (not UTF-8, not CSV, no header, missing or unknown
    columns) are reported at once, because nothing else in the file can be trusted then.
    Blank lines, and lines whose cells are all empty, are skipped; so are columns with no
    name in the header, as long as their cells are empty too.

    Args:
        mapping: the file's own header for each of our columns (an MIS export's names);
            columns it does not name are ignored. Without it the header must use our names.
    """
    file = str(path)
    problems = Problems(file)
    source, reader, header, header_line = _open(path, problems, required)
    if mapping is None:
        columns = tuple(name.strip().lower() for name in header)
        _check_columns(columns, required, optional, header_line, problems)
        used = [i for i, name in enumerate(columns) if name]
    else:
        columns = _mapped_columns(header, mapping, required, optional, header_line, problems)
        wanted = {_key(h) for h in mapping.values() if h}
        used = [i for i, name in enumerate(columns) if name in wanted]
    problems.raise_if_any()

    # spreadsheets often save a few empty columns after the last one in use
    blank = [i for i, name in enumerate(columns) if not name]
    width = max(used, default=-1) + 1
    rows: list[Row] = []
    line = header_line
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.add(start, "file", f"not a readable CSV line ({exc})")
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            problems.add(
                start,
                "row",
                f"{len(cells)} cells but the header names {len(columns)} columns",
            )
            continue
        if len(cells) < width:
            short = [header[i].strip() for i in used if i >= len(cells)]
            problems.add(
                start,
                "row",
                f"{len(cells)} cells but the header names {len(columns)} columns; the missing "
                f"{', '.join(short)} would be read as blank",
            )
            continue
        unnamed = [i + 1 for i in blank if i < len(cells) and cells[i].strip()]
        if unnamed:
            where = ", ".join(map(str, unnamed))
            problems.add(start, "row", f"a value in column {where}, which has no header")
            continue
        values = {
            name: as_written(cell.strip())
            for name, cell in zip(columns, cells, strict=False)
            if name
        }
        rows.append(Row(start, values))
    problems.raise_if_any()
    if mapping is not None:
        names = tuple(name for name, header in mapping.items() if header)
        keys = {name: _key(header) for name, header in mapping.items()}
        headers = {name: header for name, header in mapping.items() if header}
        return Table(file, names, [remap(row, keys) for row in rows], source.describe(), headers)
    return Table(file, columns, rows, source.describe())


def remap(row: Row, mapping: Mapping[str, str]) -> Row:
    """`row` keyed by our column names; `mapping` gives the key each had ("" for none)."""
    return Row(row.line, {name: row[old] for name, old in mapping.items() if old})


def peek(path: Path, *, limit: int = 50) -> tuple[tuple[str, ...], list[Row]]:
    """The header as written (trimmed) and the first `limit` non-blank rows, keyed by it.

    For choosing a column mapping before the file is read for real; a file that cannot be
    read at all raises `ImportFailed` as `read_table` would.
    """
    problems = Problems(str(path))
    _, reader, header, line = _open(path, problems, ())
    names = tuple(name.strip() for name in header)
    rows: list[Row] = []
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                cells_by_name = zip(names, cells, strict=False)
                rows.append(Row(start, {n: as_written(c.strip()) for n, c in cells_by_name}))
            if len(rows) >= limit:
                break
    except csv.Error as exc:
        problems.fail(line + 1, "file", f"not a readable CSV line ({exc})")
    return names, rows


def _open(
    path: Path, problems: Problems, required: Sequence[str]
) -> tuple[TextFile, Reader, list[str], int]:
    """The file's text, a reader positioned after the header, the header's cells and its
    line number."""
    source = read_text(path, problems)
    reader = csv.reader(io.StringIO(source.text, newline=""), delimiter=source.separator)
    try:
        header = _read_header(reader)
    except csv.Error as exc:
        problems.fail(reader.line_num or 1, "file", f"not a readable CSV file ({exc})")
    if header is None:
        wanted = f" {','.join(required)}" if required else ""
        problems.fail(1, "header", f"the file is empty; the first line must be the header{wanted}")
    return source, reader, header, reader.line_num


def _key(header: str) -> str:
    """A header as the rows key it: trimmed and lower-case, as `_check_columns` compares."""
    return header.strip().lower()


def _mapped_columns(
    header: list[str],
    mapping: Mapping[str, str],
    required: Sequence[str],
    optional: Sequence[str],
    line: int,
    problems: Problems,
) -> tuple[str, ...]:
    """Check a mapping against the file; the rows are then keyed by the file's headers."""
    in_file = [_key(name) for name in header]
    known = set(required) | set(optional)
    strange = [name for name in mapping if name not in known]
    if strange:
        problems.add(line, "header", f"no such column to fill: {', '.join(strange)}")
    missing = [name for name in required if not mapping.get(name)]
    if missing:
        problems.add(line, "header", f"no column chosen for: {', '.join(missing)}")
    absent = sorted({v for v in mapping.values() if v and _key(v) not in in_file})
    if absent:
        problems.add(line, "header", f"the file has no column called {', '.join(absent)}")
    repeated = sorted({n for n in in_file if n and in_file.count(n) > 1})
    if repeated:
        problems.add(line, "header", f"column(s) given twice: {', '.join(repeated)}")
    return tuple(in_file)


def _read_header(reader: Iterable[list[str]]) -> list[str] | None:
    for cells in reader:
        if any(cell.strip() for cell in cells):
            return cells
    return None


def _check_columns(
    columns: tuple[str, ...],
    required: Sequence[str],
    optional: Sequence[str],
    line: int,
    problems: Problems,
) -> None:
    missing = [name for name in required if name not in columns]
    if missing:
        problems.add(line, "header", f"missing required column(s): {', '.join(missing)}")
    known = set(required) | set(optional)
    unknown = [name for name in columns if name and name not in known]
    if unknown:
        allowed = ", ".join([*required, *optional])
        problems.add(
            line, "header", f"unknown column(s): {', '.join(unknown)}; the columns are {allowed}"
        )
    repeated = sorted({name for name in columns if name and columns.count(name) > 1})
    if repeated:
        problems.add(line, "header", f"column(s) given twice: {', '.join(repeated)}")
