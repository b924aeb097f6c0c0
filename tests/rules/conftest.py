"""A small school on the builders' autumn 2025 calendar, with a DSL and a receptionist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from attendance_desk.access.permissions import Role
from attendance_desk.models import Pupil, User
from tests.helpers.builders import add_pupil, build_school, mark_days

BOTH = ("AM", "PM")


@dataclass
class School:
    """The test school: its database session, the office account and named staff."""

    session: Session
    office: User
    staff: dict[str, User]

    def pupil(self, serial: int, **flags: object) -> Pupil:
        return add_pupil(self.session, serial, **flags)

    def mark(
        self, pupil: Pupil, days: list[date], code: str, sessions: tuple[str, ...] = BOTH
    ) -> None:
        """The same code for every session of every day given."""
        mark_days(self.session, pupil, self.office, {(d, s): code for d in days for s in sessions})

    def present(self, pupil: Pupil, days: list[date]) -> None:
        mark_days(
            self.session,
            pupil,
            self.office,
            {(d, s): "/" if s == "AM" else "\\" for d in days for s in BOTH},
        )


#: One member of staff for each role (no passwords: these tests are not about logging in).
STAFF = {
    "pat": Role.ADMIN,
    "dina": Role.DSL,
    "dave": Role.DEPUTY_DSL,
    "hana": Role.HEAD,
    "olly": Role.ATTENDANCE_OFFICER,
    "rita": Role.RECEPTIONIST,
    "tess": Role.TEACHER,
}


@pytest.fixture
def school(session: Session) -> School:
    _, office = build_school(session)
    staff = {
        name: User(username=name, full_name=name.capitalize(), position=role.value, role=role)
        for name, role in STAFF.items()
    }
    session.add_all(staff.values())
    session.commit()
    return School(session, office, staff)
