"""The follow-up rules on hand-built scenarios, with injected dates across weekends,
INSET days and half-term."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from attendance_desk.desk.calls import log_attempt
from attendance_desk.followup.outcomes import OutcomeError, close_action
from attendance_desk.followup.rules import actions_for_day
from attendance_desk.models import AbsenceReport, Pupil, SiblingSchool, User
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.followup_policy import preset
from tests.helpers.builders import (
    CLOSURES,
    TERMS,
    add_pupil,
    add_staff,
    build_school,
    mark_days,
    school_with,
)

CAL = SchoolCalendar(tuple(TERMS), tuple(CLOSURES))


@pytest.fixture
def school(session: Session) -> tuple[Session, User, Pupil]:
    user, (amy,) = school_with(session, "Amy Adams")
    return session, user, amy


def absent(session: Session, pupil: Pupil, user: User, days: list[date], code: str = "N") -> None:
    mark_days(session, pupil, user, {(d, s): code for d in days for s in ("AM", "PM")})


def present(session: Session, pupil: Pupil, user: User, days: list[date]) -> None:
    mark_days(
        session,
        pupil,
        user,
        {(d, s): "/" if s == "AM" else "\\" for d in days for s in ("AM", "PM")},
    )


def kinds(session: Session, day: date, policy: str = "default") -> dict[str, tuple]:
    return {a.kind: (a.day, a.due, a.detail) for a in actions_for_day(session, day, preset(policy))}


def test_day_one_first_call_only(school: tuple) -> None:
    """Day 1 with no reason: a first-day call, no DSL alert yet."""
    session, user, amy = school
    absent(session, amy, user, [date(2025, 9, 8)])
    found = kinds(session, date(2025, 9, 8))
    assert set(found) == {"first_day_call"}
    assert found["first_day_call"][0] == 1
    assert "0 of 2 tried" in found["first_day_call"][2]


def test_vulnerable_pupil_social_worker_and_first(session: Session) -> None:
    """A CP pupil on day 1 also needs the social worker told, and sorts first."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    zoe = add_pupil(session, 2, surname="Zed", forename="Zoe", cp=True, social_worker="J. Okafor")
    absent(session, amy, user, [date(2025, 9, 8)])
    absent(session, zoe, user, [date(2025, 9, 8)])
    actions = actions_for_day(session, date(2025, 9, 8), preset())
    assert actions[0].name == "Zoe Zed"
    notify = [a for a in actions if a.kind == "notify_social_worker"]
    assert [a.name for a in notify] == ["Zoe Zed"] and "J. Okafor" in notify[0].detail


def test_no_answer_from_everyone_alerts_dsl(school: tuple) -> None:
    """When both contacts fail on day 1 the call drops off and the DSL is alerted."""
    session, user, amy = school
    absent(session, amy, user, [date(2025, 9, 8)])
    for contact, outcome in zip(amy.contacts, ("no_answer", "voicemail"), strict=True):
        log_attempt(
            session,
            pupil_id=amy.id,
            contact_id=contact.id,
            outcome=outcome,
            user=user,
            now=datetime(2025, 9, 8, 9, 35),
        )
    assert set(kinds(session, date(2025, 9, 8))) == {"dsl_alert"}


def test_answered_call_stops_the_pathway(school: tuple) -> None:
    """A parent who answers with a reason ends the episode's actions."""
    session, user, amy = school
    absent(session, amy, user, [date(2025, 9, 8)])
    log_attempt(
        session,
        pupil_id=amy.id,
        contact_id=amy.contacts[0].id,
        outcome="answered",
        proposed_code="I",
        user=user,
        now=datetime(2025, 9, 8, 9, 40),
    )
    assert kinds(session, date(2025, 9, 8)) == {}


def test_parent_report_stops_the_first_call(school: tuple) -> None:
    """A parent's report covering the N sessions means there is nobody to call."""
    session, user, amy = school
    absent(session, amy, user, [date(2025, 9, 8)])
    session.add(
        AbsenceReport(
            pupil_id=amy.id,
            start_date=date(2025, 9, 8),
            end_date=date(2025, 9, 8),
            code="I",
            reason="sick",
            reported_by="Mum",
            channel="phone",
            reported_at=datetime(2025, 9, 8, 8, 30),
            recorded_by_name="Office",
        )
    )
    session.flush()
    assert kinds(session, date(2025, 9, 8)) == {}


def test_day_two_calls_all_and_sibling_schools(school: tuple) -> None:
    """Day 2: call every contact, ask the sibling's school, DSL decides again."""
    session, user, amy = school
    session.add(SiblingSchool(pupil_id=amy.id, sibling_name="Tom Adams", school_name="Oak High"))
    absent(session, amy, user, [date(2025, 9, 8), date(2025, 9, 9)])
    found = kinds(session, date(2025, 9, 9))
    assert set(found) == {"call_all_contacts", "contact_sibling_schools", "dsl_alert"}
    assert found["dsl_alert"][0] == 2


def test_day_three_across_weekend_and_inset(school: tuple) -> None:
    """Thursday 18th, (Friday INSET, weekend), Monday 22nd, Tuesday 23rd = day 3: visit due."""
    session, user, amy = school
    absent(session, amy, user, [date(2025, 9, 18), date(2025, 9, 22), date(2025, 9, 23)])
    found = kinds(session, date(2025, 9, 23))
    assert found["safe_and_well_visit"][:2] == (3, date(2025, 9, 23))
    assert "police_welfare_consult" in found
    assert found["dsl_alert"][0] == 3


def test_completed_and_dismissed_actions_leave_the_list(school: tuple) -> None:
    """Completing the visit takes it off; a dismissal needs a reason."""
    session, office, amy = school
    absent(session, amy, office, [date(2025, 9, 8), date(2025, 9, 9), date(2025, 9, 10)])
    user = add_staff(session, pat="admin", dina="dsl")["dina"]
    actions = {a.kind: a for a in actions_for_day(session, date(2025, 9, 10), preset())}
    close_action(
        session,
        action=actions["safe_and_well_visit"],
        done=True,
        note="Visited 11:00, child seen and safe",
        user=user,
        now=datetime(2025, 9, 10, 11, 30),
    )
    with pytest.raises(OutcomeError, match="needs a reason"):
        close_action(
            session,
            action=actions["police_welfare_consult"],
            done=False,
            note=" ",
            user=user,
            now=datetime(2025, 9, 10, 11, 30),
        )
    close_action(
        session,
        action=actions["police_welfare_consult"],
        done=False,
        note="Child seen at visit",
        user=user,
        now=datetime(2025, 9, 10, 11, 31),
    )
    left = kinds(session, date(2025, 9, 10))
    assert "safe_and_well_visit" not in left and "police_welfare_consult" not in left
    assert "dsl_alert" in left


def test_cme_after_ten_days_across_half_term(school: tuple) -> None:
    """Ten school days of N spanning the October half-term reach the CME referral."""
    session, user, amy = school
    days = list(CAL.school_days(date(2025, 10, 20), date(2025, 11, 7)))[:10]
    absent(session, amy, user, days, code="O")
    found = kinds(session, days[-1])
    assert found["cme_referral"][0] == 10
    assert "home_visit" in found  # more than five days in a row
    assert "cme_referral" not in kinds(session, days[-2])


def test_old_n_code_must_be_resolved(school: tuple) -> None:
    """An N from Monday 8th is due for resolution on Monday 15th."""
    session, user, amy = school
    mark_days(session, amy, user, {(date(2025, 9, 8), "AM"): "N", (date(2025, 9, 8), "PM"): "\\"})
    present(session, amy, user, [date(2025, 9, 9)])
    assert "resolve_n_code" not in kinds(session, date(2025, 9, 12))
    found = kinds(session, date(2025, 9, 15))
    assert found["resolve_n_code"][1] == date(2025, 9, 15)


def test_long_illness_asks_for_evidence_and_return_talk(school: tuple) -> None:
    """Six school days of I ask for medical evidence; coming back asks for a return talk."""
    session, user, amy = school
    ill = list(CAL.school_days(date(2025, 9, 8), date(2025, 9, 15)))
    absent(session, amy, user, ill, code="I")
    assert "medical_evidence" in kinds(session, ill[-1])
    present(session, amy, user, [date(2025, 9, 16)])
    found = kinds(session, date(2025, 9, 16))
    assert "Back after 6 school days" in found["return_interview"][2]


def test_third_absence_in_half_term_goes_to_senior_staff(school: tuple) -> None:
    """The third return in a half-term is flagged for senior staff."""
    session, user, amy = school
    for day in (date(2025, 9, 8), date(2025, 9, 10), date(2025, 9, 12)):
        absent(session, amy, user, [day], code="I")
        present(session, amy, user, [CAL.next_school_day(day)])  # type: ignore[list-item]
    assert "senior staff" in kinds(session, date(2025, 9, 15))["return_interview"][2]


def test_persistent_lateness_and_penalty_review(school: tuple) -> None:
    """Five lates in a half-term, and ten unauthorised sessions in ten weeks, are flagged."""
    session, user, amy = school
    days = list(CAL.school_days(date(2025, 9, 8), date(2025, 10, 3)))
    mark_days(session, amy, user, {(d, "AM"): "L" for d in days[:5]})
    mark_days(session, amy, user, {(d, "PM"): "G" for d in days[5:15]})
    found = kinds(session, days[14])
    assert "5 late marks" in found["persistent_lateness"][2]
    assert "10 unauthorised sessions" in found["penalty_notice_review"][2]


def test_ap_centre_weekly_letter(school: tuple) -> None:
    """The AP preset sends a first letter after a week below 90 %."""
    session, user, amy = school
    week = list(CAL.school_days(date(2025, 9, 8), date(2025, 9, 12)))
    present(session, amy, user, week[:4])
    absent(session, amy, user, week[4:], code="I")
    assert "letter" in kinds(session, date(2025, 9, 15), "ap_centre")
    assert "letter" not in kinds(session, date(2025, 9, 15), "default")


def test_brookfields_home_visit_on_day_two(school: tuple) -> None:
    """Brookfields: the family support worker's home visit is due on the second day."""
    session, user, amy = school
    absent(session, amy, user, [date(2025, 9, 8)])
    assert "home_visit" not in kinds(session, date(2025, 9, 8), "brookfields")
    absent(session, amy, user, [date(2025, 9, 9)])
    assert "home_visit" in kinds(session, date(2025, 9, 9), "brookfields")


SCHOOL_DAYS = list(CAL.school_days(date(2025, 9, 3), date(2025, 11, 28)))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=st.integers(0, len(SCHOOL_DAYS) - 12), length=st.integers(1, 11))
def test_unexplained_absence_never_drops_off(school: tuple, start: int, length: int) -> None:
    """An absence with no contact is on the worklist every school day until it is resolved."""
    session, user, amy = school
    days = SCHOOL_DAYS[start : start + length]
    absent(session, amy, user, days)
    try:
        for day in days:
            assert any(a.pupil_id == amy.id for a in actions_for_day(session, day, preset())), day
    finally:
        session.rollback()
