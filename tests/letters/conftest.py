"""A school with one pupil whose parents both have parental responsibility."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from attendance_desk.models import Pupil, User
from tests.helpers.builders import school_with
from tests.letters.scenarios import give_addresses


@pytest.fixture
def school(session: Session) -> tuple[Session, User, Pupil]:
    user, (amy,) = school_with(session, "Amy Adams")
    give_addresses(amy)
    session.commit()
    return session, user, amy
