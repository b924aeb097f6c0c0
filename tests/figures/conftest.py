"""A small school with pupils in every kind of group, shared by the property tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from attendance_desk.models import Mark, Pupil
from attendance_desk.school.calendar import SchoolCalendar, sessions_between
from attendance_desk.store.db import open_database
from tests.conftest import NewDatabase
from tests.figures.brute import MarkRow
from tests.helpers.builders import CLOSURES, TERMS, add_pupil, build_school

CALENDAR = SchoolCalendar(tuple(TERMS), tuple(CLOSURES))
#: Every session of the autumn term, both half-terms.
SLOTS = list(sessions_between(CALENDAR, date(2025, 9, 3), date(2025, 12, 19)))
DAYS = list(CALENDAR.days)

#: (surname, year, group, flags): every grouping has pupils on both sides.
PUPILS = [
    ("Adams", "3", "3A", {"sex": "F", "fsm": True, "pupil_premium": True}),
    ("Baker", "3", "3A", {"sex": "M", "sen": True}),
    ("Clark", "3", "3B", {"sex": "M", "cp": True}),
    ("Dixon", "4", "4A", {"sex": "F", "cin": True, "fsm": True}),
    ("Evans", "4", "4A", {"cla": True}),
    ("Foster", "5", "5A", {"sex": "U", "fsm": True, "sen": True, "ehcp": True}),
    ("Green", "5", "5A", {"sex": "F", "vulnerable": True}),
]


@dataclass
class SmallSchool:
    session: Session
    pupils: dict[int, Pupil]

    def replace_marks(self, marks: list[MarkRow]) -> None:
        """Delete every mark and insert these (straight into the table: only the figures
        are under test here, not the register's checks)."""
        self.session.execute(delete(Mark))
        if marks:
            self.session.execute(
                insert(Mark),
                [
                    {
                        "pupil_id": pid,
                        "date": day,
                        "session": sess,
                        "code": code,
                        "recorded_at": datetime(2025, 9, 1),
                        "version": 1,
                    }
                    for pid, day, sess, code in marks
                ],
            )
        self.session.flush()


@pytest.fixture(scope="module")
def small_school(
    tmp_path_factory: pytest.TempPathFactory, new_database: NewDatabase
) -> Iterator[SmallSchool]:
    factory = open_database(new_database(tmp_path_factory.mktemp("figures")))
    session = factory()
    build_school(session)
    pupils = [
        add_pupil(session, n, surname=surname, year=year, group=group, **flags)
        for n, (surname, year, group, flags) in enumerate(PUPILS, start=1)
    ]
    session.commit()
    yield SmallSchool(session, {p.id: p for p in pupils})
    session.close()
    factory.kw["bind"].dispose()
