"""A small known school for the interop tests: the autumn 2025 calendar and three pupils."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from attendance_desk.models import Pupil, User
from tests.helpers.builders import add_pupil, build_school


@pytest.fixture
def school(session: Session) -> tuple[User, list[Pupil]]:
    """The office user and pupils Adams (3A), Brown (3A) and Clarke (4B, on roll from 15 Sep)."""
    _, user = build_school(session)
    pupils = [
        add_pupil(session, 1, surname="Adams", forename="Amy"),
        add_pupil(session, 2, surname="Brown", forename="Ben"),
        add_pupil(
            session,
            3,
            surname="Clarke",
            forename="Cara",
            year="4",
            group="4B",
            on_roll_from=date(2025, 9, 15),
        ),
    ]
    session.commit()
    return user, pupils
