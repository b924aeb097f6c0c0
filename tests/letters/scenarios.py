"""Hand-built pathway scenarios on the builders' autumn 2025 calendar."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from attendance_desk.models import Pupil, User
from attendance_desk.school.calendar import SchoolCalendar
from tests.helpers.builders import CLOSURES, TERMS, mark_days

CAL = SchoolCalendar(tuple(TERMS), tuple(CLOSURES))
#: Monday 29 September: 17 school days (34 sessions) are on record before it.
LETTER_DAY = date(2025, 9, 29)
MOTHER_ADDRESS = "12 Elm Road, Sparkhill, Birmingham B11 3XY"
FATHER_ADDRESS = "Flat 4, 88 Stratford Road\nSparkbrook\nBirmingham B11 1AN"


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def attend(
    session: Session,
    pupil: Pupil,
    user: User,
    start: date,
    end: date,
    *,
    absent_every: int = 0,
    code: str = "O",
) -> None:
    """Marks for every school day from `start` to `end`: present, except every
    `absent_every`-th day (the first of each run) absent all day with `code`."""
    marks = {}
    for i, day in enumerate(CAL.school_days(start, end)):
        away = absent_every and i % absent_every == 0
        marks[(day, "AM")] = code if away else "/"
        marks[(day, "PM")] = code if away else "\\"
    mark_days(session, pupil, user, marks)


def give_addresses(pupil: Pupil) -> None:
    """Each parent at their own address, as separated parents are."""
    pupil.contacts[0].address = MOTHER_ADDRESS
    pupil.contacts[1].address = FATHER_ADDRESS
