"""A pupil as a letter names them: plain columns, so that the letters due to a whole school
(hundreds of pupils below the target) are named in one quick query."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.models import Pupil, RegGroup, YearGroup
from attendance_desk.models.pupils import display_name


class Named(NamedTuple):
    """A pupil as a letter names them (plain columns: quick to read for many pupils)."""

    id: int
    upn: str
    name: str
    forename: str
    year: str
    group: str
    date_of_birth: date | None


def named(pupil: Pupil) -> Named:
    """A loaded pupil, with their year and group, as a letter names them."""
    return Named(
        pupil.id,
        pupil.upn,
        pupil.display_name,
        pupil.preferred_forename or pupil.legal_forename,
        pupil.year_group.name,
        pupil.reg_group.name,
        pupil.date_of_birth,
    )


def named_on_roll(session: Session, ids: Collection[int], day: date) -> list[Named]:
    """The pupils among `ids` on roll on `day`."""
    query = (
        select(
            Pupil.id,
            Pupil.upn,
            Pupil.preferred_forename,
            Pupil.legal_forename,
            Pupil.legal_surname,
            YearGroup.name,
            RegGroup.name,
            Pupil.date_of_birth,
        )
        .join(YearGroup, YearGroup.id == Pupil.year_group_id)
        .join(RegGroup, RegGroup.id == Pupil.reg_group_id)
        .where(Pupil.id.in_(ids), Pupil.on_roll_between(day, day))
    )
    return [
        Named(
            id_, upn, display_name(preferred, legal, surname), preferred or legal, year, group, born
        )
        for id_, upn, preferred, legal, surname, year, group, born in session.connection().execute(
            query
        )
    ]
