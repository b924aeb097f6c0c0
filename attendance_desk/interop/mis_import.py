"""`attendance-desk import pupils|contacts|marks FILE`: an MIS export, matched as the wizard
matches it, so a scheduled task can take the MIS's nightly export unattended.

The columns are matched exactly as the import wizard matches them (the mapping the office
last chose for a file with these headers, else a guess from the names) and the report says
which column of the file was used for what, and which were left out. A required column
that cannot be matched is named, with the file's own columns, and nothing is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from attendance_desk.interop import column_mapping
from attendance_desk.interop.csv_io import peek
from attendance_desk.interop.errors import ImportFailed
from attendance_desk.interop.import_preview import Summary, import_mapped
from attendance_desk.models import User


@dataclass(frozen=True, slots=True)
class MisImport:
    """What an MIS file import did and how its columns were read."""

    summary: Summary
    #: (our column's label, the file's header) for each column used.
    used: tuple[tuple[str, str], ...]
    unused: tuple[str, ...]
    remembered: bool

    def __str__(self) -> str:
        how = "as matched last time" if self.remembered else "matched by name"
        lines = [str(self.summary), f"columns ({how}):"]
        lines += [f"  {label} <- '{header}'" for label, header in self.used]
        if self.unused:
            lines.append("  not used: " + ", ".join(f"'{h}'" for h in self.unused))
        return "\n  ".join(lines)


def import_mis_file(
    session: Session, path: Path, *, kind: str, user: User, now: datetime, legacy: bool = False
) -> MisImport:
    """Import `path` as `kind` through the wizard's column matching, all or nothing.

    Args:
        legacy: marks only: map pre-2024 codes (H, F, J, Y) instead of refusing them.
    Raises `ImportFailed` naming a required column that cannot be matched, or every bad row.
    """
    headers, _ = peek(path, limit=0)
    mapping, remembered = column_mapping.suggest_mapping(session, kind, headers)
    missing = column_mapping.missing_required(kind, mapping)
    if missing:
        raise ImportFailed([_missing_message(path, headers, missing)])
    summary = import_mapped(session, kind, path, mapping=mapping, user=user, now=now, legacy=legacy)
    labels = {c.name: c.label for c in column_mapping.EXPECTED[kind]}
    used = tuple((labels[name], header) for name, header in mapping.items() if header)
    chosen = {header for header in mapping.values() if header}
    unused = tuple(h for h in headers if h and h not in chosen)
    return MisImport(summary, used, unused, remembered)


def _missing_message(
    path: Path, headers: tuple[str, ...], missing: list[column_mapping.Expected]
) -> str:
    wanted = "; ".join(
        f"{c.label} (a column called {', '.join(repr(n) for n in (c.name, *c.synonyms))})"
        for c in missing
    )
    found = ", ".join(f"'{h}'" for h in headers if h) or "none"
    return (
        f"{path}:1: header: no column holds {wanted}; the file's columns are {found}. Rename "
        "the column in the file, or match it once in File → Import from your MIS (the "
        "match is remembered)"
    )
