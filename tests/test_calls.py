"""The call list: order by risk and day, next contact after a failure, answers recorded."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.calls import CallError, call_list, log_attempt, record_answer
from attendance_desk.models import Mark
from tests.helpers.builders import add_pupil, build_school, mark_days

MON, TUE = date(2025, 9, 8), date(2025, 9, 9)
NOW = datetime(2025, 9, 9, 9, 35)


def test_order_is_risk_then_day_then_name(session: Session) -> None:
    """CP first, then the longer absence, then by name; present pupils are not listed."""
    _, user = build_school(session)
    ann = add_pupil(session, 1, surname="Archer", forename="Ann")
    bob = add_pupil(session, 2, surname="Brown", forename="Bob")
    cat = add_pupil(session, 3, surname="Cole", forename="Cat", cp=True)
    dan = add_pupil(session, 4, surname="Dale", forename="Dan")
    mark_days(session, bob, user, {(MON, "AM"): "N", (TUE, "AM"): "N"})
    mark_days(session, ann, user, {(TUE, "AM"): "N"})
    mark_days(session, cat, user, {(TUE, "AM"): "N"})
    mark_days(session, dan, user, {(TUE, "AM"): "/"})
    rows = call_list(session, NOW)
    assert [(r.name, r.day) for r in rows] == [("Cat Cole", 1), ("Bob Brown", 2), ("Ann Archer", 1)]
    assert rows[0].flags == "CP"


def test_failed_call_brings_up_the_next_contact(session: Session) -> None:
    """No answer from contact 1 puts contact 2 next; a text alone does not."""
    _, user = build_school(session)
    amy = add_pupil(session, 1)
    mark_days(session, amy, user, {(TUE, "AM"): "N"})
    first, second = amy.contacts
    log_attempt(
        session, pupil_id=amy.id, contact_id=first.id, outcome="text_sent", user=user, now=NOW
    )
    assert call_list(session, NOW)[0].next_contact.contact_id == first.id  # type: ignore[union-attr]
    log_attempt(
        session, pupil_id=amy.id, contact_id=first.id, outcome="no_answer", user=user, now=NOW
    )
    row = call_list(session, NOW)[0]
    assert row.next_contact.contact_id == second.id  # type: ignore[union-attr]
    assert [a.outcome for a in row.contacts[0].attempts] == ["text_sent", "no_answer"]


def test_do_not_contact_is_skipped_and_refused(session: Session) -> None:
    """A contact marked do-not-contact is never offered and cannot be logged as called."""
    _, user = build_school(session)
    amy = add_pupil(session, 1)
    amy.contacts[0].do_not_contact = True
    amy.contacts[0].notes = "court order"
    mark_days(session, amy, user, {(TUE, "AM"): "N"})
    assert call_list(session, NOW)[0].next_contact.priority == 2  # type: ignore[union-attr]
    with pytest.raises(CallError, match="court order"):
        log_attempt(
            session,
            pupil_id=amy.id,
            contact_id=amy.contacts[0].id,
            outcome="no_answer",
            user=user,
            now=NOW,
        )


def test_answer_codes_today_and_moves_row_down(session: Session) -> None:
    """An answer with reason I amends today's N to I (and codes the afternoon), and the
    pupil leaves the list."""
    _, user = build_school(session)
    amy = add_pupil(session, 1)
    mark_days(session, amy, user, {(TUE, "AM"): "N"})
    record_answer(
        session,
        pupil_id=amy.id,
        contact_id=amy.contacts[1].id,
        code="I",
        reason="tummy bug",
        user=user,
        now=NOW,
    )
    marks = {m.session: m.code for m in session.scalars(select(Mark))}
    assert marks == {"AM": "I", "PM": "I"}
    assert call_list(session, NOW) == []
