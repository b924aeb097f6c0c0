""" "Text sent" from the Calls panel: the held absence text and the logged attempt, together."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.desk.calls import CallError
from attendance_desk.models import ContactAttempt, OutboxMessage
from attendance_desk.outbox.call_texts import session_now, text_contact
from tests.helpers.builders import add_pupil, build_school, mark_days

TUE = date(2025, 9, 9)
NOW = datetime(2025, 9, 9, 13, 5)


def test_text_is_held_for_the_session_and_the_attempt_logged(session: Session) -> None:
    """An afternoon text to contact 1 is held for Tuesday PM, names the school, and
    "Text sent" is logged against that contact by the user."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    mark_days(session, amy, user, {(TUE, "PM"): "N"})
    first = amy.contacts[0]
    message = text_contact(session, pupil_id=amy.id, contact_id=first.id, user=user, now=NOW)
    assert (message.status, message.hold_date, message.hold_session) == ("held", TUE, "PM")
    assert message.recipient == first.phone and "this afternoon" in message.body
    attempt = session.scalars(select(ContactAttempt)).one()
    assert (attempt.contact_id, attempt.outcome, attempt.at) == (first.id, "text_sent", NOW)


def test_a_contact_not_to_be_contacted_gets_nothing(session: Session) -> None:
    """Do not contact: refused with the contact's name; no text queued, no attempt logged."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    first = amy.contacts[0]
    first.do_not_contact = True
    session.flush()
    with pytest.raises(ValueError, match=f"{first.name} must not be contacted"):
        text_contact(session, pupil_id=amy.id, contact_id=first.id, user=user, now=NOW)
    assert session.scalars(select(OutboxMessage)).all() == []
    assert session.scalars(select(ContactAttempt)).all() == []


def test_another_pupils_contact_is_refused(session: Session) -> None:
    """A contact id belonging to another child is refused before anything is queued."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    ben = add_pupil(session, 2, surname="Baker")
    with pytest.raises(CallError, match="does not belong"):
        text_contact(session, pupil_id=amy.id, contact_id=ben.contacts[0].id, user=user, now=NOW)
    assert session.scalars(select(OutboxMessage)).all() == []


def test_noon_starts_the_afternoon_session() -> None:
    """11:59 is the morning's session, 12:00 the afternoon's."""
    assert session_now(datetime(2025, 9, 9, 11, 59)) == "AM"
    assert session_now(datetime(2025, 9, 9, 12, 0)) == "PM"
