"""Register marks for the demo school, with the patterns an attendance officer knows.

Each pupil has an absence propensity: most miss a few sessions a term, a tail are persistent
absentees and a few are severe. Absences come as episodes, not scattered sessions: illness
in runs of days and more of it in winter, more starts on Mondays and Fridays, medical
appointments of one session, unexplained days that are still `N` when recent and `O` when
older, family holidays (`G`) next to the school holidays, religious festivals (`R`), lates
(`L`, some pupils persistently, a few `U`), and whole-class trips (`V`, `P`, `B`).

Speed matters (2,000 pupils over three years is 2.3 million marks): codes are built in plain
lists on one `random.Random` and inserted as Core `executemany` batches; no ORM object per mark.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, insert

from attendance_desk.demo import names
from attendance_desk.demo.patterns import DemoDays, Traits, Windows, pupil_traits
from attendance_desk.demo.people import PupilPlan
from attendance_desk.models import Base, Mark
from attendance_desk.school.calendar import SchoolCalendar

BATCH_PUPILS = 100
#: SQLite page cache while loading marks, in KiB (negative is SQLite's "KiB" form).
LOAD_CACHE_KIB = -65536


class MarkGenerator:
    """Generates and inserts every pupil's marks, batch by batch."""

    def __init__(
        self,
        rng: random.Random,
        *,
        calendar: SchoolCalendar,
        days: Sequence[date],
        windows: dict[str, Windows],
        user_id: int,
        secondary: bool,
    ) -> None:
        self.rng = rng
        self.days = DemoDays(calendar, days)
        self.windows = windows
        self.user_id = user_id
        self.secondary = secondary
        self._family_days: dict[int, dict[int, str]] = {}
        self._class_days: dict[str, dict[int, tuple[str, str, str | None, float]]] = {}
        self._register: dict[tuple[str, str], list[datetime]] = {}

    def insert(
        self,
        conn: Connection,
        pupils: Sequence[PupilPlan],
        *,
        severe_ids: set[int],
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Insert all marks in `executemany` batches; returns how many were written.

        The marks indexes outgrow SQLite's default 2 MB page cache, so the cache is raised
        for the load (and put back): a third faster, with durability settings untouched.
        """
        if conn.dialect.name != "sqlite":  # a server has its own cache settings
            return self._insert(conn, pupils, severe_ids, progress)
        cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql(f"PRAGMA cache_size={LOAD_CACHE_KIB}")
        try:
            return self._insert(conn, pupils, severe_ids, progress)
        finally:
            conn.exec_driver_sql(f"PRAGMA cache_size={int(cache or -2000)}")

    def _insert(
        self,
        conn: Connection,
        pupils: Sequence[PupilPlan],
        severe_ids: set[int],
        progress: Callable[[int, int], None] | None,
    ) -> int:
        table = table_of(Mark)
        total = 0
        if progress:
            progress(0, len(pupils))
        for start in range(0, len(pupils), BATCH_PUPILS):
            rows: list[dict[str, Any]] = []
            for pupil in pupils[start : start + BATCH_PUPILS]:
                traits = pupil_traits(
                    self.rng, pupil, secondary=self.secondary, severe=pupil.id in severe_ids
                )
                rows.extend(self.pupil_rows(pupil, traits))
            if rows:
                conn.execute(insert(table), rows)
            total += len(rows)
            if progress:
                progress(min(start + BATCH_PUPILS, len(pupils)), len(pupils))
        return total

    def _span(self, pupil: PupilPlan) -> tuple[int, int]:
        """Indexes of the first school day on roll and one past the last."""
        dates = self.days.dates
        lo = bisect.bisect_left(dates, pupil.on_roll_from)
        end = pupil.on_roll_to
        hi = len(dates) if end is None else bisect.bisect_right(dates, end)
        return lo, hi

    def pupil_rows(self, pupil: PupilPlan, traits: Traits) -> list[dict[str, Any]]:
        """The pupil's mark rows for every school day they were on roll."""
        lo, hi = self._span(pupil)
        if lo >= hi:
            return []
        n = hi - lo
        am, pm = ["/"] * n, ["\\"] * n
        reasons: dict[int, str] = {}
        for i, code in self._family(pupil).items():
            if lo <= i < hi:
                am[i - lo] = pm[i - lo] = code
        if traits.severe:
            self._severe_runs(am, pm, lo, traits)
        else:
            self._episodes(am, pm, lo, traits, reasons)
        for i, (a, p, reason, share) in self._class(pupil).items():
            j = i - lo
            if 0 <= j < n and (share >= 1 or self.rng.random() < share):
                # Only pupils in school that session go on the trip.
                if am[j] == "/":
                    am[j] = a
                if pm[j] == "\\":
                    pm[j] = p
                if reason and "B" in (am[j], pm[j]):
                    reasons[i] = reason
        late = self._lates(am, pm, traits, pupil.year)
        return self._rows(pupil, lo, am, pm, late, reasons)

    def _family(self, pupil: PupilPlan) -> dict[int, str]:
        """Days the whole family is away: holidays in term time and religious festivals."""
        family = pupil.family
        found = self._family_days.get(family.key)
        if found is not None:
            return found
        rng, days = self.rng, self.days
        away: dict[int, str] = {}
        u = rng.random()
        holiday_chance = 0.25 if u < 0.03 else 0.08 if u < 0.15 else 0.01
        for first_after in days.breaks:
            if rng.random() < holiday_chance:
                length = rng.randint(2, 5)
                span = (
                    range(first_after - length, first_after)
                    if rng.random() < 0.7
                    else range(first_after, first_after + length)
                )
                for i in span:
                    if 0 <= i < len(days.dates):
                        away[i] = "G"
        festival = family.mother_bg.festival or family.father_bg.festival
        keep = {"eid": 0.75, "diwali": 0.35}
        for i in days.festivals.get(festival or "", []):
            if rng.random() < keep.get(festival or "", 0):
                away[i] = "R"
        self._family_days[family.key] = away
        return away

    def _episodes(
        self, am: list[str], pm: list[str], lo: int, t: Traits, reasons: dict[int, str]
    ) -> None:
        rng, days = self.rng, self.days
        suspended = 0.02 if self.secondary and t.rate >= 0.09 else 0.0
        medical, leave = 0.15, 0.01
        ill = 1.0 - medical - t.unexplained - suspended - leave
        # An average episode misses about 3.2 sessions; starting this often misses `rate`.
        start = t.rate * 2 / 3.2
        n, j = len(am), 0
        while j < n:
            i = lo + j
            ill_now = ill * days.winter[i]  # more illness in winter, the rest unchanged
            scale = ill_now + 1 - ill
            if am[j] != "/" or rng.random() >= start * days.weekday[i] * scale:
                j += 1
                continue
            u = rng.random() * scale - ill_now
            length = 1
            if u < 0:
                length += _geometric(rng, 0.42 if days.winter[i] > 1.2 else 0.55)
                self._fill(am, pm, j, length, "I")
                if rng.random() < 0.12:
                    am[j] = "/"  # sent home ill at lunchtime
            elif u < medical:
                if rng.random() < 0.6:
                    am[j] = "M"
                else:
                    pm[j] = "M"
            elif u < medical + t.unexplained:
                length += _geometric(rng, 0.6)
                self._unexplained(am, pm, lo, j, length)
                if rng.random() < 0.15:
                    pm[j] = "\\"  # came in after lunch; the morning still unexplained
            elif u < medical + t.unexplained + suspended:
                length = rng.randint(1, 3)
                self._fill(am, pm, j, length, "E")
            else:
                length = rng.randint(1, 2)
                reason = rng.choice(names.LEAVE_REASONS)
                for k in range(j, min(n, j + length)):
                    if am[k] == "/":
                        am[k] = pm[k] = "C"
                        reasons[lo + k] = reason
            j += length

    @staticmethod
    def _fill(am: list[str], pm: list[str], j: int, length: int, code: str) -> None:
        for k in range(j, min(len(am), j + length)):
            if am[k] == "/":
                am[k] = pm[k] = code

    def _unexplained(self, am: list[str], pm: list[str], lo: int, j: int, length: int) -> None:
        days, rng = self.days, self.rng
        for k in range(j, min(len(am), j + length)):
            i = lo + k
            if am[k] != "/":
                continue
            if i >= days.fresh_from:
                code = "N" if rng.random() < 0.85 else "O"
            elif i >= days.open_from:
                code = "N" if rng.random() < 0.35 else "O"
            else:
                code = "O"
            am[k] = pm[k] = code

    def _severe_runs(self, am: list[str], pm: list[str], lo: int, t: Traits) -> None:
        """Long stretches away, mostly unexplained, broken by a few days in school."""
        rng = self.rng
        present_mean = 3.0
        absent_mean = present_mean * t.rate / (1 - t.rate)
        j, away = 0, rng.random() < t.rate
        while j < len(am):
            mean = absent_mean if away else present_mean
            length = 1 + _geometric(rng, 1 / mean)
            if away:
                if rng.random() >= t.unexplained:
                    self._fill(am, pm, j, length, "I")
                else:
                    self._unexplained(am, pm, lo, j, length)
            j += length
            away = not away

    def _lates(
        self, am: list[str], pm: list[str], t: Traits, year: str
    ) -> dict[int, tuple[str, int]]:
        """Late arrivals: `L` within the register window, `U` after it; {day: (session, min)}."""
        rng = self.rng
        window = self.windows[year]
        late: dict[int, tuple[str, int]] = {}
        pm_rate = t.late * 0.08
        for j in range(len(am)):
            if am[j] == "/" and rng.random() < t.late:
                session, codes = "AM", am
            elif pm[j] == "\\" and rng.random() < pm_rate:
                session, codes = "PM", pm
            else:
                continue
            limit = window.minutes(session)
            if rng.random() < 0.07:
                codes[j], minutes = "U", limit + rng.randint(1, 45)
            else:
                codes[j], minutes = "L", min(limit, 1 + int(rng.expovariate(1 / 4)))
            late[j] = (session, minutes)
        return late

    def _class(self, pupil: PupilPlan) -> dict[int, tuple[str, str, str | None, float]]:
        """The class's outings, at most one of each a half-term: a day visit (`V`), a sports
        festival in the afternoon (`P`), and an approved activity with its reason (`B`)
        for a few of the class. Values are (AM code, PM code, reason, share who go)."""
        key = pupil.class_key
        found = self._class_days.get(key)
        if found is not None:
            return found
        rng = self.rng
        events: dict[int, tuple[str, str, str | None, float]] = {}
        for term_days in self.days.terms.values():
            if rng.random() < 0.5:
                events[rng.choice(term_days)] = ("V", "V", None, 1.0)
            if rng.random() < 0.2:
                events[rng.choice(term_days)] = ("/", "P", None, 1.0)
            if rng.random() < 0.3:
                reason = rng.choice(names.ACTIVITY_REASONS)
                events[rng.choice(term_days)] = ("B", "B", reason, 0.2)
        self._class_days[key] = events
        return events

    def _times(self, pupil: PupilPlan, session: str) -> list[datetime]:
        """When the class's register was taken each day (the teacher saves it once)."""
        found = self._register.get((pupil.class_key, session))
        if found is not None:
            return found
        window = self.windows[pupil.year]
        opens = window.am_open if session == "AM" else window.pm_open
        rng = self.rng
        times = [
            datetime.combine(d, opens) + timedelta(seconds=rng.randint(20, 600))
            for d in self.days.dates
        ]
        self._register[(pupil.class_key, session)] = times
        return times

    def _rows(
        self,
        pupil: PupilPlan,
        lo: int,
        am: list[str],
        pm: list[str],
        late: dict[int, tuple[str, int]],
        reasons: dict[int, str],
    ) -> list[dict[str, Any]]:
        dates, user, pid = self.days.dates, self.user_id, pupil.id
        am_times, pm_times = self._times(pupil, "AM"), self._times(pupil, "PM")
        window = self.windows[pupil.year]
        rows: list[dict[str, Any]] = []
        for j in range(len(am)):
            i = lo + j
            day = dates[i]
            reason = reasons.get(i)
            for session, code, at in (("AM", am[j], am_times[i]), ("PM", pm[j], pm_times[i])):
                minutes = None
                if j in late and late[j][0] == session:
                    minutes = late[j][1]
                    opens = window.am_open if session == "AM" else window.pm_open
                    at = datetime.combine(day, opens) + timedelta(minutes=minutes, seconds=30)
                rows.append(
                    {
                        "pupil_id": pid,
                        "date": day,
                        "session": session,
                        "code": code,
                        "minutes_late": minutes,
                        "reason": reason if code in ("B", "C") else None,
                        "recorded_by_id": user,
                        "recorded_at": at,
                        "version": 1,
                    }
                )
        return rows


def table_of(model: type[Base]) -> Table:
    """The Core table behind a model, for `executemany` inserts without ORM objects."""
    return Base.metadata.tables[model.__tablename__]


def _geometric(rng: random.Random, p: float) -> int:
    """Failures before the first success with chance `p`: 0, 1, 2... (mean (1-p)/p)."""
    n = 0
    while rng.random() >= p:
        n += 1
    return n
