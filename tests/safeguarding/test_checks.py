"""The safe-and-well check service: every decision path, rationale rules, read-only finish,
restricted detail and the worklist actions it answers."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.followup.rules import actions_for_day
from attendance_desk.models import Pupil, User
from attendance_desk.safeguarding import checks as sw
from attendance_desk.safeguarding import notes
from attendance_desk.safeguarding.chronology import chronology
from attendance_desk.school.followup_policy import preset
from tests.helpers.builders import add_pupil, build_school, mark_days

DAYS = [date(2025, 9, 8), date(2025, 9, 9), date(2025, 9, 10)]
NOW = datetime(2025, 9, 10, 10, 0)
ANSWERS = {key: f"answer to {key}" for key in sw.QUESTIONS}


def user(session: Session, role: str, name: str) -> User:
    person = User(username=name.lower().replace(" ", "."), full_name=name, position=role, role=role)
    session.add(person)
    session.flush()
    return person


@pytest.fixture
def case(session: Session) -> tuple[Session, Pupil, User]:
    _, office = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", cin=True)
    mark_days(session, amy, office, {(d, s): "N" for d in DAYS for s in ("AM", "PM")})
    dsl = user(session, "dsl", "Dana Singh")
    session.commit()
    return session, amy, dsl


def kinds_today(session: Session) -> set[str]:
    return {a.kind for a in actions_for_day(session, DAYS[-1], preset())}


def test_day_three_no_answer_visit_ends_in_police_consult(case: tuple) -> None:
    """Day 3: decide to visit, nobody home; the police consult stays until a police step."""
    session, amy, dsl = case
    check = sw.open_check(session, pupil_id=amy.id, user=dsl, now=NOW)
    assert (check.episode_day, sw.default_decision(session, check)) == (3, "visit_today")
    sw.save_answers(session, check_id=check.id, answers=ANSWERS, user=dsl, now=NOW)
    sw.save_decision(
        session,
        check_id=check.id,
        decision="visit_today",
        rationale="Day 3, CIN, no contact at all",
        user=dsl,
        now=NOW,
    )
    assert "dsl_alert" not in kinds_today(session)
    sw.save_visit(
        session,
        check_id=check.id,
        user=dsl,
        now=NOW,
        visit=sw.Visit(
            "Dana Singh",
            "Tom Reid",
            True,
            datetime(2025, 9, 10, 11, 0),
            "",
            "not_seen",
            "Neighbour at no. 12 has not seen the family since Friday",
            True,
        ),
    )
    left = kinds_today(session)
    assert "safe_and_well_visit" not in left and "police_welfare_consult" in left
    with pytest.raises(sw.CheckError, match="police reference number"):
        sw.add_next_step(session, check_id=check.id, kind="police", user=dsl, now=NOW)
    sw.add_next_step(
        session, check_id=check.id, kind="police", reference="ESX-4471", user=dsl, now=NOW
    )
    assert "police_welfare_consult" not in kinds_today(session)
    sw.finish(session, check_id=check.id, user=dsl, now=NOW)
    with pytest.raises(sw.CheckError, match="read-only"):
        sw.save_answers(session, check_id=check.id, answers=ANSWERS, user=dsl, now=NOW)


def test_not_today_on_day_three_needs_a_fuller_rationale(case: tuple) -> None:
    """Against the day-3 default, a short 'not today' is refused; a full one is accepted."""
    session, amy, dsl = case
    check = sw.open_check(session, pupil_id=amy.id, user=dsl, now=NOW)
    sw.save_answers(session, check_id=check.id, answers=ANSWERS, user=dsl, now=NOW)
    with pytest.raises(sw.CheckError, match="fuller rationale"):
        sw.save_decision(
            session, check_id=check.id, decision="not_today", rationale="fine", user=dsl, now=NOW
        )
    with pytest.raises(sw.CheckError, match="rationale .* required"):
        sw.save_decision(
            session, check_id=check.id, decision="visit_today", rationale=" ", user=dsl, now=NOW
        )
    sw.save_decision(
        session,
        check_id=check.id,
        decision="not_today",
        user=dsl,
        now=NOW,
        rationale="Social worker visited this morning at 08:15 and saw Amy at home, "
        "well; mum's phone is broken.",
    )
    with pytest.raises(sw.CheckError, match="not to visit"):
        sw.save_visit(
            session,
            check_id=check.id,
            user=dsl,
            now=NOW,
            visit=sw.Visit("A", "B", True, NOW, "", "seen_safe", "", False),
        )


@pytest.mark.parametrize(
    ("visit", "message"),
    [
        (sw.Visit("Dana Singh", "", True, NOW, "", "seen_safe", "", False), "two named"),
        (sw.Visit("Dana Singh", "dana singh", True, NOW, "", "seen_safe", "", False), "two named"),
        (
            sw.Visit("Dana Singh", "Tom Reid", False, NOW, "", "seen_safe", "", False),
            "risk assessment",
        ),
        (sw.Visit("Dana Singh", "Tom Reid", True, NOW, "", "not_seen", "", False), "enquiries"),
    ],
)
def test_visit_rules(case: tuple, visit: sw.Visit, message: str) -> None:
    """Two different staff, a risk assessment, and enquiries when nobody answers."""
    session, amy, dsl = case
    check = sw.open_check(session, pupil_id=amy.id, user=dsl, now=NOW)
    sw.save_answers(session, check_id=check.id, answers=ANSWERS, user=dsl, now=NOW)
    sw.save_decision(
        session, check_id=check.id, decision="visit_today", rationale="due", user=dsl, now=NOW
    )
    with pytest.raises(sw.CheckError, match=message):
        sw.save_visit(session, check_id=check.id, visit=visit, user=dsl, now=NOW)


def test_questions_must_all_be_answered(case: tuple) -> None:
    """A blank question is named; the decision cannot come before the questions."""
    session, amy, dsl = case
    check = sw.open_check(session, pupil_id=amy.id, user=dsl, now=NOW)
    with pytest.raises(sw.CheckError, match="before deciding"):
        sw.save_decision(
            session, check_id=check.id, decision="visit_today", rationale="x", user=dsl, now=NOW
        )
    with pytest.raises(sw.CheckError, match="protective factors"):
        sw.save_answers(
            session,
            check_id=check.id,
            answers={**ANSWERS, "protective_factors": ""},
            user=dsl,
            now=NOW,
        )


def test_reopening_resumes_the_same_check(case: tuple, factory) -> None:  # type: ignore[no-untyped-def]
    """Answers saved, session closed (as after a crash): opening again resumes that check."""
    session, amy, dsl = case
    check = sw.open_check(session, pupil_id=amy.id, user=dsl, now=NOW)
    sw.save_answers(session, check_id=check.id, answers=ANSWERS, user=dsl, now=NOW)
    session.commit()
    with factory() as again:
        resumed = sw.open_check(again, pupil_id=amy.id, user=again.get(User, dsl.id), now=NOW)
        assert (resumed.id, resumed.step, resumed.unusual) == (
            check.id,
            "questions",
            ANSWERS["unusual"],
        )


def test_receptionist_sees_only_that_a_check_exists(case: tuple) -> None:
    """The chronology shows a receptionist no check detail and no restricted note; the
    service refuses them the check itself."""
    session, amy, dsl = case
    desk = user(session, "receptionist", "Rita Desk")
    check = sw.open_check(session, pupil_id=amy.id, user=dsl, now=NOW)
    sw.save_answers(session, check_id=check.id, answers=ANSWERS, user=dsl, now=NOW)
    notes.add_note(
        session,
        pupil_id=amy.id,
        text="Mum disclosed DV at the door",
        category="safeguarding",
        user=dsl,
        now=NOW,
    )
    notes.add_note(
        session, pupil_id=amy.id, text="Uniform letter sent", category="general", user=desk, now=NOW
    )
    seen = chronology(session, pupil_id=amy.id, viewer=desk, now=NOW)
    text = " ".join(e.title + " " + e.detail for e in seen)
    assert "Safe-and-well check in progress" in text
    assert "DV" not in text and "answer to" not in text and "Uniform letter" in text
    with pytest.raises(NotAllowed, match="Designated Safeguarding Lead"):
        sw.view_check(session, check_id=check.id, user=desk, now=NOW)
    with pytest.raises(NotAllowed):
        notes.add_note(
            session, pupil_id=amy.id, text="x", category="safeguarding", user=desk, now=NOW
        )
    full = " ".join(e.detail for e in chronology(session, pupil_id=amy.id, viewer=dsl, now=NOW))
    assert "DV" in full


def test_chronology_has_everything_newest_first(case: tuple) -> None:
    """Absences, the call, the check and the note are all in one timeline, newest first."""
    from attendance_desk.desk.calls import log_attempt

    session, amy, dsl = case
    log_attempt(
        session,
        pupil_id=amy.id,
        contact_id=amy.contacts[0].id,
        outcome="no_answer",
        user=dsl,
        now=datetime(2025, 9, 8, 9, 40),
    )
    check = sw.open_check(session, pupil_id=amy.id, user=dsl, now=NOW)
    sw.save_answers(session, check_id=check.id, answers=ANSWERS, user=dsl, now=NOW)
    entries = chronology(session, pupil_id=amy.id, viewer=dsl, now=NOW)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert {e.kind for e in entries} >= {"absence", "call", "check"}
    only_calls = chronology(session, pupil_id=amy.id, viewer=dsl, now=NOW, kinds={"call"})
    assert [e.title for e in only_calls] == ["No answer"]


def test_chronology_shows_letters_and_meetings(case: tuple) -> None:
    """A letter sent and a meeting booked on the pathway are in the pupil's timeline."""
    from attendance_desk.models import LetterLog, PathwayCase, PathwayStep

    session, amy, dsl = case
    pathway_case = PathwayCase(
        pupil_id=amy.id,
        pathway="default",
        state="informal_meeting",
        stage=1,
        opened_on=date(2025, 9, 8),
        opened_by="Alex Green",
    )
    session.add(pathway_case)
    session.flush()
    session.add(
        PathwayStep(
            case_id=pathway_case.id,
            step="informal_meeting",
            stage=1,
            kind="meeting",
            entered_on=date(2025, 9, 9),
            meeting_at=datetime(2025, 9, 15, 15, 30),
            meeting_place="Office",
            user_name="Alex Green",
            updated_at=NOW,
        )
    )
    session.add(
        LetterLog(
            pupil_id=amy.id,
            recipient_name="Sarah Adams",
            recipient_address="x",
            template="letter_a",
            title="Letter A",
            case_id=pathway_case.id,
            sent_at=datetime(2025, 9, 9, 14, 0),
            sent_by_name="Alex Green",
            pages=1,
            pdf=b"%PDF",
        )
    )
    session.flush()
    entries = chronology(session, pupil_id=amy.id, viewer=dsl, now=NOW, kinds={"letter", "meeting"})
    assert [(e.kind, e.title) for e in entries] == [
        ("meeting", "Stage 1: informal meeting"),
        ("letter", "Letter sent: Letter A"),
    ]
    assert "15 Sep 15:30 at Office" in entries[0].detail
