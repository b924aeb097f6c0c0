"""Penalty notices per parent per pupil, within the national framework's limits."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from attendance_desk.letters.penalties import (
    PenaltyError,
    issue_penalty_notice,
    mark_paid,
    penalty_options,
    withdraw,
)
from attendance_desk.models import Pupil, User
from attendance_desk.pathway.stages import pathway_preset
from tests.letters.scenarios import at

RULES = pathway_preset("default").penalties


def issue(session: Session, user: User, pupil: Pupil, parent: int, day: date):  # type: ignore[no-untyped-def]
    return issue_penalty_notice(
        session,
        pupil_id=pupil.id,
        contact_id=pupil.contacts[parent].id,
        day=day,
        rules=RULES,
        user=user,
        now=at(day),
    )


def test_first_then_second_at_the_higher_rate_then_no_third(school: tuple) -> None:
    """£160 (£80 early), then £160 with no reduction within 3 years, then no more."""
    session, user, amy = school
    first = issue(session, user, amy, 0, date(2025, 10, 1))
    assert (first.rate, first.amount_pence, first.reduced_pence) == ("first", 16000, 8000)
    second = issue(session, user, amy, 0, date(2026, 3, 2))
    assert (second.rate, second.amount_pence, second.reduced_pence) == ("second", 16000, None)
    with pytest.raises(
        PenaltyError, match="2 notices within 3 years .*prosecution or other action"
    ):
        issue(session, user, amy, 0, date(2027, 1, 4))
    mother, father = penalty_options(session, pupil_id=amy.id, day=date(2027, 1, 4), rules=RULES)
    assert not mother.allowed and mother.counted == (date(2025, 10, 1), date(2026, 3, 2))
    assert father.allowed and father.rate == "first"  # each parent is counted apart


def test_the_window_is_three_years(school: tuple) -> None:
    """A notice more than three years old no longer counts: the next is a first notice again."""
    session, user, amy = school
    issue(session, user, amy, 0, date(2025, 10, 1))
    issue(session, user, amy, 0, date(2026, 3, 2))
    assert issue(session, user, amy, 0, date(2028, 10, 2)).rate == "second"  # 2025 one expired
    (option, _) = penalty_options(session, pupil_id=amy.id, day=date(2028, 10, 2), rules=RULES)
    assert not option.allowed


def test_withdrawn_notices_do_not_count(school: tuple) -> None:
    """A withdrawn notice (with a reason) is not counted; a paid one is."""
    session, user, amy = school
    one = issue(session, user, amy, 1, date(2025, 10, 1))
    with pytest.raises(PenaltyError, match="needs a reason"):
        withdraw(
            session,
            notice_id=one.id,
            day=date(2025, 10, 3),
            reason="",
            user=user,
            now=at(date(2025, 10, 3)),
        )
    withdraw(
        session,
        notice_id=one.id,
        day=date(2025, 10, 3),
        reason="Issued in error",
        user=user,
        now=at(date(2025, 10, 3)),
    )
    assert issue(session, user, amy, 1, date(2025, 11, 3)).rate == "first"
    paid = issue(session, user, amy, 1, date(2025, 11, 4))
    mark_paid(
        session, notice_id=paid.id, day=date(2025, 11, 20), user=user, now=at(date(2025, 11, 20))
    )
    assert paid.status == "paid" and paid.rate == "second"
    with pytest.raises(PenaltyError, match="already paid"):
        mark_paid(
            session,
            notice_id=paid.id,
            day=date(2025, 11, 21),
            user=user,
            now=at(date(2025, 11, 21)),
        )


def test_only_a_parent_of_this_pupil(school: tuple) -> None:
    """A contact with neither PR nor care of the child, or another pupil's parent, cannot be
    given a notice."""
    session, user, amy = school
    amy.contacts[1].parental_responsibility = False
    amy.contacts[1].lives_with = False
    with pytest.raises(PenaltyError, match="is not a parent in law"):
        issue(session, user, amy, 1, date(2025, 10, 1))
    with pytest.raises(PenaltyError, match="a parent of this pupil"):
        issue_penalty_notice(
            session,
            pupil_id=amy.id,
            contact_id=999,
            day=date(2025, 10, 1),
            rules=RULES,
            user=user,
            now=at(date(2025, 10, 1)),
        )
