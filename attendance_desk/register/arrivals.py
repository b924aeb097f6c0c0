"""What an arrival time means: after the session starts it is late (`L`), after the
register closes it is `U`; minutes late count from the start (docs/rules.md#register-sessions).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from attendance_desk.catalogues import codes
from attendance_desk.models import YearGroup
from attendance_desk.register.errors import RegisterError
from attendance_desk.school.register_times import session_at, windows_for


@dataclass(frozen=True, slots=True)
class Arrival:
    """What a late arrival is recorded as."""

    session: str
    code: str
    minutes_late: int


class NotLate(RegisterError):
    """An arrival before the register opened is simply present, not late."""


def arrival_mark(year: YearGroup, now: datetime) -> Arrival:
    """`L` with minutes if the register is still open, `U` after it closed."""
    window = windows_for(year)[session_at(year, now.time())]
    start = datetime.combine(now.date(), window.opens)
    if now <= start:
        raise NotLate(f"the {window.session} register opens at {window.opens:%H:%M}: not late yet")
    minutes = math.ceil((now - start).total_seconds() / 60)
    closed = now.time() > window.closes
    code = codes.LATE_AFTER_CLOSE if closed else codes.LATE
    return Arrival(window.session, code, minutes)
