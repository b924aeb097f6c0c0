"""PA and at-risk lists: the last follow-up for each pupil, leavers, and CSV export."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from attendance_desk.figures.lists import CSV_COLUMNS, concern_lists, write_csv
from attendance_desk.models import ActionOutcome, ContactAttempt, Pupil, User
from tests.figures.conftest import CALENDAR
from tests.helpers.builders import add_pupil, build_school, mark_days

START, END = date(2025, 9, 1), date(2025, 10, 24)
#: Whoever reads the lists (only the role matters to them).
OFFICE = User(
    username="office", full_name="School office", position="Office", role="admin", active=True
)


def _sessions(n: int) -> list[tuple[date, str]]:
    days = CALENDAR.school_days(date(2025, 9, 3), END)
    return [(d, s) for d in days for s in ("AM", "PM")][:n]


def _with_absences(session: Session, user: User, pupil: Pupil, absent: dict[int, str]) -> None:
    """50 sessions, present except those numbered in `absent`."""
    marks = {
        slot: absent.get(i, "/" if slot[1] == "AM" else "\\")
        for i, slot in enumerate(_sessions(50))
    }
    mark_days(session, pupil, user, marks)


def _school(session: Session) -> tuple[Pupil, Pupil, Pupil]:
    """Amy: 6 of 50 missed (PA, 88 %); Ben: 4 of 50 (at risk, 92 %); Cal: 1 of 50 (fine)."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Smith", forename="Amy")
    ben = add_pupil(session, 2, surname="Jones", forename="Ben", group="3B")
    cal = add_pupil(session, 3, surname="Khan", forename="Cal")
    _with_absences(session, user, amy, {0: "O", 1: "O", 2: "G", 3: "I", 4: "I", 5: "N"})
    _with_absences(session, user, ben, {10: "I", 11: "I", 12: "M", 13: "U"})
    _with_absences(session, user, cal, {20: "I"})
    session.commit()
    return amy, ben, cal


def test_lists_hold_the_right_pupils(session: Session) -> None:
    """88 % is on the PA list with its unauthorised sessions; 92 % is at risk; 98 % is on
    neither; nobody has a pathway stage yet."""
    amy, ben, _ = _school(session)
    found = concern_lists(session, START, END, viewer=OFFICE)
    assert [p.pupil_id for p in found.persistent] == [amy.id]
    assert [p.pupil_id for p in found.at_risk] == [ben.id]
    listed = found.persistent[0]
    assert (listed.name, listed.reg_group, listed.unauthorised) == ("Amy Smith", "3A", 4)
    assert listed.attendance_pct == 88.0 and not listed.severe
    assert listed.stage is None and listed.last_action is None
    assert found.at_risk[0].attendance_pct == 92.0


def test_last_action_is_the_latest_call_or_outcome(session: Session) -> None:
    """The later of a closed action and a logged call is shown, up to the time asked."""
    amy, _, _ = _school(session)
    session.add_all(
        [
            ActionOutcome(
                pupil_id=amy.id,
                kind="home_visit",
                key="2025-09-03",
                status="done",
                note="visited",
                at=datetime(2025, 9, 20, 10),
                user_name="Office",
            ),
            ContactAttempt(
                pupil_id=amy.id,
                at=datetime(2025, 10, 1, 9, 15),
                outcome="no_answer",
                user_name="Office",
            ),
        ]
    )
    session.commit()
    latest = concern_lists(session, START, END, viewer=OFFICE).persistent[0].last_action
    assert latest is not None
    assert (latest.at, latest.what) == (datetime(2025, 10, 1, 9, 15), "Contact: no answer")
    earlier = concern_lists(
        session, START, END, viewer=OFFICE, up_to=datetime(2025, 9, 30)
    ).persistent[0]
    assert earlier.last_action is not None
    assert earlier.last_action.what == "Home visits: done"


def test_leavers_are_marked(session: Session) -> None:
    """A pupil who came off roll before the range ended still counts, marked as left."""
    amy, _, _ = _school(session)
    amy.on_roll_to = date(2025, 10, 10)
    session.commit()
    assert concern_lists(session, START, END, viewer=OFFICE).persistent[0].left_on == date(
        2025, 10, 10
    )
    assert (
        concern_lists(session, START, date(2025, 10, 10), viewer=OFFICE).persistent[0].left_on
        is None
    )


def test_csv_export(session: Session, tmp_path: Path) -> None:
    """The CSV has a header and one row per pupil with figures to one decimal place."""
    _school(session)
    found = concern_lists(session, START, END, viewer=OFFICE)
    path = tmp_path / "pa.csv"
    assert write_csv(path, [*found.persistent, *found.at_risk]) == 2
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    amy = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert amy["name"] == "Amy Smith" and amy["reg_group"] == "3A" and amy["year_group"] == "3"
    assert (amy["possible_sessions"], amy["attendance_pct"]) == ("50", "88.0")
    assert (amy["authorised_sessions"], amy["unauthorised_sessions"]) == ("2", "4")
    assert (amy["severe"], amy["stage"], amy["last_action"], amy["left_on"]) == ("N", "", "", "")
    assert rows[2][1] == "Ben Jones" and rows[2][5] == "92.0"
