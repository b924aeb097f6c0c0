"""The colours of every chart, on screen and on paper, as hex strings (no Qt, no ReportLab).

From the Okabe-Ito palette, which stays distinguishable with the common forms of colour
blindness; the target is a dashed dark grey line, so it never relies on hue at all, and
every bar carries its value as text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: Attendance: the Okabe-Ito blue.
ATTENDANCE = "#0072B2"
#: A second attendance series beside the first (this week against the year): sky blue.
ATTENDANCE_LIGHT = "#56B4E9"
#: Persistent absence: the Okabe-Ito orange.
PERSISTENT = "#E69F00"
#: Severe absence: vermilion.
SEVERE = "#D55E00"
#: The target line: dark slate, drawn dashed.
TARGET = "#3e4c59"
#: Gridlines and axes.
GRID = "#d9e2ec"
AXIS = "#7b8794"
TEXT = "#1f2933"


def percent_floor(values: Sequence[float]) -> float:
    """Where a percentage axis starts: 5-point steps below the lowest value, never below 0.

    Attendance lives between 85 % and 100 %; an axis from 0 would flatten every difference
    a head needs to see, so charts start just below the data and label the axis plainly.
    """
    lowest = min(values, default=90.0)
    return max(0.0, 5.0 * math.floor((lowest - 1.0) / 5.0))


def nice_step(span: float, most: int = 5) -> float:
    """The smallest of 1, 2, 2.5, 5, 10, 20, 25, 50 that cuts `span` into at most `most`
    steps, so an axis never has more labels than a small chart can show."""
    for step in (1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0):
        if span / step <= most:
            return step
    return 100.0


def percent_scale(values: Sequence[float]) -> tuple[float, float]:
    """(start, step) for a percentage axis that ends at 100: the start is a whole number of
    steps, just below the lowest value."""
    low = percent_floor(values)
    step = nice_step(100.0 - low)
    return step * math.floor(low / step), step
