"""The MIS's own marks, read from its marks export for comparing, never for importing.

The same export `import marks` reads (columns matched as the wizard matches them, UK or
ISO dates, pre-2024 codes mapped), but nothing is checked against this school's calendar
or roll: the point is to see where the MIS and this register differ.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.interop import column_mapping, fields, mis_values
from attendance_desk.interop.csv_io import peek, read_table
from attendance_desk.interop.csv_marks import OPTIONAL, REQUIRED
from attendance_desk.interop.errors import ImportFailed
from attendance_desk.interop.mis_summary import SummaryRefused

#: (UPN, day, session) -> the MIS's code in today's set.
MisMarks = dict[tuple[str, date, str], str]


def read_mis_marks(session: Session, path: Path, *, start: date, end: date) -> MisMarks:
    """The file's marks from `start` to `end`, or `SummaryRefused` naming each bad line."""
    try:
        headers, _ = peek(path, limit=0)
        mapping, _ = column_mapping.suggest_mapping(session, "marks", headers)
        if missing := column_mapping.missing_required("marks", mapping):
            names = ", ".join(c.label for c in missing)
            raise SummaryRefused([f"{path}:1: header: no column holds {names}"])
        table = read_table(path, required=REQUIRED, optional=OPTIONAL, mapping=mapping)
    except ImportFailed as exc:
        raise SummaryRefused(exc.errors) from None
    problems = table.problems()
    read_date = fields.cached(fields.mis_date)
    read_code = fields.cached(_code)
    found: MisMarks = {}
    for row in table.rows:
        check = fields.RowCheck(problems, row)
        upn = row["upn"].upper().replace(" ", "")
        day = check.value("date", read_date, required=True)
        sess = check.value("session", mis_values.session, required=True)
        code = check.value("code", read_code, required=True)
        if upn and day and sess and code and start <= day <= end:
            found[(upn, day, sess)] = code
    if problems:
        raise SummaryRefused(problems.messages)
    return found


def _code(text: str) -> str:
    try:
        return codes.lookup(codes.map_legacy(text)).code
    except codes.UnknownCode as exc:
        raise fields.FieldError(str(exc)) from None
