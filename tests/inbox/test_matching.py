"""Matching a message to the pupils it is about: sender on file first, then names; a
sender not on file is never matched, however well the name fits."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from attendance_desk.inbox.directory import Directory, phone_key
from attendance_desk.inbox.proposing import Incoming, Plan, plan_proposals
from attendance_desk.school.calendar_store import load_calendar
from tests.helpers.inbox_school import Families, build_families

MONDAY = datetime(2025, 9, 8, 7, 50)


@pytest.fixture
def families(session: Session) -> Families:
    return build_families(session)


def _plans(
    session: Session, sender: str, text: str, *, name: str = "", fwd: str = ""
) -> list[Plan]:
    message = Incoming("email", sender, name, MONDAY, "", text, text, forwarded_from=fwd)
    directory = Directory.load(session, text_domain="texts.example")
    return plan_proposals(message, directory, load_calendar(session))


def test_named_child_of_a_known_sender(session: Session, families: Families) -> None:
    """Sarah names Lily: one proposal for Lily, from Sarah, coded I for today."""
    [plan] = _plans(session, "Sarah.Smith@example.com", "Lily has a temperature, keeping her home")
    assert (plan.pupil_id, plan.code, plan.kind) == (families.lily.id, "I", "report")
    assert plan.contact_id == families.lily.contacts[0].id
    assert plan.note.startswith("from Sarah Smith (Mother), a contact on file")


def test_both_girls_are_two_proposals(session: Session, families: Families) -> None:
    """ "Both girls are ill" from the Smiths is Amy and Lily, not their brother Tom."""
    plans = _plans(session, "sarah.smith@example.com", "Both girls are ill today")
    assert sorted(p.pupil_id for p in plans) == sorted([families.amy.id, families.lily.id])
    assert {p.code for p in plans} == {"I"}


def test_preferred_name_and_a_typo_match(session: Session, families: Families) -> None:
    """ "Ollie" is Oliver's preferred name; "Isabela" is one slip from Isabella."""
    [ollie] = _plans(session, "kate.jones@example.org", "Ollie has the dentist at 2pm")
    assert (ollie.pupil_id, ollie.code, ollie.span.start_session) == (families.ollie.id, "M", "PM")
    [bella] = _plans(session, "priya.patel@example.net", "Isabela is unwell")
    assert bella.pupil_id == families.isabella.id


def test_only_child_needs_no_name_and_two_children_need_one(
    session: Session, families: Families
) -> None:
    """Kate's only child is matched without a name; Priya's twins without a name are left
    for the office to choose, saying so."""
    [plan] = _plans(session, "kate.jones@example.org", "He has been sick, not in today")
    assert plan.pupil_id == families.ollie.id
    [open_] = _plans(session, "priya.patel@example.net", "She has been sick, not in today")
    assert open_.pupil_id is None
    assert open_.note == (
        "Priya Patel (Mother) is a contact for Isabella Patel and Sofia Patel: which one? Match to…"
    )


def test_text_reply_matched_by_number(session: Session, families: Families) -> None:
    """A reply through the email-to-text domain, or a gateway number with +44, is matched
    by the contact's number."""
    [by_mail] = _plans(session, "447700900102@texts.example", "Tom is poorly")
    assert by_mail.pupil_id == families.tom.id
    [by_number] = _plans(session, "+44 7700 900201", "ill today")
    assert by_number.pupil_id == families.ollie.id
    assert phone_key("+44 (0)7700 900201") != "07700900201"  # the (0) is a typing slip we keep


def test_unknown_sender_is_never_matched_but_gets_a_suggestion(
    session: Session, families: Families
) -> None:
    """From an address not on file, naming Amy Smith in full: unmatched, with Amy only
    suggested; a display name copying Sarah's is called out as possibly not her."""
    [plan] = _plans(
        session, "sarah.s.1984@example.net", "Amy Smith is ill today", name="Sarah Smith"
    )
    assert plan.pupil_id is None and plan.contact_id is None
    assert plan.suggested_pupil_id == families.amy.id
    assert "not from an address on file (sarah.s.1984@example.net)" in plan.note
    assert "the name fits Amy Smith (3A): check, then Match to…" in plan.note
    assert "'Sarah Smith' is the name of a contact on file with another address" in plan.note


def test_forwarded_from_a_contact_is_a_suggestion_only(
    session: Session, families: Families
) -> None:
    """A colleague forwarding Kate's email does not make it Kate's: Ollie is suggested."""
    [plan] = _plans(session, "admin@hillside.example", "He is ill", fwd="kate.jones@example.org")
    assert plan.pupil_id is None
    assert plan.suggested_pupil_id == families.ollie.id
    assert "forwarded from Kate Jones (Mother), a contact for Ollie Jones" in plan.note


def test_ok_reply_and_a_child_not_on_roll_stay_unmatched(
    session: Session, families: Families
) -> None:
    """ "ok" from a known number is kept unmatched; Jake, who has left, is not matched."""
    [ok] = _plans(session, "07700 900201", "ok")
    assert ok.pupil_id is None
    assert ok.note == "nothing about an absence in it: reject it, or Match to… if it is one"
    [jake] = _plans(session, "mark.brown@example.com", "Jake is ill today")
    assert jake.pupil_id is None
    assert jake.note == "Jake Brown is not on roll (left Fri 5 Sep 2025)"


def test_everyday_word_names_need_a_capital(session: Session, families: Families) -> None:
    """A sibling called Will is not named by "will": only "Will" with a capital counts."""
    families.tom.preferred_forename = "Will"
    session.commit()
    plans = _plans(session, "sarah.smith@example.com", "Amy will be off today, she is ill")
    assert [p.pupil_id for p in plans] == [families.amy.id]
    plans = _plans(session, "sarah.smith@example.com", "Will is ill today")
    assert [p.pupil_id for p in plans] == [families.tom.id]
