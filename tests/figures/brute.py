"""The slow, obvious way to count: read every mark in Python against the code table."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from attendance_desk.catalogues import codes
from attendance_desk.models import Pupil

#: (pupil id, day, session, code) for every mark in the test school.
MarkRow = tuple[int, date, str, str]

CATEGORY_KEYS = {
    codes.Category.PRESENT: "present",
    codes.Category.ATTENDING_ELSEWHERE: "attending_elsewhere",
    codes.Category.AUTHORISED: "authorised",
    codes.Category.UNAUTHORISED: "unauthorised",
}


@dataclass
class Count:
    """Counts for one pupil or one group, worked out mark by mark."""

    present: int = 0
    attending_elsewhere: int = 0
    authorised: int = 0
    unauthorised: int = 0
    late: int = 0
    pupils: int = 0
    persistent: int = 0
    severe: int = 0
    ids: set[int] = field(default_factory=set)

    @property
    def possible(self) -> int:
        return self.present + self.attending_elsewhere + self.authorised + self.unauthorised

    @property
    def absent(self) -> int:
        return self.authorised + self.unauthorised

    def add_mark(self, code: str) -> None:
        entry = codes.BY_CODE[code]
        if entry.possible:
            key = CATEGORY_KEYS[entry.category]
            setattr(self, key, getattr(self, key) + 1)
            self.late += code == codes.LATE

    def absence_share(self) -> Fraction:
        return Fraction(self.absent, self.possible)

    def add_pupil(self, pupil_id: int, other: Count) -> None:
        for key in ("present", "attending_elsewhere", "authorised", "unauthorised", "late"):
            setattr(self, key, getattr(self, key) + getattr(other, key))
        self.pupils += 1
        self.ids.add(pupil_id)
        self.persistent += other.absence_share() >= Fraction(1, 10)
        self.severe += other.absence_share() >= Fraction(1, 2)

    def counts(self) -> dict[str, int]:
        return {
            "present": self.present,
            "attending_elsewhere": self.attending_elsewhere,
            "authorised": self.authorised,
            "unauthorised": self.unauthorised,
            "late": self.late,
        }


def in_range(marks: Iterable[MarkRow], start: date, end: date) -> list[MarkRow]:
    return [m for m in marks if start <= m[1] <= end]


def per_pupil(marks: Iterable[MarkRow]) -> dict[int, Count]:
    """Each pupil with at least one possible session, and their counts."""
    out: dict[int, Count] = defaultdict(Count)
    for pupil_id, _, _, code in marks:
        out[pupil_id].add_mark(code)
    return {pid: c for pid, c in out.items() if c.possible}


def school(marks: Iterable[MarkRow]) -> Count:
    total = Count()
    for pid, count in per_pupil(marks).items():
        total.add_pupil(pid, count)
    return total


#: How each grouping reads a pupil, the obvious way.
GROUP_KEYS: dict[str, Callable[[Pupil], str]] = {
    "year_group": lambda p: str(p.year_group_id),
    "reg_group": lambda p: str(p.reg_group_id),
    "sex": lambda p: p.sex or "U",
    "fsm": lambda p: "1" if p.fsm else "0",
    "pupil_premium": lambda p: "1" if p.pupil_premium else "0",
    "sen": lambda p: "E" if p.ehcp else "K" if p.sen else "N",
    "social_care": lambda p: "1" if (p.cp or p.cin or p.cla) else "0",
    "cp": lambda p: "1" if p.cp else "0",
    "cin": lambda p: "1" if p.cin else "0",
    "cla": lambda p: "1" if p.cla else "0",
}


def grouped(marks: Iterable[MarkRow], pupils: dict[int, Pupil], name: str) -> dict[str, Count]:
    out: dict[str, Count] = defaultdict(Count)
    for pid, count in per_pupil(marks).items():
        out[GROUP_KEYS[name](pupils[pid])].add_pupil(pid, count)
    return dict(out)


def codes_used(marks: Iterable[MarkRow]) -> tuple[Counter[str], dict[str, set[int]]]:
    sessions: Counter[str] = Counter()
    who: dict[str, set[int]] = defaultdict(set)
    for pid, _, _, code in marks:
        sessions[code] += 1
        who[code].add(pid)
    return sessions, dict(who)


def by_day(marks: Iterable[MarkRow], key: Callable[[date], object]) -> dict[object, Count]:
    """Session counts grouped by some function of the day (its Monday, its weekday)."""
    out: dict[object, Count] = defaultdict(Count)
    for _, day, _, code in marks:
        out[key(day)].add_mark(code)
    return {k: c for k, c in out.items() if c.possible}


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
