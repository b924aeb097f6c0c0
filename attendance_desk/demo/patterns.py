"""What shapes the demo school's marks: the days and the pupils.

Per school day: how likely an absence is to start (Mondays and Fridays more, illness more
in winter), where the holidays fall (term-time holidays sit next to them), which days are
religious festivals, how many school days are left before today (recent unexplained
absences are still `N`). Per pupil: an absence propensity, lateness and how often an
absence goes unexplained, likelier with free school meals, SEN or a social worker.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

import holidays

from attendance_desk.demo.people import PupilPlan
from attendance_desk.school.calendar import SchoolCalendar

#: Absence starts by weekday (Monday first) and illness by month, relative to an average day.
WEEKDAY = (1.35, 0.88, 0.82, 0.9, 1.25)
WINTER = {12: 1.6, 1: 1.7, 2: 1.5, 11: 1.15, 3: 1.1, 6: 0.7, 7: 0.7, 9: 0.8}
#: Unexplained absences in the last school days before today are still `N` (reason pending).
FRESH_DAYS, OPEN_DAYS = 5, 10
FESTIVALS = {"Eid al-Fitr": "eid", "Eid al-Adha": "eid", "Diwali": "diwali"}


@dataclass(frozen=True, slots=True)
class Windows:
    """A year group's register windows (minutes late count from `*_open`)."""

    am_open: time
    am_close: time
    pm_open: time
    pm_close: time

    def minutes(self, session: str) -> int:
        opens, closes = (
            (self.am_open, self.am_close) if session == "AM" else (self.pm_open, self.pm_close)
        )
        return (closes.hour - opens.hour) * 60 + closes.minute - opens.minute


@dataclass(frozen=True, slots=True)
class Traits:
    """How one pupil attends: `rate` is roughly the share of sessions missed."""

    rate: float
    severe: bool
    late: float
    unexplained: float


class DemoDays:
    """Everything per school day the generator needs, computed once."""

    def __init__(self, calendar: SchoolCalendar, days: Sequence[date]) -> None:
        self.dates = tuple(days)
        self.index = {d: i for i, d in enumerate(self.dates)}
        self.weekday = [WEEKDAY[d.weekday()] for d in self.dates]
        self.winter = [WINTER.get(d.month, 1.0) for d in self.dates]
        n = len(self.dates)
        self.fresh_from, self.open_from = n - FRESH_DAYS, n - OPEN_DAYS
        # A holiday is a gap of a week or more between school days (not a long weekend).
        self.breaks = [i for i in range(1, n) if (self.dates[i] - self.dates[i - 1]).days >= 7]
        self.terms: dict[str, list[int]] = {}
        for i, d in enumerate(self.dates):
            term = calendar.term_of(d)
            key = f"{term.name} {term.start.year}" if term else ""
            self.terms.setdefault(key, []).append(i)
        years = sorted({d.year for d in self.dates})
        self.festivals: dict[str, list[int]] = {"eid": [], "diwali": []}
        if years:
            for day, name in sorted(holidays.country_holidays("IN", years=years).items()):
                kind = FESTIVALS.get(name)
                if kind and day in self.index:
                    self.festivals[kind].append(self.index[day])


def pupil_traits(rng: random.Random, pupil: PupilPlan, *, secondary: bool, severe: bool) -> Traits:
    """Draw an absence propensity: mostly low, a persistent tail, likelier with need."""
    family = pupil.family
    risk = 1.0 + 0.9 * family.fsm + 0.5 * pupil.sen + 1.5 * (family.cp or family.cin or family.cla)
    risk *= 1.25 if secondary else 1.0
    if severe:
        rate = rng.uniform(0.5, 0.85)
    elif rng.random() < 0.075 * risk:
        rate = rng.uniform(0.09, 0.3)
    else:
        rate = min(0.08, rng.lognormvariate(-3.65, 0.65) * (1 + 0.3 * (risk - 1)))
    u = rng.random()
    late = rng.uniform(0.12, 0.3) if u < 0.04 else rng.uniform(0.03, 0.08) if u < 0.18 else 0.008
    unexplained = 0.7 if severe else 0.35 if rate >= 0.09 else 0.08
    return Traits(rate, severe, late * (1.3 if family.fsm else 1.0), unexplained)
