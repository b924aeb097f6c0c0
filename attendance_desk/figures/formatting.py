"""How figures are written on screen and on paper, so the tab and the pack always agree."""

from __future__ import annotations

from datetime import date

from attendance_desk.register.stats import percent_text, rounded
from attendance_desk.uk_dates import day_text

DASH = "—"


def pct(value: float | None) -> str:
    """`94.8%` (one decimal place, half up like `stats --json`), or a dash for none."""
    return percent_text(value, missing=DASH)


def count_and_share(count: int, share: float | None) -> str:
    """`366 (18.4%)`."""
    return f"{count:,}" if share is None else f"{count:,} ({pct(share)})"


def against_target(gap: float | None) -> str:
    """`0.4 points above target`, `1.2 points below target`, `on target`."""
    shown = rounded(gap)
    if shown is None:
        return "no sessions yet"
    if shown == 0:
        return "on target"
    word = "above" if shown > 0 else "below"
    points = abs(shown)
    return f"{points:.1f} point{'s' * (points != 1)} {word} target"


def short_date(day: date) -> str:
    """`Mon 3 Nov`."""
    return day_text(day, year=False)


#: Year group names short enough for a chart's axis, however many groups it shows.
_SHORT_YEARS = {"Reception": "Rec", "Nursery 1": "N1", "Nursery 2": "N2"}


def short_year(label: str) -> str:
    """`Y3` for "Year 3", `Rec` for "Reception", `N1` for "Nursery 1"; others unchanged."""
    return _SHORT_YEARS.get(label, label.replace("Year ", "Y"))
