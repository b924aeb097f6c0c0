"""The grounds for deleting a pupil from the admission register, as data, and which of them
the record supports today.

A name may leave the register only for a ground in regulation 9(1) of The School Attendance
(Pupil Registration) (England) Regulations 2024; taking a child off roll for any other reason
is off-rolling. Each ground carries the guidance the office needs and the details it must
record, which the deletion return to the local authority repeats. Two grounds rest on facts
the app holds (the marks, the leave granted, the enquiries logged), so they are offered only
when the record shows them; the others depend on papers the office holds and are always
offered, with the guidance saying what must be in hand first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.models import (
    CaseNote,
    ContactAttempt,
    LeaveRequest,
    Mark,
    NextStep,
    Pupil,
    SafeAndWellCheck,
)
from attendance_desk.school.calendar import SESSIONS, SchoolCalendar
from attendance_desk.school.calendar_store import closed_to_all, load_calendar
from attendance_desk.uk_dates import day_text

#: Details a ground can require besides the free-text details.
DESTINATION_SCHOOL = "destination_school"
DESTINATION_ADDRESS = "destination_address"

#: Continuous absence ground: school days in a row with no authorised absence (reg 9(1)(i)).
CONTINUOUS_ABSENCE_DAYS = 20
#: Leave ground: school days after the leave ended without a return (reg 9(1)(h)).
DAYS_AFTER_LEAVE = 10
#: Marks that count as "absent without authorisation" for those grounds. `U` is left out:
#: a pupil marked U came in, late, so the absence was not continuous.
UNAUTHORISED_ABSENCE = tuple(c for c in codes.UNAUTHORISED_CODES if c != codes.LATE_AFTER_CLOSE)


@dataclass(frozen=True, slots=True)
class Ground:
    """One regulation 9(1) ground: what it is, what to check first, what to record."""

    key: str
    regulation: str
    label: str
    guidance: str
    requires: tuple[str, ...] = ()
    details_prompt: str = "What happened and how the school knows (dates, letters, who said so)"

    @property
    def title(self) -> str:
        """`9(1)(a) Registered at another school`: the regulation and the label."""
        return f"{self.regulation} {self.label}"


GROUNDS: tuple[Ground, ...] = (
    Ground(
        "another_school",
        "9(1)(a)",
        "Registered at another school",
        "The pupil has been registered at another school and has started there. Confirm the "
        "start date with the new school before deleting; until then the pupil stays on roll, "
        "marked absent. Not for a pupil under a school attendance order naming this school, "
        "a mobile child for whom this is the main school, or an agreed dual registration.",
        (DESTINATION_SCHOOL,),
        "The start date at the new school and who confirmed it",
    ),
    Ground(
        "nursery_not_continuing",
        "9(1)(b)",
        "Not continuing after nursery",
        "The child came for nursery education, has finished it and would move up to "
        "reception (or a higher class) here, but the school has no reasonable grounds to "
        "believe they will attend again.",
        (),
        "How the school knows the child will not continue (and their next school if known)",
    ),
    Ground(
        "dual_registration_ended",
        "9(1)(c)",
        "Dual registration ended",
        "The pupil is also registered at one or more other schools, will not attend here "
        "again, and every other school has consented to this deletion. Not when a school "
        "attendance order names this school or this is a mobile child's main school.",
        (DESTINATION_SCHOOL,),
        "Which schools consented, when and how",
    ),
    Ground(
        "attendance_order_amended",
        "9(1)(d)",
        "School attendance order names another school",
        "The local authority has amended the pupil's school attendance order to name a "
        "different school. Keep the LA's letter.",
        (DESTINATION_SCHOOL,),
        "The LA's letter amending the order: its date and reference",
    ),
    Ground(
        "attendance_order_revoked",
        "9(1)(e)",
        "School attendance order revoked",
        "The local authority has revoked the pupil's school attendance order because "
        "suitable education is being provided otherwise than at school.",
        (),
        "The LA's revocation: its date and reference",
    ),
    Ground(
        "home_education",
        "9(1)(f)",
        "Educated at home (parent's written notice)",
        "A parent has told the school in writing that the child will be educated otherwise "
        "than at school. The deletion date is the day the letter arrived or the later date "
        "it gives, never earlier. Tell the LA the same day with a copy of the letter. Not "
        "while a school attendance order names this school.",
        (),
        "The date the parent's letter was received and the date it asks for",
    ),
    Ground(
        "moved_away",
        "9(1)(g)",
        "Moved too far away to attend",
        "The pupil has stopped attending and no longer normally lives within a reasonable "
        "distance of the school (not for boarders). Record the new address; for a move "
        "abroad, also the moving date and the destination school if known. Follow the LA's "
        "procedure: some keep the pupil on roll until the new location is confirmed.",
        (DESTINATION_ADDRESS,),
        "The moving date, who told the school and how the new address was confirmed",
    ),
    Ground(
        "not_back_from_leave",
        "9(1)(h)",
        "Not back within 10 school days of leave ending",
        "Leave of absence was granted; the pupil has not returned within the 10 school days "
        "after it ended; the school has no reasonable grounds to think illness or another "
        "unavoidable cause keeps them away; and the school and the LA, after making "
        "reasonable enquiries together, cannot find where the pupil is.",
        (),
        "The enquiries made by the school and the LA, and their outcome",
    ),
    Ground(
        "continuous_absence",
        "9(1)(i)",
        "20 school days' continuous unauthorised absence",
        "The pupil has been absent for at least 20 school days in a row with none of it "
        "authorised (marked G, N or O throughout); the school has no reasonable grounds to "
        "think illness or another unavoidable cause keeps them away; and the school and the "
        "LA, after making reasonable enquiries together, cannot find where the pupil is.",
        (),
        "The joint enquiries made by the school and the LA, and their outcome",
    ),
    Ground(
        "detained",
        "9(1)(j)",
        "Detained by a court order of 4 months or more",
        "The pupil is detained under a final court order (or an order of recall) for at "
        "least four months, and the school has no reasonable grounds to believe they will "
        "return when it ends.",
        (),
        "The order, its length and where the pupil is held, if known",
    ),
    Ground(
        "died",
        "9(1)(k)",
        "The pupil has died",
        "The pupil has died. Record who told the school and when; tell the LA at once.",
        (),
        "Who told the school, and when",
    ),
    Ground(
        "leaving_compulsory_age",
        "9(1)(l)",
        "Leaving at the end of compulsory school age",
        "The pupil will stop being of compulsory school age before the school next meets "
        "and has said they will not continue here, or does not meet the sixth form's "
        "academic entry requirements.",
        (),
        "What the pupil or parent said, or the sixth-form decision",
    ),
    Ground(
        "boarding_fees_unpaid",
        "9(1)(m)",
        "Boarding fees unpaid",
        "The pupil boards at a maintained school or academy, the parent pays for board and "
        "lodging, and those charges are still unpaid at the end of the term they relate to.",
        (),
        "The charges outstanding and the term they relate to",
    ),
    Ground(
        "left_independent_school",
        "9(1)(n)",
        "No longer a pupil of an independent school",
        "For an independent school or a non-maintained special school only: the pupil has "
        "ceased to be a pupil of the school.",
        (),
        "Why and when the pupil ceased to be a pupil",
    ),
    Ground(
        "permanently_excluded",
        "9(1)(o)",
        "Permanently excluded",
        "The pupil has been permanently excluded and the review process is finished: the "
        "governors upheld the exclusion and any independent review panel has decided, or "
        "the time to ask for a review has passed.",
        (),
        "The date of the governors' decision and the outcome of any review",
    ),
)

BY_KEY: dict[str, Ground] = {g.key: g for g in GROUNDS}


class UnknownGround(ValueError):
    """Not one of the regulation 9(1) grounds."""


def ground(key: str) -> Ground:
    try:
        return BY_KEY[key]
    except KeyError:
        raise UnknownGround(f"'{key}' is not a ground in regulation 9(1)") from None


@dataclass(frozen=True, slots=True)
class GroundChoice:
    """A ground as offered for one pupil on one day; `why_not` says why it is withheld."""

    ground: Ground
    why_not: str = ""

    @property
    def available(self) -> bool:
        return not self.why_not


@dataclass(frozen=True, slots=True)
class AbsenceRun:
    """School days in a row, up to the latest marked day, absent without authorisation."""

    days: int
    first_day: date | None
    last_day: date | None


def grounds_for(session: Session, pupil: Pupil, day: date) -> list[GroundChoice]:
    """Every ground, with the ones the record does not support withheld and explained."""
    calendar = load_calendar(session)
    run = unauthorised_run(session, calendar, pupil, day)
    year = pupil.year_group.code
    choices = []
    for g in GROUNDS:
        why = ""
        if g.key == "continuous_absence":
            why = _continuous_absence_problem(session, pupil, run)
        elif g.key == "not_back_from_leave":
            why = _leave_problem(session, calendar, pupil, run, day)
        elif g.key == "nursery_not_continuing" and not year.startswith("N"):
            why = f"only for a child in a nursery class (this pupil is in year {year})"
        elif g.key == "leaving_compulsory_age" and year != "11":
            why = f"only for a pupil in year 11 (this pupil is in year {year})"
        choices.append(GroundChoice(g, why))
    return choices


def unauthorised_run(
    session: Session, calendar: SchoolCalendar, pupil: Pupil, day: date
) -> AbsenceRun:
    """The pupil's unbroken run of wholly unauthorised school days ending on the last
    school day, up to `day`, that has a mark (a register not yet taken does not break it).

    A day that is not a school day for the pupil neither counts nor breaks the run: the
    school closed to everyone (all marks outside possible sessions, e.g. `Y4` for snow) or
    no possible session for this pupil (`D`, `Y1`-`Y7`, `#`…).
    """
    start = max(pupil.on_roll_from, calendar.first_day or pupil.on_roll_from)
    rows = session.execute(
        select(Mark.date, Mark.session, Mark.code).where(
            Mark.pupil_id == pupil.id, Mark.date >= start, Mark.date <= day
        )
    )
    by_day: dict[date, dict[str, str]] = {}
    for mark_day, sess, code in rows:
        by_day.setdefault(mark_day, {})[sess] = code
    if not by_day:
        return AbsenceRun(0, None, None)
    last = max(by_day)
    closed = closed_to_all(session, start, last)
    count, first = 0, None
    for school_day in reversed(calendar.school_days(start, last)):
        marks = by_day.get(school_day, {})
        if school_day in closed or (
            marks and not any(c in codes.POSSIBLE_CODES for c in marks.values())
        ):
            continue
        if not all(marks.get(s) in UNAUTHORISED_ABSENCE for s in SESSIONS):
            break
        count, first = count + 1, school_day
    return AbsenceRun(count, first, last if count else None)


def _enquiry_problems(session: Session, pupil: Pupil, since: date) -> list[str]:
    """What is missing from the record of joint reasonable enquiries since `since`."""
    problems = []
    school = (
        (
            session.scalar(
                select(func.count())
                .select_from(ContactAttempt)
                .where(ContactAttempt.pupil_id == pupil.id, func.date(ContactAttempt.at) >= since)
            )
            or 0
        )
        + (
            session.scalar(
                select(func.count())
                .select_from(SafeAndWellCheck)
                .where(
                    SafeAndWellCheck.pupil_id == pupil.id,
                    SafeAndWellCheck.episode_first_day >= since,
                )
            )
            or 0
        )
        + (
            session.scalar(
                select(func.count())
                .select_from(CaseNote)
                .where(CaseNote.pupil_id == pupil.id, func.date(CaseNote.at) >= since)
            )
            or 0
        )
    )
    if not school:
        problems.append(
            f"no enquiries by the school are recorded since {day_text(since)} (calls to "
            "contacts, a safe-and-well check or notes on the pupil's file)"
        )
    la = session.scalar(
        select(func.count())
        .select_from(NextStep)
        .join(SafeAndWellCheck, NextStep.check_id == SafeAndWellCheck.id)
        .where(
            SafeAndWellCheck.pupil_id == pupil.id,
            NextStep.kind == "cme",
            func.date(NextStep.at) >= since,
        )
    )
    if not la:
        problems.append(
            f"no enquiries with the local authority are recorded since {day_text(since)} "
            "(the Children Missing Education notification, from the safe-and-well check)"
        )
    return problems


def _continuous_absence_problem(session: Session, pupil: Pupil, run: AbsenceRun) -> str:
    if run.days < CONTINUOUS_ABSENCE_DAYS or run.first_day is None:
        since = f" (since {day_text(run.first_day, year=False)})" if run.first_day else ""
        return (
            f"the register shows {run.days} school day{'s' * (run.days != 1)} in a row of "
            f"unauthorised absence{since}; this ground needs {CONTINUOUS_ABSENCE_DAYS}"
        )
    return "; ".join(_enquiry_problems(session, pupil, run.first_day))


def _leave_problem(
    session: Session, calendar: SchoolCalendar, pupil: Pupil, run: AbsenceRun, day: date
) -> str:
    ended = session.scalar(
        select(func.max(LeaveRequest.end_date)).where(
            LeaveRequest.pupil_id == pupil.id,
            LeaveRequest.status == "granted",
            LeaveRequest.end_date < day,
        )
    )
    if ended is None:
        return "no leave of absence granted to this pupil has ended"
    after = calendar.school_days(calendar.next_school_day(ended) or ended, run.last_day or ended)
    if (
        run.first_day is None
        or run.first_day > (calendar.next_school_day(ended) or ended)
        or len(after) < DAYS_AFTER_LEAVE
    ):
        return (
            f"the leave ended on {day_text(ended)}; the register does not show "
            f"{DAYS_AFTER_LEAVE} school days of unauthorised absence straight after it"
        )
    return "; ".join(_enquiry_problems(session, pupil, ended))
