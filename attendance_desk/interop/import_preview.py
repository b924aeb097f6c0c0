"""The import wizard's two steps without a screen: a dry run, then the import itself.

The dry run reads the file through the chosen column mapping and runs the importer's own
checks and plan (`plan_pupils`, `plan_contacts`, `plan_marks`), so it reports exactly what
the import would do, row by row, and writes nothing. The import then reads and checks the
file again in its own transaction (it may have changed meanwhile) and is all or nothing.
Marks always go through the pre-2024 code mapping, which the preview lists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from attendance_desk.catalogues.redaction import PUPIL_COLUMNS, sees_safeguarding
from attendance_desk.interop import column_mapping, csv_contacts, csv_marks, csv_pupils
from attendance_desk.interop.csv_io import Row, peek
from attendance_desk.interop.errors import Problems
from attendance_desk.interop.row_verdicts import ProgressCallback, RowVerdict, Status
from attendance_desk.models import User

Summary = csv_pupils.PupilsSummary | csv_contacts.ContactsSummary | csv_marks.MarksSummary
#: What each pre-2024 code meant, for the preview's "H → C (pre-2024 holiday)".
LEGACY_MEANINGS = {
    "H": "pre-2024 holiday",
    "F": "pre-2024 extended family holiday",
    "J": "pre-2024 interview",
    "Y": "pre-2024 exceptional circumstances",
}


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """A data row under our column names, and what importing it would do."""

    cells: Row
    verdict: RowVerdict

    @property
    def line(self) -> int:
        return self.cells.line


@dataclass(frozen=True, slots=True)
class LegacyCode:
    """A pre-2024 code found in a marks file and the code it is recorded as."""

    old: str
    new: str
    rows: int

    def __str__(self) -> str:
        meaning = LEGACY_MEANINGS.get(self.old, "pre-2024 code")
        return f"{self.old} → {self.new} ({meaning}), {self.rows} row{'s' * (self.rows != 1)}"


@dataclass(frozen=True, slots=True)
class Preview:
    """Everything the wizard shows before importing: rows, problems, codes and counts."""

    kind: str
    file: str
    columns: tuple[str, ...]
    rows: list[PreviewRow]
    problems: list[str]
    legacy: list[LegacyCode]
    counts: Mapping[Status, int]
    #: Rows that import but deserve a look (a year group that does not fit the age).
    warnings: list[str] = field(default_factory=list)
    #: Why rows are skipped and how many: "Enrolment Status 'Leaver'…" -> rows.
    skipped: Mapping[str, int] = field(default_factory=dict)
    #: How the file was read: "Windows-1252, semicolon-separated".
    read_as: str = ""

    @property
    def can_import(self) -> bool:
        """True when every row is right and there is at least one."""
        return not self.problems and bool(self.rows)

    def __str__(self) -> str:
        shown = [s for s in Status if s != Status.SKIPPED or self.counts.get(s)]
        return ", ".join(f"{self.counts.get(s, 0)} {s.value}" for s in shown)


def file_columns(path: Path, *, limit: int = 5) -> tuple[tuple[str, ...], list[Row]]:
    """The file's own headers and a few rows, to choose the mapping from (`ImportFailed`
    when the file cannot be read at all)."""
    return peek(path, limit=limit)


def preview_import(
    session: Session,
    kind: str,
    path: Path,
    *,
    mapping: Mapping[str, str],
    now: datetime,
    viewer: User | None = None,
) -> Preview:
    """What importing `path` as `kind` would do; writes nothing.

    The stored CP, CIN, CLA and social worker a row would change are shown only to a
    `viewer` who may see safeguarding detail (`catalogues.redaction`): for anyone else
    those columns are left out of the row's changes, so "was …" never shows them.

    Raises `ImportFailed` for a file that cannot be read or a mapping that leaves out a
    required column: problems with single rows are in the preview instead.
    """
    today = now.date()
    problems: Problems
    legacy: list[LegacyCode] = []
    if kind == "pupils":
        table = csv_pupils.read_file(path, mapping)
        pupils = csv_pupils.plan_pupils(session, table, today=today)
        problems, verdicts = pupils.problems, pupils.verdicts
    elif kind == "contacts":
        table = csv_contacts.read_file(path, mapping)
        contacts = csv_contacts.plan_contacts(session, table, today=today)
        problems, verdicts = contacts.problems, contacts.verdicts
    elif kind == "marks":
        table = csv_marks.read_file(path, mapping)
        marks = csv_marks.plan_marks(session, table, today=today, legacy=True)
        problems, verdicts = marks.problems, marks.verdicts
        legacy = [
            LegacyCode(old, new, marks.legacy_rows[old])
            for old, new in sorted(marks.legacy.items())
        ]
    else:
        raise ValueError(f"cannot import '{kind}'; choose one of {', '.join(column_mapping.KINDS)}")
    if not sees_safeguarding(viewer):
        verdicts = [_without_safeguarding(verdict) for verdict in verdicts]
    rows = [PreviewRow(row, verdict) for row, verdict in zip(table.rows, verdicts, strict=True)]
    counts = Counter(verdict.status for verdict in verdicts)
    warnings = [
        f"{table.file}:{v.line}: {column}: {text}" for v in verdicts for column, text in v.warnings
    ]
    skipped = Counter(v.reason for v in verdicts if v.status == Status.SKIPPED)
    return Preview(
        kind,
        path.name,
        table.columns,
        rows,
        problems.messages,
        legacy,
        counts,
        warnings,
        dict(skipped),
        table.read_as,
    )


def _without_safeguarding(verdict: RowVerdict) -> RowVerdict:
    """`verdict` with the stored safeguarding values it would change left out."""
    if not verdict.changes.keys() & set(PUPIL_COLUMNS):
        return verdict
    kept = {name: change for name, change in verdict.changes.items() if name not in PUPIL_COLUMNS}
    return replace(verdict, changes=kept)


def import_mapped(
    session: Session,
    kind: str,
    path: Path,
    *,
    mapping: Mapping[str, str],
    user: User,
    now: datetime,
    progress: ProgressCallback | None = None,
    legacy: bool = True,
) -> Summary:
    """Import `path` through `mapping`, all or nothing, and remember the mapping for the
    next file with the same headers. Returns the importer's summary.

    Args:
        legacy: marks: map pre-2024 codes (the wizard always does, and previews how).
    Raises `ImportFailed` (nothing written) when any row is wrong.
    """
    summary: Summary
    if kind == "pupils":
        summary = csv_pupils.import_pupils(
            session, path, user=user, now=now, mapping=mapping, progress=progress
        )
    elif kind == "contacts":
        summary = csv_contacts.import_contacts(
            session, path, user=user, now=now, mapping=mapping, progress=progress
        )
    elif kind == "marks":
        summary = csv_marks.import_marks(
            session, path, user=user, now=now, mapping=mapping, progress=progress, legacy=legacy
        )
    else:
        raise ValueError(f"cannot import '{kind}'; choose one of {', '.join(column_mapping.KINDS)}")
    headers, _ = peek(path, limit=0)
    column_mapping.remember_mapping(session, kind, headers, mapping, user=user, now=now)
    session.flush()
    return summary
