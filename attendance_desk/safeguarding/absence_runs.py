"""Absences as the DSL reads them: runs of missed sessions, not a list of single sessions.

"Wed 25 Nov – Fri 4 Dec, 16 sessions, O then N" says in one line what twenty lines of
"Wed 25 Nov AM: O" left the reader to add up. A run is the absence sessions in a row with no
attended session between them (a weekend or holiday does not break it: nothing was
missed or attended then).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from attendance_desk.catalogues import codes
from attendance_desk.uk_dates import span_text
from attendance_desk.wording import plural

ABSENCE_CODES = frozenset(codes.AUTHORISED_CODES + codes.UNAUTHORISED_CODES)


@dataclass(frozen=True, slots=True)
class AbsenceRun:
    """Absence sessions in a row: from `first` to `last`, each code once, in the order the
    codes first came."""

    first: date
    last: date
    sessions: int
    codes: tuple[str, ...]

    def describe(self) -> str:
        """`Wed 25 Nov – Fri 4 Dec, 16 sessions, O then N`."""
        span = span_text(self.first, self.last, year=False)
        return f"{span}, {plural(self.sessions, 'session')}, {' then '.join(self.codes)}"


def absence_runs(marks: Iterable[tuple[date, str, str]]) -> list[AbsenceRun]:
    """The runs in `marks` ((day, session, code), oldest first), newest run first."""
    runs: list[AbsenceRun] = []
    current: AbsenceRun | None = None
    for day, _session, code in marks:
        if code not in ABSENCE_CODES:
            current = None
            continue
        if current is None:
            current = AbsenceRun(day, day, 1, (code,))
            runs.append(current)
            continue
        seen = current.codes if code in current.codes else (*current.codes, code)
        current = AbsenceRun(current.first, day, current.sessions + 1, seen)
        runs[-1] = current
    return runs[::-1]
