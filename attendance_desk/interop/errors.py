"""What a failed import reports: every problem, each as `file:line: field: problem`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NoReturn

#: How many problems the exception's own message lists; `errors` always holds all of them.
SHOWN_IN_MESSAGE = 20
#: A quoted cell longer than this is shortened in a message, and a message longer than
#: `LONGEST_PROBLEM` is cut: a 100,000-character cell must not flood the screen.
LONGEST_QUOTE = 60
LONGEST_PROBLEM = 400
_QUOTED = re.compile("'([^']{" + str(LONGEST_QUOTE + 1) + ",})'")


def shorten(problem: str) -> str:
    """`problem` with each long quoted value cut to its start and its length."""

    def cut(match: re.Match[str]) -> str:
        value = match.group(1)
        return f"'{value[:40]}…' ({len(value):,} characters)"

    problem = _QUOTED.sub(cut, problem)
    if len(problem) > LONGEST_PROBLEM:
        problem = f"{problem[: LONGEST_PROBLEM - 40]}… ({len(problem):,} characters in all)"
    return problem


class InteropError(ValueError):
    """A file that cannot be imported or exported as asked."""


class ExportError(InteropError):
    """An export asked for without what it needs (a file, dates)."""


class ImportFailed(InteropError):
    """An import that changed nothing, with every problem found in the file.

    `errors` lists each problem as `file:line: field: problem`, in file order, with the
    header on line 1 as a spreadsheet or text editor numbers it.
    """

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = list(errors)
        shown = self.errors[:SHOWN_IN_MESSAGE]
        more = len(self.errors) - len(shown)
        lines = [f"nothing was imported; {len(self.errors)} problem(s):", *shown]
        if more:
            lines.append(f"... and {more} more")
        super().__init__("\n".join(lines))


class Problems:
    """Collects problems while a file is checked, so the user sees them all at once."""

    def __init__(self, file: str, columns: Sequence[str] = ()) -> None:
        self.file = file
        self._order = {name: i for i, name in reversed(list(enumerate(columns)))}
        self._errors: list[tuple[int, int, int, str]] = []

    def add(self, line: int, field: str, problem: str) -> None:
        column = self._order.get(field, len(self._order))
        text = f"{self.file}:{line}: {field}: {shorten(problem)}"
        self._errors.append((line, column, len(self._errors), text))

    def __bool__(self) -> bool:
        return bool(self._errors)

    def __len__(self) -> int:
        return len(self._errors)

    @property
    def messages(self) -> list[str]:
        """The problems by line, then by column as the file has them left to right."""
        return [text for *_, text in sorted(self._errors)]

    def fail(self, line: int, field: str, problem: str) -> NoReturn:
        """Add a problem that stops the check here, and raise with everything so far."""
        self.add(line, field, problem)
        raise ImportFailed(self.messages)

    def raise_if_any(self) -> None:
        """Raise `ImportFailed` with everything collected so far, if anything was."""
        if self._errors:
            raise ImportFailed(self.messages)
