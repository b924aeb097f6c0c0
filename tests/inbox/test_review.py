"""Deciding proposals: Accept codes the register through the absence-report service (and
stops the first-day call, and keeps the message in the pupil's file), Match to… and
Reject; nothing is coded without Accept; only absence-handling staff see the inbox."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.followup.rules import actions_for_day
from attendance_desk.inbox.files import read_mail_file
from attendance_desk.inbox.listing import inbox_entries, open_count
from attendance_desk.inbox.review import Edits, InboxError, accept, match_to, reject
from attendance_desk.models import AbsenceReport, AuditEvent, LeaveRequest, Mark
from attendance_desk.safeguarding.chronology import chronology
from tests.helpers.builders import add_staff, mark_days
from tests.helpers.imap import email_bytes
from tests.helpers.inbox_school import Families, build_families

MONDAY = date(2025, 9, 8)
ARRIVED = datetime(2025, 9, 8, 7, 50)
NOW = datetime(2025, 9, 8, 9, 40)


@pytest.fixture
def families(session: Session) -> Families:
    return build_families(session)


def _deliver(session: Session, tmp_path: Path, sender: str, text: str, **kw: str) -> None:
    path = tmp_path / f"{abs(hash((sender, text)))}.eml"
    path.write_bytes(email_bytes(sender, text, sent=ARRIVED, **kw))
    read_mail_file(session, path, now=ARRIVED)
    session.commit()


def test_accept_codes_the_register_and_stops_the_first_day_call(
    session: Session, families: Families, tmp_path: Path
) -> None:
    """Amy's N this morning becomes I (an amendment with the email as its reason), her
    first-day call leaves the worklist, and her file shows Sarah's own words."""
    mark_days(session, families.amy, families.user, {(MONDAY, "AM"): "N"})
    session.commit()
    calls = [a for a in actions_for_day(session, MONDAY) if a.kind == "first_day_call"]
    assert [a.upn for a in calls] == [families.amy.upn]
    _deliver(session, tmp_path, "sarah.smith@example.com", "Amy has a temperature today.")
    assert session.scalar(select(func.count(AbsenceReport.id))) == 0  # nothing until Accept
    [entry] = inbox_entries(session, user=families.user)
    done = accept(session, proposal_id=entry.id, user=families.user, now=NOW)
    session.commit()
    assert done.describe() == "Amy Smith: the report is recorded; 2 sessions coded."
    mark = session.scalar(select(Mark).where(Mark.pupil_id == families.amy.id))
    assert mark is not None and mark.code == "I"
    assert mark.amendments[0].reason == (
        "email report from Sarah Smith (Mother): Amy has a temperature today."
    )
    report = session.scalar(select(AbsenceReport))
    assert report is not None and (report.channel, report.end_session) == ("email", "PM")
    assert not [a for a in actions_for_day(session, MONDAY) if a.kind == "first_day_call"]
    [kept] = [
        e
        for e in chronology(session, pupil_id=families.amy.id, viewer=families.user, now=NOW)
        if e.title.startswith("Email from")
    ]
    assert kept.detail == "Amy has a temperature today."
    assert open_count(session) == 0
    assert inbox_entries(session, user=families.user, everything=True)[0].status == "accepted"


def test_edits_at_accept_and_a_code_is_required(
    session: Session, families: Families, tmp_path: Path
) -> None:
    """A message with no reason cannot be accepted without choosing a code; the office's
    code and dates are the ones recorded."""
    _deliver(session, tmp_path, "kate.jones@example.org", "Ollie won't be in today")
    [entry] = inbox_entries(session, user=families.user)
    assert entry.code is None
    with pytest.raises(InboxError, match="choose the code"):
        accept(session, proposal_id=entry.id, user=families.user, now=NOW)
    accept(
        session,
        proposal_id=entry.id,
        user=families.user,
        now=NOW,
        edits=Edits(code="M", end=date(2025, 9, 9)),
    )
    report = session.scalar(select(AbsenceReport))
    assert report is not None
    assert (report.code, report.start_date, report.end_date) == ("M", MONDAY, date(2025, 9, 9))


def test_holiday_becomes_a_leave_request_never_a_code(
    session: Session, families: Families, tmp_path: Path
) -> None:
    """A family holiday proposes no code; accepting it asks the head (a pending leave
    request) and writes no mark."""
    _deliver(
        session,
        tmp_path,
        "kate.jones@example.org",
        "We would like to take Ollie on a family holiday from 13th to 17th October.",
    )
    [entry] = inbox_entries(session, user=families.user)
    assert (entry.kind, entry.code, entry.start, entry.end) == (
        "leave",
        None,
        date(2025, 10, 13),
        date(2025, 10, 17),
    )
    done = accept(session, proposal_id=entry.id, user=families.user, now=NOW)
    assert done.describe() == "A leave request for Ollie Jones is waiting for the head's decision."
    leave = session.scalar(select(LeaveRequest))
    assert leave is not None and leave.status == "pending"
    assert leave.requested_by == "Kate Jones (Mother)"
    assert session.scalar(select(func.count(Mark.id))) == 0


def test_match_to_then_accept_and_reject_with_why(
    session: Session, families: Families, tmp_path: Path
) -> None:
    """An unknown sender's message is matched by a person, then accepted; another is
    rejected only with a reason; a decided entry cannot be decided again."""
    _deliver(session, tmp_path, "grandma@example.net", "Tom is poorly today", name="Jean Smith")
    _deliver(session, tmp_path, "07700 900201@x.example", "ok")
    first, second = inbox_entries(session, user=families.user)
    assert (first.status, first.upn) == ("unmatched", None)
    with pytest.raises(InboxError, match="Match to… first"):
        accept(session, proposal_id=first.id, user=families.user, now=NOW)
    match_to(session, proposal_id=first.id, pupil_id=families.tom.id, user=families.user, now=NOW)
    [matched] = [e for e in inbox_entries(session, user=families.user) if e.id == first.id]
    assert matched.status == "proposed" and matched.upn == families.tom.upn
    assert "not one of their contacts" in matched.note
    accept(session, proposal_id=first.id, user=families.user, now=NOW)
    report = session.scalar(select(AbsenceReport))
    assert report is not None and report.reported_by == "Jean Smith <grandma@example.net>"
    with pytest.raises(InboxError, match="say why"):
        reject(session, proposal_id=second.id, why=" ", user=families.user, now=NOW)
    reject(session, proposal_id=second.id, why="a thank-you", user=families.user, now=NOW)
    with pytest.raises(InboxError, match="already rejected by School office"):
        accept(session, proposal_id=second.id, user=families.user, now=NOW)
    actions = set(session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "inbox")))
    assert actions == {"match", "accept", "reject"}


def test_match_to_also_adds_a_second_pupil(
    session: Session, families: Families, tmp_path: Path
) -> None:
    """ "Also about" keeps the first match and adds an entry for the other child."""
    _deliver(session, tmp_path, "priya.patel@example.net", "Isabella is ill today")
    [entry] = inbox_entries(session, user=families.user)
    match_to(
        session,
        proposal_id=entry.id,
        pupil_id=families.sofia.id,
        user=families.user,
        now=NOW,
        also=True,
    )
    assert sorted(e.name or "" for e in inbox_entries(session, user=families.user)) == [
        "Isabella Patel",
        "Sofia Patel",
    ]


def test_teachers_cannot_read_the_inbox(session: Session, families: Families) -> None:
    """A class teacher's login is refused the inbox; a receptionist's is not."""
    staff = add_staff(session, pat="admin", rita="receptionist", tess="teacher")
    assert inbox_entries(session, user=staff["rita"]) == []
    with pytest.raises(NotAllowed):
        inbox_entries(session, user=staff["tess"])
