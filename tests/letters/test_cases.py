"""The pathway state machine: every transition of both presets, on injected dates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.letters.penalties import issue_penalty_notice
from attendance_desk.letters.views import case_view
from attendance_desk.models import AuditEvent, PathwayCase, Pupil, User
from attendance_desk.pathway.cases import (
    CaseError,
    close_case,
    confirm_review,
    letter_sent,
    load_case,
    record_event,
    start_case,
)
from attendance_desk.pathway.stages import pathway_preset
from tests.letters.scenarios import CAL, LETTER_DAY, at, attend

#: One school day per step, from the letter day on.
DAYS = CAL.school_days(LETTER_DAY, date(2025, 12, 19))


def begin(session: Session, user: User, pupil: Pupil, pathway: str) -> PathwayCase:
    return start_case(
        session,
        pupil_id=pupil.id,
        pathway=pathway_preset(pathway),
        day=LETTER_DAY,
        reason="Attendance below target",
        user=user,
        now=at(LETTER_DAY),
    )


def walk(session: Session, user: User, case: PathwayCase, events: list[str]) -> list[tuple]:
    """Apply `events` one school day apart; the (state, stage) after each."""
    seen = []
    for day, event in zip(DAYS[1:], events, strict=False):
        if event == "sent":
            letter_sent(session, case=case, day=day, user=user, now=at(day))
        elif event in ("improved", "not_improved"):
            improved = event == "improved"
            confirm_review(
                session, case_id=case.id, improved=improved, day=day, user=user, now=at(day)
            )
        else:
            record_event(session, case_id=case.id, event=event, day=day, user=user, now=at(day))
        seen.append((case.state, case.stage))
    return seen


def test_default_pathway_all_the_way_to_pace(school: tuple) -> None:
    """The staged pathway: A, B, missed meetings, C, AIP, LAAO monitoring, D, E, contract, PACE."""
    session, user, amy = school
    case = begin(session, user, amy, "default")
    assert (case.state, case.stage) == ("letter_a", 1)
    events = [
        "sent", "not_improved", "sent", "missed", "sent", "missed",
        "sent", "held", "not_improved", "not_improved", "attendance_contract",
        "sent", "missed", "sent", "not_improved", "sent",
    ]  # fmt: skip
    assert walk(session, user, case, events) == [
        ("letter_a", 1),  # sent: under review
        ("letter_b", 1),
        ("informal_meeting", 1),
        ("letter_b_again", 1),
        ("informal_meeting_again", 1),
        ("letter_c", 2),
        ("aip_meeting", 2),
        ("aip", 2),
        ("monitoring", 2),
        ("next_steps", 3),
        ("letter_d", 3),
        ("contract_meeting", 3),
        ("letter_e", 3),
        ("attendance_contract", 3),
        ("pace_letter", 3),
        ("with_la", 3),
    ]
    assert [s.step for s in case.steps][-3:] == ["attendance_contract", "pace_letter", "with_la"]
    monitoring = next(s for s in case.steps if s.step == "monitoring")
    assert monitoring.period_start == DAYS[10] and monitoring.period_end is not None
    close_case(
        session, case_id=case.id, reason="Prosecuted", day=DAYS[20], user=user, now=at(DAYS[20])
    )
    assert case.closed_on == DAYS[20] and case.outcome == "Prosecuted"


def test_default_improvement_closes_after_letter_a(school: tuple) -> None:
    """Attendance improved after Letter A: no further action, the case closes."""
    session, user, amy = school
    case = begin(session, user, amy, "default")
    walk(session, user, case, ["sent", "improved"])
    assert case.closed_on == DAYS[2]
    assert case.steps[0].outcome == "improved"


def test_held_meeting_leads_to_an_action_plan_under_review(school: tuple) -> None:
    """Letter B, the meeting held: a low-level action plan with a 20-day review period."""
    session, user, amy = school
    case = begin(session, user, amy, "default")
    walk(session, user, case, ["sent", "not_improved", "sent", "held"])
    plan = case.steps[-1]
    assert (plan.step, plan.kind, plan.period_start) == ("action_plan", "plan", DAYS[5])
    assert plan.period_end == CAL.add_school_days(DAYS[4], 20)


def test_ap_centre_pathway_to_penalty_limit(school: tuple) -> None:
    """AP-centre pathway through Stage 3, then penalty notices until only other action is left."""
    session, user, amy = school
    case = begin(session, user, amy, "ap_centre")
    rules = pathway_preset("ap_centre").penalties
    assert walk(
        session,
        user,
        case,
        [
            "sent",
            "not_improved",
            "sent",
            "missed",
            "not_improved",
            "sent",
            "not_improved",
            "penalty_notice",
        ],
    ) == [
        ("first_letter", 1),
        ("second_letter", 2),
        ("centre_meeting", 2),
        ("internal_contract", 2),  # regardless of parental engagement
        ("slt_letter", 3),
        ("home_visit", 3),
        ("la_decision", 3),
        ("penalty_notice", 3),
    ]
    with pytest.raises(CaseError, match="record the penalty notices"):
        record_event(
            session, case_id=case.id, event="issued", day=DAYS[9], user=user, now=at(DAYS[9])
        )
    for round_, day in enumerate((DAYS[9], DAYS[12]), start=1):
        for parent in amy.contacts:
            notice = issue_penalty_notice(
                session,
                pupil_id=amy.id,
                contact_id=parent.id,
                day=day,
                rules=rules,
                user=user,
                now=at(day),
                case_id=case.id,
            )
            assert notice.rate == ("first" if round_ == 1 else "second")
        record_event(session, case_id=case.id, event="issued", day=day, user=user, now=at(day))
        assert case.state == "after_penalty"
        confirm_review(session, case_id=case.id, improved=False, day=day, user=user, now=at(day))
        assert case.state == "penalty_notice"
    view = case_view(session, case.id, DAYS[13])
    issued = next(c for c in view.choices if c.event == "issued")
    assert not issued.enabled and "no parent may be given another notice" in issued.why
    assert all(not o.allowed for o in view.penalty_options)
    record_event(
        session, case_id=case.id, event="other_action", day=DAYS[13], user=user, now=at(DAYS[13])
    )
    assert (case.state, case.closed_on) == ("with_la", None)


def test_wrong_moves_are_refused(school: tuple) -> None:
    """Letters move by sending, reviews by confirming; unknown events and closed cases refuse."""
    session, user, amy = school
    case = begin(session, user, amy, "default")
    day = DAYS[1]
    with pytest.raises(CaseError, match="moves on when its letter is sent"):
        record_event(session, case_id=case.id, event="sent", day=day, user=user, now=at(day))
    with pytest.raises(CaseError, match="no review period running"):
        confirm_review(session, case_id=case.id, improved=True, day=day, user=user, now=at(day))
    with pytest.raises(CaseError, match="already has an open case"):
        begin(session, user, amy, "default")
    walk(session, user, case, ["sent", "not_improved", "sent"])
    with pytest.raises(CaseError, match="has no outcome 'improved_a_lot'"):
        record_event(
            session, case_id=case.id, event="improved_a_lot", day=day, user=user, now=at(day)
        )
    with pytest.raises(CaseError, match="needs a reason"):
        close_case(session, case_id=case.id, reason=" ", day=day, user=user, now=at(day))
    close_case(session, case_id=case.id, reason="Left the school", day=day, user=user, now=at(day))
    with pytest.raises(CaseError, match="closed"):
        record_event(session, case_id=case.id, event="held", day=day, user=user, now=at(day))


def test_improved_is_computed_from_the_register_and_stored(school: tuple) -> None:
    """The review shows the register's answer; the confirmed figure is kept on the step."""
    session, user, amy = school
    case = begin(session, user, amy, "default")
    letter_sent(session, case=case, day=LETTER_DAY, user=user, now=at(LETTER_DAY))
    attend(session, amy, user, date(2025, 9, 30), date(2025, 11, 3), absent_every=10)
    review = case_view(session, case.id, date(2025, 11, 4)).review
    assert review is not None and review.ended and review.improved is False
    assert review.describe().startswith("Attendance 90.0% between 30 September and 3 November")
    mid = case_view(session, case.id, date(2025, 10, 10))
    assert mid.review is not None and not mid.review.ended
    assert mid.next_text.startswith("Under review until 3 November 2025")
    confirm_review(
        session,
        case_id=case.id,
        improved=False,
        day=date(2025, 11, 4),
        user=user,
        now=at(date(2025, 11, 4)),
    )
    assert load_case(session, case.id).steps[0].review_pct == 90.0
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "pathway_case"))
    assert list(actions) == ["open", "not_improved"]
