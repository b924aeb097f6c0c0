"""A pupil's time on roll asked two ways: of a loaded pupil, and in a query."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.models import Pupil
from attendance_desk.models.pupils import display_name
from tests.helpers.builders import add_pupil, build_school


def test_the_query_finds_the_pupils_on_roll_that_on_roll_names(session: Session) -> None:
    """`Pupil.on_roll_between` in a query picks, day by day and over a range, exactly the
    pupils `Pupil.on_roll` says were on roll: joined later, left, left on the day itself."""
    build_school(session)
    steady = add_pupil(session, 1)
    joiner = add_pupil(session, 2, on_roll_from=date(2025, 10, 6))
    leaver = add_pupil(session, 3, on_roll_to=date(2025, 10, 3))
    pupils = [steady, joiner, leaver]
    session.commit()
    for offset in range(-40, 60, 3):
        day = date(2025, 10, 3) + timedelta(days=offset)
        found = set(session.scalars(select(Pupil.id).where(Pupil.on_roll_between(day, day))))
        assert found == {p.id for p in pupils if p.on_roll(day)}, day
    autumn = select(Pupil.id).where(Pupil.on_roll_between(date(2025, 9, 1), date(2025, 9, 30)))
    assert set(session.scalars(autumn)) == {steady.id, leaver.id}
    october = select(Pupil.id).where(Pupil.on_roll_between(date(2025, 10, 4), date(2025, 10, 5)))
    assert set(session.scalars(october)) == {steady.id}


def test_a_name_from_plain_columns_is_the_loaded_pupils_name(session: Session) -> None:
    """The name read from plain columns is `display_name`'s: the preferred forename when
    there is one, else the legal forename, then the surname."""
    build_school(session)
    named = add_pupil(session, 1, forename="Amelia", surname="Lloyd", preferred_forename="Millie")
    plain = add_pupil(session, 2, forename="Oliver", surname="Green")
    assert display_name("Millie", "Amelia", "Lloyd") == named.display_name == "Millie Lloyd"
    assert display_name(None, "Oliver", "Green") == plain.display_name == "Oliver Green"
