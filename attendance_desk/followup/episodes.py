"""Absence episodes, derived afresh from marks, parents' reports and logged contacts.

Nothing here is stored: an episode is what the record says today, so it can never drift
from the register. A pupil's school days are read backwards from the day asked about:

- an *unexplained* day has an `N` or `O` mark that no parent's report covers, and no
  session present or attending elsewhere;
- the current **episode** is the run of unexplained days ending at the pupil's latest marked
  day, when that day is itself unexplained (a pupil who came back has no episode);
- longer **runs** count consecutive days of absence of any kind, of unauthorised absence
  (children missing education) and of illness (medical evidence).

A day that is not a school day *for this pupil* neither counts nor ends an absence: a day
with no possible session for them (only `Y1`-`Y7`, `#`, `D`, `X`, `Q` or `Z` marks), or a day
the whole school was unexpectedly closed (every mark that day outside possible sessions,
e.g. `Y4` for snow). The day numbers of the ladder, the 10-day CME count and the 20-day
regulation 9(1)(i) count all run on across it (School Attendance (Pupil Registration)
(England) Regulations 2024, reg 9(1)(i) counts *school days*; a closure is not one).

Only pupils absent in the last few school days are loaded, so the whole school's episodes
take a handful of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.models import AbsenceReport, ContactAttempt, Mark
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.calendar_store import closed_to_all

UNEXPLAINED = (codes.REASON_NOT_PROVIDED, codes.UNKNOWN_UNAUTHORISED)
ATTENDING = (*codes.PRESENT_CODES, *codes.ATTENDING_ELSEWHERE_CODES, codes.LATE_AFTER_CLOSE)
ABSENT = tuple(c for c in (*codes.AUTHORISED_CODES, *codes.UNAUTHORISED_CODES) if c != "U")
ILLNESS = "I"
# Sets for the per-day tests below (they run for every marked day of every absent pupil).
_POSSIBLE = frozenset(codes.POSSIBLE_CODES)
_ATTENDING = frozenset(ATTENDING)
_MISSED = frozenset((*ABSENT, *UNEXPLAINED))
_UNAUTHORISED = frozenset(codes.UNAUTHORISED_CODES)
#: Outcomes of a contact attempt that count as reaching a parent who gave a reason.
CONTACT_MADE = ("answered",)
#: Call outcomes after which the next contact in priority order should be tried. A text or
#: email sent is not one: the call to that contact is still due.
CALL_FAILED = ("no_answer", "voicemail", "wrong_number", "answered_concern")


@dataclass(frozen=True, slots=True)
class DayRecord:
    """One pupil's school day (at least one session a possible one): the codes of its
    sessions, after reports are applied."""

    day: date
    codes: tuple[str, ...]
    reported: bool

    @property
    def missed(self) -> bool:
        """At least one session absent (authorised or not; a late `U` is not absence)."""
        return any(c in _MISSED for c in self.codes)

    @property
    def attended(self) -> bool:
        return any(c in _ATTENDING for c in self.codes)

    @property
    def absent(self) -> bool:
        return bool(self.codes) and not self.attended and all(c in _MISSED for c in self.codes)

    @property
    def unexplained(self) -> bool:
        return self.absent and not self.reported and any(c in UNEXPLAINED for c in self.codes)

    @property
    def unauthorised(self) -> bool:
        return self.absent and all(c in _UNAUTHORISED for c in self.codes)

    @property
    def ill(self) -> bool:
        return self.absent and all(c == ILLNESS for c in self.codes)


@dataclass(frozen=True, slots=True)
class Episode:
    """A pupil away without a satisfactory reason, as of a given day."""

    pupil_id: int
    first_day: date
    last_day: date
    day: int  # school day N of the episode on its last marked day
    contact_made: bool
    failed_attempts: int
    contacts_tried: frozenset[int]


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive absent school days of one kind ending on `last_day`."""

    first_day: date
    last_day: date
    days: int


@dataclass(frozen=True)
class PupilAbsence:
    """Everything the rules need about one pupil's recent absence."""

    pupil_id: int
    days: tuple[DayRecord, ...]  # oldest first, marked school days that count for the pupil
    episode: Episode | None
    absent_run: Run | None
    missed_run: Run | None  # days with any session of absence
    unauthorised_run: Run | None
    illness_run: Run | None
    returned_after: Run | None  # the absence a pupil came back from on the last day
    #: School days in the window that are not school days for this pupil (closures).
    skip: frozenset[date] = frozenset()


def _trailing_run(days: Iterable[DayRecord], test: str) -> Run | None:
    run: list[DayRecord] = []
    for record in reversed(list(days)):
        if not getattr(record, test):
            break
        run.append(record)
    if not run:
        return None
    return Run(run[-1].day, run[0].day, len(run))


def _contacts(attempts: list[ContactAttempt], since: date) -> tuple[bool, int, frozenset[int]]:
    start = datetime.combine(since, time.min)
    relevant = [a for a in attempts if a.at >= start]
    made = any(a.outcome in CONTACT_MADE for a in relevant)
    failed = [a for a in relevant if a.outcome in CALL_FAILED]
    tried = frozenset(a.contact_id for a in failed if a.contact_id is not None)
    return made, len(failed), tried


def absences(
    session: Session,
    calendar: SchoolCalendar,
    today: date,
    lookback_days: int = 25,
    pupil_ids: Iterable[int] | None = None,
) -> dict[int, PupilAbsence]:
    """Recent absence, over the last `lookback_days` school days, of every pupil (or of
    those in `pupil_ids`) who was absent on one of their last three school days up to
    `today`, keyed by pupil id.

    Only those pupils can be in an episode or a run, or be back from one, today: the rest
    are never loaded, which keeps a whole school's worklist quick. Days the school was
    closed to all are looked past, so they cannot hide a pupil's absence.
    """
    school_days = calendar.school_days(calendar.first_day or today, today)
    if not school_days:
        return {}
    closed = closed_to_all(session, school_days[-lookback_days:][0], today)
    school_days = tuple(d for d in school_days if d not in closed)
    if not school_days:
        return {}
    window = school_days[-lookback_days:]
    start = window[0]
    recent = select(Mark.pupil_id).where(
        Mark.date >= school_days[-3:][0],
        Mark.date <= today,
        Mark.code.in_((*ABSENT, *UNEXPLAINED)),
    )
    if pupil_ids is not None:
        recent = recent.where(Mark.pupil_id.in_(set(pupil_ids)))
    absent_ids = set(session.scalars(recent.distinct()))
    if not absent_ids:
        return {}
    marks: dict[int, dict[date, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    # Plain columns, so the connection's rows (no ORM bookkeeping for thousands of them).
    for pupil_id, day, sess, code in session.connection().execute(
        select(Mark.pupil_id, Mark.date, Mark.session, Mark.code).where(
            Mark.pupil_id.in_(absent_ids), Mark.date >= start, Mark.date <= today
        )
    ):
        marks[pupil_id][day][sess] = code
    reports: dict[int, list[AbsenceReport]] = defaultdict(list)
    for report in session.scalars(
        select(AbsenceReport).where(
            AbsenceReport.pupil_id.in_(absent_ids),
            AbsenceReport.end_date >= start,
            AbsenceReport.start_date <= today,
        )
    ):
        reports[report.pupil_id].append(report)
    attempts: dict[int, list[ContactAttempt]] = defaultdict(list)
    for attempt in session.scalars(
        select(ContactAttempt).where(
            ContactAttempt.pupil_id.in_(absent_ids),
            ContactAttempt.at >= datetime.combine(start, time.min),
        )
    ):
        attempts[attempt.pupil_id].append(attempt)

    out: dict[int, PupilAbsence] = {}
    for pupil_id in absent_ids:
        by_day, own_reports = marks[pupil_id], reports.get(pupil_id, ())
        days: list[DayRecord] = []
        not_counted: set[date] = set()
        for day in window:  # every marked day of every absent pupil: kept quick
            if (sessions := by_day.get(day)) is None:
                continue
            day_codes = tuple(sessions[s] for s in ("AM", "PM") if s in sessions)
            if _POSSIBLE.isdisjoint(day_codes):  # not a school day for this pupil
                not_counted.add(day)
                continue
            reported = bool(own_reports) and any(
                r.covers(day, s)
                for r in own_reports
                for s, code in sessions.items()
                if code in UNEXPLAINED
            )
            days.append(DayRecord(day, day_codes, reported))
        skip = closed | not_counted
        out[pupil_id] = _pupil_absence(pupil_id, tuple(days), calendar, attempts[pupil_id], skip)
    return out


def _pupil_absence(
    pupil_id: int,
    days: tuple[DayRecord, ...],
    calendar: SchoolCalendar,
    attempts: list[ContactAttempt],
    skip: frozenset[date],
) -> PupilAbsence:
    episode_run = _trailing_run(days, "unexplained")
    episode = None
    if episode_run is not None:
        made, failed, tried = _contacts(attempts, episode_run.first_day)
        episode = Episode(
            pupil_id=pupil_id,
            first_day=episode_run.first_day,
            last_day=episode_run.last_day,
            day=calendar.school_day_number(episode_run.first_day, episode_run.last_day, skip=skip),
            contact_made=made,
            failed_attempts=failed,
            contacts_tried=tried,
        )
    returned = None
    if days and days[-1].attended:
        returned = _trailing_run(days[:-1], "absent")
    return PupilAbsence(
        pupil_id=pupil_id,
        days=days,
        episode=episode,
        absent_run=_trailing_run(days, "absent"),
        missed_run=_trailing_run(days, "missed"),
        unauthorised_run=_trailing_run(days, "unauthorised"),
        illness_run=_trailing_run(days, "ill"),
        returned_after=returned,
        skip=skip,
    )
