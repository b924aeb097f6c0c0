"""The pupil directory service: who is listed, in what order, with which figures and contacts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from attendance_desk.access.auth import office_user
from attendance_desk.models import Contact, Pupil
from attendance_desk.pupils import directory as pupil_directory
from tests.helpers.builders import add_pupil, build_school, mark_days

TODAY = date(2025, 9, 12)  # a Friday in the second week of the autumn term


@pytest.fixture
def school(session: Session) -> list[Pupil]:
    """Four pupils on roll in two groups, and one who left in the summer."""
    build_school(session)
    pupils = [
        add_pupil(session, 1, surname="Okafor", forename="Chidi", group="3A"),
        add_pupil(session, 2, surname="adams", forename="Zoe", group="3B"),
        add_pupil(session, 3, surname="Brown", forename="Alexander", group="3A"),
        add_pupil(session, 4, surname="Brown", forename="Ben", group="3B"),
    ]
    pupils[2].preferred_forename = "Sandy"
    leaver = add_pupil(session, 5, surname="Gone", group="3A", on_roll_from=date(2024, 9, 4))
    leaver.on_roll_to = date(2025, 7, 22)
    session.commit()
    return pupils


def names(rows: list[pupil_directory.PupilRow]) -> list[str]:
    return [r.name for r in rows]


def test_lists_pupils_on_roll_by_surname_then_forename(session: Session, school: list[Pupil]):
    """Pupils come sorted by surname (ignoring case), then by the forename the office uses."""
    rows = pupil_directory.list_pupils(session, today=TODAY)
    assert names(rows) == ["Zoe adams", "Ben Brown", "Sandy Brown", "Chidi Okafor"]


def test_pupils_off_roll_today_are_left_out(session: Session, school: list[Pupil]):
    """A leaver, and a pupil who joins after today, are not listed."""
    add_pupil(session, 6, surname="Newcomer", on_roll_from=date(2025, 9, 15))
    session.commit()
    rows = pupil_directory.list_pupils(session, today=TODAY)
    assert "Amy Gone" not in names(rows)
    assert "Amy Newcomer" not in names(rows)
    assert "Amy Newcomer" in names(pupil_directory.list_pupils(session, today=date(2025, 9, 15)))


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("brown", ["Ben Brown", "Sandy Brown"]),
        ("ROW", ["Ben Brown", "Sandy Brown"]),
        ("sandy", ["Sandy Brown"]),
        ("alexander", ["Sandy Brown"]),
        ("3b", ["Zoe adams", "Ben Brown"]),
        ("3a brown", ["Sandy Brown"]),
        ("nobody", []),
        ("  ", ["Zoe adams", "Ben Brown", "Sandy Brown", "Chidi Okafor"]),
    ],
)
def test_search_matches_names_and_groups(
    session: Session, school: list[Pupil], search: str, expected: list[str]
):
    """Every word must match a surname, legal or preferred forename, UPN or group."""
    assert names(pupil_directory.list_pupils(session, today=TODAY, search=search)) == expected


def test_search_matches_part_of_a_upn(session: Session, school: list[Pupil]):
    """Typing the end of a UPN finds that pupil."""
    upn = school[0].upn
    rows = pupil_directory.list_pupils(session, today=TODAY, search=upn[-5:].lower())
    assert [r.upn for r in rows] == [upn]


def test_search_wildcards_are_literal(session: Session, school: list[Pupil]):
    """A % or _ typed in the search box matches itself, not everything."""
    assert pupil_directory.list_pupils(session, today=TODAY, search="%") == []
    assert pupil_directory.list_pupils(session, today=TODAY, search="_") == []


def test_attendance_is_this_academic_year_up_to_today(session: Session, school: list[Pupil]):
    """8 present and 2 ill of 10 sessions is 80 % and persistent; marks after today don't count."""
    user = office_user(session)
    chidi, zoe = school[0], school[1]
    days = [date(2025, 9, d) for d in (8, 9, 10, 11, 12)]
    marks = {(d, s): "/" if s == "AM" else "\\" for d in days for s in ("AM", "PM")}
    marks[(days[0], "AM")] = "I"
    marks[(days[0], "PM")] = "I"
    mark_days(session, chidi, user, marks)
    mark_days(session, zoe, user, {(days[0], "AM"): "/", (days[0], "PM"): "D"})
    mark_days(session, zoe, user, {(date(2025, 9, 15), "AM"): "O"})
    session.commit()

    rows = {r.name: r for r in pupil_directory.list_pupils(session, today=TODAY)}
    assert rows["Chidi Okafor"].attendance_pct == pytest.approx(80.0)
    assert rows["Chidi Okafor"].persistent and not rows["Chidi Okafor"].severe
    assert rows["Zoe adams"].attendance_pct == pytest.approx(100.0)
    assert not rows["Zoe adams"].persistent
    assert rows["Ben Brown"].attendance_pct is None


def test_attendance_with_a_search_counts_only_the_found_pupils(
    session: Session, school: list[Pupil]
):
    """A filtered list carries the year's figures for the pupils it finds."""
    monday = date(2025, 9, 8)
    mark_days(session, school[0], office_user(session), {(monday, "AM"): "/", (monday, "PM"): "G"})
    mark_days(session, school[1], office_user(session), {(monday, "AM"): "/", (monday, "PM"): "/"})
    session.commit()
    (row,) = pupil_directory.list_pupils(session, today=TODAY, search="okafor")
    assert row.attendance_pct == pytest.approx(50.0)
    assert row.severe


def test_contacts_come_in_priority_order(session: Session, school: list[Pupil]):
    """Contacts are listed priority 1 first, whatever order they were added in."""
    chidi = school[0]
    grace = Contact(
        priority=3,
        name="Grace Okafor",
        relationship_to_pupil="Grandmother",
        phone="01632 960001",
        do_not_contact=True,
    )
    chidi.contacts.append(grace)
    sarah, david = chidi.contacts[0], chidi.contacts[1]
    # Swap the parents one statement at a time: (pupil, priority) is unique.
    for contact, priority in ((sarah, 9), (david, 1), (sarah, 2)):
        contact.priority = priority
        session.flush()
    session.commit()
    session.expire_all()

    (row,) = pupil_directory.list_pupils(session, today=TODAY, search="chidi")
    assert [(c.priority, c.name) for c in row.contacts] == [
        (1, "David Okafor"),
        (2, "Sarah Okafor"),
        (3, "Grace Okafor"),
    ]
    last = row.contacts[2]
    assert last.do_not_contact and not last.parental_responsibility
    assert (last.relationship, last.phone) == ("Grandmother", "01632 960001")


def test_row_carries_names_groups_and_flags(session: Session, school: list[Pupil]):
    """A row says the preferred and legal names, year, group and flags in a fixed order."""
    sandy = school[2]
    sandy.fsm = sandy.cp = sandy.cla = sandy.vulnerable = True
    sandy.social_worker = "J. Patel"
    session.commit()
    (row,) = pupil_directory.list_pupils(session, today=TODAY, search="sandy")
    assert (row.name, row.legal_name) == ("Sandy Brown", "Alexander Brown")
    assert (row.year_group, row.year_name, row.reg_group) == ("3", "Year 3", "3A")
    assert row.flags == "CP CLA FSM"
    assert row.vulnerable and row.social_worker == "J. Patel"
    assert row.date_of_birth == date(2017, 5, 1)


def test_listing_takes_three_queries(session: Session, school: list[Pupil]):
    """Pupils with groups, their contacts, and the figures: three statements, however many rows."""
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        session.expire_all()
        rows = pupil_directory.list_pupils(session, today=TODAY)
        _ = [(r.contacts, r.reg_group, r.year_group) for r in rows]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 3


def test_school_title_and_emptiness(session: Session):
    """No school and no pupils at first; then the school's name, and not empty."""
    assert pupil_directory.school_title(session) is None
    assert pupil_directory.is_empty(session)
    build_school(session, name="Riverside Academy")
    assert pupil_directory.school_title(session) == "Riverside Academy"
    assert pupil_directory.is_empty(session)
    add_pupil(session, 1)
    session.commit()
    assert not pupil_directory.is_empty(session)


def test_year_start_is_the_first_of_august():
    """The academic year runs from 1 August, so July belongs to the year before."""
    assert pupil_directory.year_start(date(2025, 9, 12)) == date(2025, 8, 1)
    assert pupil_directory.year_start(date(2026, 7, 20)) == date(2025, 8, 1)
    assert pupil_directory.year_start(date(2025, 8, 1)) == date(2025, 8, 1)
