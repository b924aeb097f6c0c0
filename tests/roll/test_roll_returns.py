"""The LA's returns: the worklist actions for new pupils and deletions, and the deletion
return PDF read back with pypdf."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.followup.roll_actions import DELETION, NEW_PUPIL, close_roll_action
from attendance_desk.followup.rules import Action, actions_for_day
from attendance_desk.models import ActionOutcome, Pupil, RollChange, User
from attendance_desk.printing.deletion_return import render_deletion_return
from attendance_desk.roll import changes as roll
from tests.helpers.builders import add_pupil, build_school, make_upn
from tests.printing.pdftext import pages

MONDAY = date(2025, 11, 10)
NOW = datetime(2025, 11, 10, 10, 0)


@pytest.fixture
def school(session: Session) -> User:
    _, user = build_school(session)
    session.commit()
    return user


def admit(session: Session, user: User) -> Pupil:
    pupil = roll.admit(
        session,
        upn=make_upn(60),
        legal_surname="Baker",
        legal_forename="Tom",
        date_of_birth=date(2017, 2, 3),
        year_group="3",
        reg_group="3A",
        start_date=MONDAY,
        user=user,
        now=NOW,
    )
    session.commit()
    return pupil


def roll_actions(session: Session, day: date) -> list[Action]:
    return [a for a in actions_for_day(session, day) if a.kind in (NEW_PUPIL, DELETION)]


def test_new_pupil_action_until_the_la_is_told(session: Session, school: User) -> None:
    """On the list from the start date, due 5 calendar days later, gone once Done."""
    admit(session, school)
    assert roll_actions(session, MONDAY - date.resolution) == []
    (action,) = roll_actions(session, MONDAY)
    assert action.kind == NEW_PUPIL and action.name == "Tom Baker"
    assert action.due == date(2025, 11, 15)
    assert "by the end of Sat 15 Nov, 5 days after entry on Mon 10 Nov" in action.detail
    assert not action.detail.startswith("OVERDUE")
    close_roll_action(
        session, action=action, done=True, note="Emailed the return", user=school, now=NOW
    )
    session.commit()
    change = session.scalar(select(RollChange))
    assert change is not None and change.la_notified_on == MONDAY
    assert roll_actions(session, MONDAY) == []
    assert roll_actions(session, date(2025, 11, 20)) == []


def test_new_pupil_action_overdue_after_five_days(session: Session, school: User) -> None:
    """Still untold on Monday 17 Nov: flagged overdue since Saturday 15."""
    admit(session, school)
    (action,) = roll_actions(session, date(2025, 11, 17))
    assert action.detail.startswith("OVERDUE since Sat 15 Nov")


def test_dismissing_leaves_la_notified_empty(session: Session, school: User) -> None:
    """Dismiss closes the action with its reason but does not claim the LA was told."""
    admit(session, school)
    (action,) = roll_actions(session, MONDAY)
    close_roll_action(
        session, action=action, done=False, note="LA does not want these", user=school, now=NOW
    )
    session.commit()
    assert roll_actions(session, MONDAY) == []
    assert session.scalar(select(RollChange.la_notified_on)) is None
    assert session.scalar(select(ActionOutcome.status)) == "dismissed"


@pytest.fixture
def removal(session: Session, school: User) -> RollChange:
    pupil = add_pupil(session, 1, surname="Adams", forename="Amy", sex="F")
    pupil.address = "4 Mill Lane, Hilltown HT1 2AB"
    pupil.contacts[0].address = "4 Mill Lane, Hilltown HT1 2AB"
    change = roll.remove(
        session,
        pupil_id=pupil.id,
        ground="another_school",
        effective_on=MONDAY,
        details="Started at Elm Park on 10 Nov; confirmed by their office",
        destination_school="Elm Park Primary",
        destination_address="Park Road, Elmtown EL1 1AA",
        user=school,
        now=NOW,
    )
    session.commit()
    return change


def test_deletion_return_action(session: Session, removal: RollChange, school: User) -> None:
    """The deletion return is due on the date of deletion and stays (overdue) until sent."""
    (action,) = roll_actions(session, MONDAY)
    assert action.kind == DELETION and action.due == MONDAY
    assert "9(1)(a) Registered at another school" in action.detail
    (later,) = roll_actions(session, date(2025, 11, 12))
    assert later.detail.startswith("OVERDUE since Mon 10 Nov")
    close_roll_action(session, action=later, done=True, note="Sent", user=school, now=NOW)
    assert roll_actions(session, date(2025, 11, 12)) == []


def test_deletion_return_pdf_has_the_required_fields(session: Session, removal: RollChange) -> None:
    """School numbers, the pupil, the parents, the ground, the date and the destination."""
    text = " ".join(pages(render_deletion_return(session, removal.id, now=NOW)))
    text = " ".join(text.split())
    for expected in (
        "Hillside Primary",
        "123456",
        "201/2000",
        "Amy Adams",
        "Monday 1 May 2017",
        make_upn(1),
        "Female",
        "4 Mill Lane, Hilltown HT1 2AB",
        "Sarah Adams",
        "07700 900001",
        "David Adams",
        "07700 900002",
        "Regulation 9(1)(a): Registered at another school",
        "Monday 10 November 2025",
        "Elm Park Primary",
        "Park Road, Elmtown EL1 1AA",
        "confirmed by their office",
        "School office, 10 Nov 2025 10:00",
    ):
        assert expected in text, expected


def test_no_return_for_the_lowest_year_joining_at_the_start_of_the_year(
    session: Session, school: User
) -> None:
    """Reception starters on the first day are the standard transition: no LA return; a
    year 3 pupil starting the same day, or a Reception pupil joining later, still needs one."""
    add_pupil(session, 1, year="R", group="RA")
    session.commit()
    first_day = date(2025, 9, 3)
    for serial, year, group, start in (
        (61, "R", "RA", first_day),
        (62, "3", "3A", first_day),
        (63, "R", "RA", date(2025, 9, 8)),
    ):
        roll.admit(
            session,
            upn=make_upn(serial),
            legal_surname="Baker",
            legal_forename=f"Child{serial}",
            date_of_birth=date(2020, 2, 3) if year == "R" else date(2017, 2, 3),
            year_group=year,
            reg_group=group,
            start_date=start,
            user=school,
            now=datetime(2025, 9, 1, 9, 0),
        )
    session.commit()
    names = sorted(a.name for a in roll_actions(session, date(2025, 9, 8)))
    assert names == ["Child62 Baker", "Child63 Baker"]
