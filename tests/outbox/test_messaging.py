"""Queueing messages: held absence texts, the review that releases or cancels them, merge
fields and the daily summary (sending is tested in tests/outbox/)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.models import Mark, OutboxMessage
from attendance_desk.outbox import messages as messaging
from tests.helpers.builders import add_pupil, build_school, mark_days

MON = date(2025, 9, 8)
NOW = datetime(2025, 9, 8, 9, 35)


def test_texts_are_held_until_review_and_trip_is_cancelled(session: Session) -> None:
    """Two absence texts are held; after review the child recoded V gets none, the other is sent."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    ben = add_pupil(session, 2, surname="Baker")
    mark_days(session, amy, user, {(MON, "AM"): "N"})
    mark_days(session, ben, user, {(MON, "AM"): "N"})
    for pupil in (amy, ben):
        messaging.queue_absence_text(
            session,
            pupil=pupil,
            contact=pupil.contacts[0],
            day=MON,
            session_name="AM",
            school_name="Hillside",
            now=NOW,
        )
    assert {m.status for m in session.scalars(select(OutboxMessage))} == {"held"}
    trip = session.scalars(select(Mark).where(Mark.pupil_id == ben.id)).one()
    trip.code = "V"
    result = messaging.review_session(session, day=MON, session_name="AM", user=user, now=NOW)
    assert (result.released, result.cancelled) == (1, 1)
    status = {m.pupil_id: m.status for m in session.scalars(select(OutboxMessage))}
    assert status == {amy.id: "queued", ben.id: "cancelled"}
    body = session.scalars(select(OutboxMessage.body).where(OutboxMessage.pupil_id == amy.id)).one()
    assert "Hillside: Amy was not in school this morning (Mon 08 Sep)" in body


def test_after_review_new_texts_go_straight_to_queue(session: Session) -> None:
    """Once a session is reviewed, a text about it is not held."""
    _, user = build_school(session)
    amy = add_pupil(session, 1)
    messaging.review_session(session, day=MON, session_name="AM", user=user, now=NOW)
    message = messaging.queue_absence_text(
        session,
        pupil=amy,
        contact=amy.contacts[0],
        day=MON,
        session_name="AM",
        school_name="Hillside",
        now=NOW,
    )
    assert message.status == "queued"


def test_merge_leaves_unknown_fields_visible() -> None:
    """A template field with no value stays visible instead of vanishing."""
    assert messaging.merge("$pupil at $school", {"pupil": "Amy"}) == "Amy at $school"


def test_daily_summary_lists_absent_and_late(session: Session) -> None:
    """The summary email gives the figure, each absentee by group, and the lates."""
    from attendance_desk.outbox import daily_summary
    from attendance_desk.school import settings

    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    ben = add_pupil(session, 2, surname="Baker")
    mark_days(session, amy, user, {(MON, "AM"): "I", (MON, "PM"): "I"})
    mark_days(session, ben, user, {(MON, "AM"): "L", (MON, "PM"): "\\"})
    subject, body = daily_summary.summary_text(session, MON)
    assert subject == "Hillside Primary: attendance Mon 08 Sep"
    assert "Attendance on Monday 08 September 2025: 50.0%" in body
    assert "Amy Adams: AM I, PM I" in body and "Amy Smith" not in body
    assert "Amy Baker (3A) L 0 min" in body
    settings.put(
        session, settings.SUMMARY_RECIPIENTS, "head@x.example, slt@x.example", user=user, now=NOW
    )
    assert len(daily_summary.queue_summary(session, MON, NOW)) == 2
