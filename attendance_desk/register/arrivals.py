"""When each session's register is open, and what an arrival time means.

Before a register closes the teacher's marks are simple entries; after it closes (and for
any earlier day) a change is an amendment with a reason. An arrival after the session starts
is late (`L`), after the register closes it is `U`; minutes late count from the start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time

from attendance_desk.models import YearGroup
from attendance_desk.register import codes
from attendance_desk.register.errors import RegisterError


@dataclass(frozen=True, slots=True)
class Window:
    """A session's register: opens at `opens` (the session start), closes at `closes`."""

    session: str
    opens: time
    closes: time

    def is_closed(self, day: date, now: datetime) -> bool:
        """Closed for any past day, and today once the clock passes the closing time."""
        return day < now.date() or (day == now.date() and now.time() > self.closes)

    def minutes_open(self) -> int:
        start = datetime.combine(date.min, self.opens)
        return int((datetime.combine(date.min, self.closes) - start).total_seconds() // 60)


def windows_for(year: YearGroup) -> dict[str, Window]:
    return {
        "AM": Window("AM", year.am_open, year.am_close),
        "PM": Window("PM", year.pm_open, year.pm_close),
    }


def session_at(year: YearGroup, moment: time) -> str:
    """The session an arrival belongs to: the afternoon from when its register opens."""
    return "PM" if moment >= year.pm_open else "AM"


@dataclass(frozen=True, slots=True)
class Arrival:
    """What a late arrival is recorded as."""

    session: str
    code: str
    minutes_late: int


class NotLate(RegisterError):
    """An arrival before the register opened is simply present, not late."""


def arrival_mark(year: YearGroup, now: datetime) -> Arrival:
    """`L` with minutes if the register is still open, `U` after it closed
    (docs/rules.md#register-sessions)."""
    window = windows_for(year)[session_at(year, now.time())]
    start = datetime.combine(now.date(), window.opens)
    if now <= start:
        raise NotLate(f"the {window.session} register opens at {window.opens:%H:%M}: not late yet")
    minutes = math.ceil((now - start).total_seconds() / 60)
    closed = now.time() > window.closes
    code = codes.LATE_AFTER_CLOSE if closed else codes.LATE
    return Arrival(window.session, code, minutes)
