"""When each year group's registers open and close: part of the school's day, which the
school sets, and which the register, the late desk and the set-up read.

Before a register closes the teacher's marks are simple entries; after it closes (and for
any earlier day) a change is an amendment with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from attendance_desk.models import YearGroup


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
