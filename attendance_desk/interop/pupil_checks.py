"""Checks of a pupils file against what is stored and against itself, beyond single cells.

Each catches an import that would otherwise succeed and leave the record wrong: a start
date after marks the pupil already has (`check` would then find marks off roll), an
admission number another pupil holds, a year group that does not fit the date of birth
(only a warning: some children are taught out of their year group).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.interop import fields, mis_values
from attendance_desk.interop.csv_io import Row
from attendance_desk.models import Mark, Pupil
from attendance_desk.school.term_dates import academic_year_name, academic_year_of

#: The years a roll date may fall in (those of a school calendar).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
#: NC year by age on the 31 August before the school year starts.
_YEAR_BY_AGE = {2: "N1", 3: "N2", 4: "R", **{age: str(age - 4) for age in range(5, 18)}}


def expected_year(date_of_birth: date, today: date) -> str | None:
    """The National Curriculum year a child born then is in during `today`'s school year
    (None for an age outside nursery to Year 13)."""
    start = academic_year_of(today)
    age = start - date_of_birth.year - ((date_of_birth.month, date_of_birth.day) > (8, 31))
    return _YEAR_BY_AGE.get(age)


def year_warning(year: str, date_of_birth: date, today: date) -> str | None:
    """A warning when `year` is not the year group the date of birth gives (else None)."""
    expected = expected_year(date_of_birth, today)
    if expected == year:
        return None
    school_year = academic_year_name(academic_year_of(today))
    by_age = f"Year {expected}" if expected and expected[0].isdigit() else expected
    if expected is None:
        return f"born {date_of_birth}, too young or old for school in {school_year}: check it"
    return (
        f"born {date_of_birth}, so {by_age} by age in {school_year}, not {_name(year)}: "
        "check the year group (a pupil taught out of their year group is fine)"
    )


def _name(year: str) -> str:
    return f"Year {year}" if year[0].isdigit() else year


def roll_date(text: str) -> date:
    """A date on or off roll, in the years a school calendar covers."""
    day = fields.mis_date(text)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise fields.FieldError(f"{day} is not in the years {FIRST_DAY.year} to {LAST_DAY.year}")
    return day


def marks_span(session: Session) -> dict[int, tuple[date, date]]:
    """Each pupil's first and last marked day (pupils with marks only)."""
    query = select(Mark.pupil_id, func.min(Mark.date), func.max(Mark.date)).group_by(Mark.pupil_id)
    return {pupil_id: (first, last) for pupil_id, first, last in session.execute(query)}


def roll_problem(
    span: tuple[date, date] | None, roll_from: date | None, roll_to: date | None
) -> tuple[str, str] | None:
    """(column, problem) when new roll dates would leave some of a pupil's marks off roll."""
    if span is None:
        return None
    first, last = span
    if roll_from is not None and roll_from > first:
        return (
            "on_roll_from",
            f"{roll_from} is after this pupil's first mark ({first}); those marks would fall "
            "outside their time on roll",
        )
    if roll_to is not None and roll_to < last:
        return (
            "on_roll_to",
            f"{roll_to} is before this pupil's last mark ({last}); those marks would fall "
            "outside their time on roll",
        )
    return None


def admission_numbers(session: Session) -> dict[str, Pupil]:
    """Stored pupils by admission number."""
    query = select(Pupil).where(Pupil.admission_number.is_not(None))
    return {p.admission_number: p for p in session.scalars(query) if p.admission_number}


def admission_number_problem(
    check: fields.RowCheck,
    number: str | None,
    upn: str | None,
    stored: dict[str, Pupil],
    seen: dict[str, int],
) -> None:
    """An admission number names one pupil: not twice in the file, not another's here."""
    if not number:
        return
    if number in seen:
        check.bad("admission_number", f"{number} is also on line {seen[number]}")
        return
    seen[number] = check.row.line
    holder = stored.get(number)
    if holder is not None and holder.upn != upn:
        check.bad(
            "admission_number",
            f"{number} is {holder.upn}'s ({holder.display_name}); change theirs first",
        )


def read_sen(check: fields.RowCheck, row: Row, values: dict[str, Any]) -> None:
    """SEN provision from `sen` (a census code, words or Y/N) and an `ehcp` flag, which
    must agree: an EHC plan is SEN provision, and SEN support is not a plan."""
    provision = check.value("sen", mis_values.sen_provision) if row["sen"] else None
    plan = values.get("ehcp")
    if provision is not None:
        values["sen"] = provision.sen
        if provision.ehcp is not None:
            if plan is not None and plan != provision.ehcp:
                said = "an EHC plan" if plan else "no EHC plan"
                check.bad("ehcp", f"says {said}, but sen says '{row['sen']}'")
            values["ehcp"] = provision.ehcp
        elif plan:
            values["ehcp"] = True
    elif plan:
        values["sen"] = True
