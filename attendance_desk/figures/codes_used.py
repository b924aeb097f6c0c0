"""How often each attendance code was used in a range, in the code table's order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.figures.tally import RangeTally, range_tally


@dataclass(frozen=True, slots=True)
class CodeUse:
    """One code: how many sessions it was recorded for, and for how many pupils.

    `share_pct` is its share of all possible sessions; None for codes that are not possible
    sessions (`D`, `X`, `Y1`…, `Z`, `#`), which count in no percentage.
    """

    code: str
    meaning: str
    category: codes.Category
    sessions: int
    pupils: int
    share_pct: float | None

    @property
    def category_label(self) -> str:
        return codes.CATEGORY_LABELS[self.category]


def codes_used_from(tally: RangeTally) -> list[CodeUse]:
    """The codes that were used at least once, in the order of the national code table."""
    possible = tally.school.figures.possible
    out = []
    for entry in codes.CODES:
        summary = tally.codes.get(entry.code)
        if summary is None or not summary.marks:
            continue
        share = 100.0 * summary.marks / possible if entry.possible and possible else None
        out.append(
            CodeUse(entry.code, entry.meaning, entry.category, summary.marks, summary.pupils, share)
        )
    return out


def codes_used(session: Session, start: date, end: date) -> list[CodeUse]:
    """How many sessions each code was used for between two dates (one aggregate query)."""
    return codes_used_from(range_tally(session, start, end, groupings=()))
