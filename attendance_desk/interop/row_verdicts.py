"""What an import would do with each row of a file, decided once for the dry run and the import.

Each importer checks its rows and plans its writes into `RowVerdict`s; the preview shows
them, and the import carries out the same plan, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: Called as an import writes: (rows done, rows in all).
ProgressCallback = Callable[[int, int], None]
#: How many times at most a long import reports its progress.
_REPORTS = 100


class Status(StrEnum):
    """What importing a row does."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    #: Left out on purpose, such as a pupil the MIS lists as a leaver.
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class RowVerdict:
    """One data row's fate: its status, each field that would change (old, new), or its
    problems; warnings (column, text) do not stop the import; `reason` says why a row is
    skipped."""

    line: int
    status: Status
    changes: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    problems: tuple[tuple[str, str], ...] = ()
    warnings: tuple[tuple[str, str], ...] = ()
    reason: str = ""


def error(line: int, found: list[tuple[str, str]]) -> RowVerdict:
    """The verdict for a row that failed its checks."""
    return RowVerdict(line, Status.ERROR, problems=tuple(found))


class Progress:
    """Reports (done, total) to an optional callback, at most about a hundred times."""

    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        self._callback = callback
        self.total = total
        self.done = 0
        self._step = max(1, total // _REPORTS)

    def advance(self, count: int = 1) -> None:
        before, self.done = self.done, self.done + count
        if self._callback is not None and (
            self.done // self._step != before // self._step or self.done >= self.total
        ):
            self._callback(min(self.done, self.total), self.total)

    def start(self) -> None:
        """Say 0 of total, so a progress bar knows its length before the first row."""
        if self._callback is not None:
            self._callback(0, self.total)
