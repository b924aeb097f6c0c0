"""The call list: order by risk and day, next contact after a failure, answers recorded."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk import cli
from attendance_desk.desk.calls import CALL_KINDS, CallError, call_list, log_attempt, record_answer
from attendance_desk.followup.outcomes import close_action
from attendance_desk.followup.rules import actions_for_day
from attendance_desk.models import Mark
from attendance_desk.store.db import Location
from tests.helpers.builders import add_pupil, add_staff, build_school, mark_days
from tests.helpers.cli import log_in_as

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


FRI, NEXT_MON = date(2025, 9, 12), date(2025, 9, 15)
MONDAY_MORNING = datetime(2025, 9, 15, 8, 30)


def test_fridays_unfinished_call_is_on_the_list_on_monday_morning(session: Session) -> None:
    """Before Monday's registers, Friday's first-day call (nobody rang) is still due: it is on
    the call list, overdue since Friday, exactly as the worklist has it."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    mark_days(session, amy, user, {(FRI, "AM"): "N", (FRI, "PM"): "N"})
    (row,) = call_list(session, MONDAY_MORNING)
    assert (row.name, row.day, row.first_day, row.overdue_since) == ("Amy Adams", 1, FRI, FRI)
    assert row.kinds == ("first_day_call",)
    calls = [a for a in actions_for_day(session, NEXT_MON) if a.kind in CALL_KINDS]
    assert [(a.pupil_id, a.kind, a.due) for a in calls] == [(amy.id, "first_day_call", FRI)]


def test_todays_call_is_not_overdue(session: Session) -> None:
    """A first-day call for today has no overdue date."""
    _, user = build_school(session)
    amy = add_pupil(session, 1)
    mark_days(session, amy, user, {(TUE, "AM"): "N"})
    assert call_list(session, NOW)[0].overdue_since is None


def test_the_list_is_the_worklists_open_calls(session: Session) -> None:
    """Every first-day call and call-all-contacts action on the worklist is a row, in the
    worklist's order; a call closed on the worklist leaves the list too."""
    _, user = build_school(session)
    ann = add_pupil(session, 1, surname="Archer", forename="Ann")
    bob = add_pupil(session, 2, surname="Brown", forename="Bob")
    cat = add_pupil(session, 3, surname="Cole", forename="Cat", cla=True)
    mark_days(session, bob, user, {(MON, "AM"): "N", (TUE, "AM"): "N"})
    mark_days(session, ann, user, {(TUE, "AM"): "N"})
    mark_days(session, cat, user, {(TUE, "AM"): "N"})
    actions = [a for a in actions_for_day(session, TUE) if a.kind in CALL_KINDS]
    rows = call_list(session, NOW)
    assert [r.pupil_id for r in rows] == list(dict.fromkeys(a.pupil_id for a in actions))
    assert [(r.name, r.kinds) for r in rows] == [
        ("Cat Cole", ("first_day_call",)),
        ("Bob Brown", ("call_all_contacts",)),
        ("Ann Archer", ("first_day_call",)),
    ]
    ann_call = next(a for a in actions if a.pupil_id == ann.id)
    close_action(session, action=ann_call, done=True, note="spoke to dad", user=user, now=NOW)
    assert [r.name for r in call_list(session, NOW)] == ["Cat Cole", "Bob Brown"]


def test_answering_an_overdue_call_covers_the_day_it_was_due(session: Session) -> None:
    """Mum answers on Monday morning for Friday's absence: Friday's N becomes I with her
    reason, and the call leaves the list."""
    _, user = build_school(session)
    amy = add_pupil(session, 1)
    mark_days(session, amy, user, {(FRI, "AM"): "N", (FRI, "PM"): "N"})
    row = call_list(session, MONDAY_MORNING)[0]
    record_answer(
        session,
        pupil_id=amy.id,
        contact_id=amy.contacts[0].id,
        code="I",
        reason="sickness bug since Friday",
        user=user,
        now=MONDAY_MORNING,
        since=row.overdue_since,
    )
    friday = {m.session: m.code for m in session.scalars(select(Mark).where(Mark.date == FRI))}
    assert friday == {"AM": "I", "PM": "I"}
    assert call_list(session, MONDAY_MORNING) == []


def test_all_contacts_tried_on_day_one_leaves_the_list(session: Session) -> None:
    """When both parents have been rung without an answer the first-day call is over (the
    DSL alert takes its place on the worklist), so the child leaves the call list."""
    _, user = build_school(session)
    amy = add_pupil(session, 1)
    mark_days(session, amy, user, {(TUE, "AM"): "N"})
    for contact in amy.contacts:
        log_attempt(
            session, pupil_id=amy.id, contact_id=contact.id, outcome="no_answer", user=user, now=NOW
        )
    assert call_list(session, NOW) == []
    assert "dsl_alert" in {a.kind for a in actions_for_day(session, TUE)}


def test_calls_json_matches_the_panel(
    session: Session,
    db_path: Location,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`calls --date … --at … --json` prints the panel's rows, in order, in the documented
    shape, with Friday's call overdue and the contact already tried marked."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    ben = add_pupil(session, 2, surname="Baker", forename="Ben", cp=True)
    mark_days(session, amy, user, {(FRI, "AM"): "N"})
    mark_days(session, ben, user, {(FRI, "AM"): "N"})
    log_attempt(
        session,
        pupil_id=amy.id,
        contact_id=amy.contacts[0].id,
        outcome="no_answer",
        user=user,
        now=datetime(2025, 9, 12, 9, 40),
    )
    add_staff(session, pat="admin", rita="receptionist")
    session.commit()
    log_in_as(monkeypatch, "rita")
    code = cli.main(
        ["--db", str(db_path), "calls", "--date", "2025-09-15", "--at", "08:30", "--json"]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert [(r["upn"], r["name"], r["group"], r["day"], r["overdue_since"]) for r in out] == [
        (ben.upn, "Ben Baker", "3A", 1, "2025-09-12"),
        (amy.upn, "Amy Adams", "3A", 1, "2025-09-12"),
    ]
    assert out[1]["contact_made"] is False
    assert out[1]["contacts"] == [
        {"name": "Sarah Adams", "priority": 1, "phone": "07700 900001", "tried": True},
        {"name": "David Adams", "priority": 2, "phone": "07700 900002", "tried": False},
    ]
    assert [r.upn for r in call_list(session, MONDAY_MORNING)] == [r["upn"] for r in out]
