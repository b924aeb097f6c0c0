"""An action never vanishes when the day changes.

The rule (README, "Calls and the Today worklist"; issue 16 item 1): once the rules raise an
action it stays on the worklist until a person completes it (saying what was done) or
dismisses it (saying why). When a later rule supersedes it, or the record stops calling for
it, the pupil's chronology says so and the action stays, marked "Still open since …".
Working together to improve school attendance (2024) asks schools to follow up every
absence and keep a record of what was done: an action that quietly drops off is a
follow-up nobody did and nobody recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from attendance_desk.desk.absence_reports import log_report
from attendance_desk.desk.calls import log_attempt
from attendance_desk.followup.kinds import ActionKind
from attendance_desk.followup.outcomes import close_action
from attendance_desk.followup.rules import Action, actions_for_day, raise_actions
from attendance_desk.models import ActionOutcome, Pupil, RaisedAction, SiblingSchool
from attendance_desk.roll import changes as roll
from attendance_desk.safeguarding.chronology import chronology
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.followup_policy import Policy, available_presets, preset
from tests.helpers.builders import CLOSURES, TERMS, make_upn
from tests.rules.conftest import School

CAL = SchoolCalendar(tuple(TERMS), tuple(CLOSURES))
K = ActionKind


def d(month: int, day: int) -> date:
    return date(2025, month, day)


def raise_on(school: School, day: date, policy: Policy | None = None) -> list[Action]:
    """The Today tab's refresh at four in the afternoon of `day`."""
    return raise_actions(
        school.session,
        day=day,
        user=school.office,
        now=datetime.combine(day, time(16, 0)),
        policy=policy or preset(),
    )


Scenario = Callable[[School], tuple[date, date, Policy, Policy | None]]


def _first_day_call(s: School) -> tuple[date, date, Policy, Policy | None]:
    amy = s.pupil(1)
    s.mark(amy, [d(9, 8)], "N")
    s.present(amy, [d(9, 9)])
    return d(9, 8), d(9, 9), preset(), None


def _social_worker(s: School) -> tuple[date, date, Policy, Policy | None]:
    zoe = s.pupil(2, cp=True, social_worker="J. Okafor")
    s.mark(zoe, [d(9, 8)], "I")
    s.present(zoe, [d(9, 9)])
    return d(9, 8), d(9, 9), preset(), None


def _dsl_alert(s: School) -> tuple[date, date, Policy, Policy | None]:
    amy = s.pupil(1)
    s.mark(amy, [d(9, 8)], "N")
    for contact in amy.contacts:
        log_attempt(
            s.session,
            pupil_id=amy.id,
            contact_id=contact.id,
            outcome="no_answer",
            user=s.office,
            now=datetime(2025, 9, 8, 9, 40),
        )
    s.present(amy, [d(9, 9)])
    return d(9, 8), d(9, 9), preset(), None


def _day_two(s: School) -> tuple[date, date, Policy, Policy | None]:
    amy = s.pupil(1)
    s.session.add(SiblingSchool(pupil_id=amy.id, sibling_name="Ben", school_name="Elm Park"))
    s.mark(amy, [d(9, 8), d(9, 9)], "N")
    s.present(amy, [d(9, 10)])
    return d(9, 9), d(9, 10), preset(), None


def _day_three(s: School) -> tuple[date, date, Policy, Policy | None]:
    amy = s.pupil(1)
    s.mark(amy, [d(9, 8), d(9, 9), d(9, 10)], "N")
    s.present(amy, [d(9, 11)])
    return d(9, 10), d(9, 11), preset(), None


def _six_days(code: str) -> Scenario:
    def scenario(s: School) -> tuple[date, date, Policy, Policy | None]:
        amy = s.pupil(1)
        s.mark(amy, [d(9, 8), d(9, 9), d(9, 10), d(9, 11), d(9, 12), d(9, 15)], code)
        s.present(amy, [d(9, 16)])
        return d(9, 15), d(9, 16), preset(), None

    return scenario


def _cme(s: School) -> tuple[date, date, Policy, Policy | None]:
    amy = s.pupil(1)
    ten = list(CAL.school_days(d(9, 8), d(9, 22)))
    assert len(ten) == 10  # Friday 19th is an INSET day
    s.mark(amy, ten, "O")
    s.present(amy, [d(9, 23)])
    return d(9, 22), d(9, 23), preset(), None


def _n_code(s: School) -> tuple[date, date, Policy, Policy | None]:
    amy = s.pupil(1)
    s.mark(amy, [d(9, 8)], "N", ("AM",))
    s.present(amy, list(CAL.school_days(d(9, 9), d(9, 16))))
    # The school then allows ten school days for N codes: the rules stop calling for it.
    return d(9, 15), d(9, 16), preset(), replace(preset(), n_code_days=10)


def _return(s: School) -> tuple[date, date, Policy, Policy | None]:
    amy = s.pupil(1)
    s.mark(amy, [d(9, 8)], "I")
    s.present(amy, [d(9, 9), d(9, 10)])
    return d(9, 9), d(9, 10), preset(), None


def _weekly_letter(s: School) -> tuple[date, date, Policy, Policy | None]:
    amy = s.pupil(1)
    s.present(amy, [d(9, 8), d(9, 9), d(9, 10), d(9, 11)])
    s.mark(amy, [d(9, 12)], "I")
    s.present(amy, list(CAL.school_days(d(9, 15), d(9, 22))))
    return d(9, 15), d(9, 22), preset("ap_centre"), None


def _lateness(s: School) -> tuple[date, date, Policy, Policy | None]:
    amy = s.pupil(1)
    week = list(CAL.school_days(d(10, 20), d(10, 24)))
    s.mark(amy, week, "L", ("AM",))
    s.present(amy, [d(11, 3)])
    return d(10, 24), d(11, 3), preset(), None


def _penalty(s: School) -> tuple[date, date, Policy, Policy | None]:
    amy = s.pupil(1)
    s.mark(amy, list(CAL.school_days(d(10, 20), d(10, 24))), "G")
    s.present(amy, [d(11, 3)])
    return d(10, 24), d(11, 3), preset(), None


def _new_pupil(s: School) -> tuple[date, date, Policy, Policy | None]:
    roll.admit(
        s.session,
        upn=make_upn(60),
        legal_surname="Baker",
        legal_forename="Tom",
        date_of_birth=date(2017, 2, 3),
        year_group="3",
        reg_group="3A",
        start_date=d(11, 10),
        user=s.office,
        now=datetime(2025, 11, 10, 9, 0),
    )
    return d(11, 10), d(11, 11), preset(), None


def _deletion(s: School) -> tuple[date, date, Policy, Policy | None]:
    amy = s.pupil(1)
    roll.remove(
        s.session,
        pupil_id=amy.id,
        ground="another_school",
        effective_on=d(11, 10),
        details="Started at Elm Park on 10 Nov; confirmed by their office",
        destination_school="Elm Park Primary",
        user=s.office,
        now=datetime(2025, 11, 10, 9, 0),
    )
    return d(11, 10), d(11, 11), preset(), None


def _find_address(s: School) -> tuple[date, date, Policy, Policy | None]:
    amy = s.pupil(1)
    amy.address = "4 Mill Lane, Hilltown HT1 2AB"
    father = amy.contacts[1]
    father.lives_with = False
    s.session.flush()
    s.present(amy, [d(9, 8), d(9, 9)])
    return d(9, 8), d(9, 9), preset(), None


#: For each kind: a record that raises it on one day, and what happens by the next.
SCENARIOS: dict[ActionKind, Scenario] = {
    K.FIRST_DAY_CALL: _first_day_call,
    K.NOTIFY_SOCIAL_WORKER: _social_worker,
    K.DSL_ALERT: _dsl_alert,
    K.CALL_ALL_CONTACTS: _day_two,
    K.CONTACT_SIBLING_SCHOOLS: _day_two,
    K.SAFE_AND_WELL_VISIT: _day_three,
    K.POLICE_WELFARE_CONSULT: _day_three,
    K.HOME_VISIT: _six_days("N"),
    K.CME_REFERRAL: _cme,
    K.RESOLVE_N_CODE: _n_code,
    K.MEDICAL_EVIDENCE: _six_days("I"),
    K.RETURN_INTERVIEW: _return,
    K.LETTER: _weekly_letter,
    K.PERSISTENT_LATENESS: _lateness,
    K.PENALTY_NOTICE_REVIEW: _penalty,
    K.LA_NEW_PUPIL: _new_pupil,
    K.LA_DELETION_RETURN: _deletion,
    K.FIND_ADDRESS: _find_address,
}


def test_every_kind_has_a_worked_example() -> None:
    """The examples below cover every kind of action in the catalogue."""
    assert set(SCENARIOS) == set(ActionKind)


@pytest.mark.parametrize("kind", list(SCENARIOS))
def test_an_action_is_still_there_the_next_day(school: School, kind: ActionKind) -> None:
    """Raised on one day and not closed, the action is on the next day's list, however the
    record changed (the child came back, a later step took over, a threshold was tuned)."""
    first, then, policy, later_policy = SCENARIOS[kind](school)
    raised = [a for a in raise_on(school, first, policy) if a.kind == kind]
    assert raised, f"{kind} was not raised on {first}"
    after = {a.ident: a for a in raise_on(school, then, later_policy or policy)}
    for action in raised:
        assert action.ident in after, f"{kind} {action.key} vanished on {then}"
    assert after == {
        a.ident: a for a in actions_for_day(school.session, then, later_policy or policy)
    }


def test_still_open_is_said_and_recorded_in_the_chronology(school: School) -> None:
    """Tuesday: Amy came back, so Monday's first-day call is no longer called for. It stays,
    "Still open since Mon 8 Sep", and her chronology records that the rules moved on."""
    first, then, policy, _ = _first_day_call(school)
    raise_on(school, first, policy)
    (call,) = [a for a in raise_on(school, then, policy) if a.kind == K.FIRST_DAY_CALL]
    assert call.still_open and call.detail.startswith("Still open since Mon 8 Sep: ")
    row = school.session.scalars(
        select(RaisedAction).where(RaisedAction.kind == K.FIRST_DAY_CALL)
    ).one()
    assert row.superseded_on == then
    amy_id = call.pupil_id
    titles = [
        e.title
        for e in chronology(
            school.session, pupil_id=amy_id, viewer=school.staff["dina"], now=datetime(2025, 9, 9)
        )
    ]
    assert "Still open: First-day calls" in titles and "Raised: First-day calls" in titles


def test_a_day_nobody_opened_today_is_worked_out_later(school: School) -> None:
    """Amy, ill on Monday, is back on Tuesday, when nobody opens Today: on Wednesday the
    return-to-school talk Tuesday called for is on the list, still open since Tuesday."""
    amy = school.pupil(1)
    school.mark(amy, [d(9, 8)], "I")
    raise_on(school, d(9, 8))
    school.present(amy, [d(9, 9), d(9, 10)])
    talks = [a for a in raise_on(school, d(9, 10)) if a.kind == K.RETURN_INTERVIEW]
    assert [(a.raised_on, a.still_open) for a in talks] == [(d(9, 9), True)]


def test_a_person_closing_it_is_what_takes_it_off(school: School) -> None:
    """Monday's call, closed on Tuesday by the receptionist with what was done, is gone on
    Wednesday; the outcome names her."""
    first, then, policy, _ = _first_day_call(school)
    raise_on(school, first, policy)
    (call,) = [a for a in raise_on(school, then, policy) if a.kind == K.FIRST_DAY_CALL]
    close_action(
        school.session,
        action=call,
        done=True,
        note="Mum rang back: Amy was at the dentist",
        user=school.staff["rita"],
        now=datetime(2025, 9, 9, 10, 0),
    )
    assert call.ident not in {a.ident for a in raise_on(school, d(9, 10), policy)}
    assert school.session.scalar(select(ActionOutcome.user_name)) == "Rita"


def test_a_call_that_reached_a_parent_answers_the_call(school: School) -> None:
    """The call answered on Tuesday at 09:40 closes Monday's first-day call in the name of
    the receptionist who logged it, with what the parent said."""
    amy = school.pupil(1)
    school.mark(amy, [d(9, 8), d(9, 9)], "N")
    raise_on(school, d(9, 8))
    log_attempt(
        school.session,
        pupil_id=amy.id,
        contact_id=amy.contacts[0].id,
        outcome="answered",
        note="Ill with a temperature",
        user=school.staff["rita"],
        now=datetime(2025, 9, 9, 9, 40),
    )
    assert K.FIRST_DAY_CALL not in {a.kind for a in raise_on(school, d(9, 9))}
    outcome = school.session.scalars(
        select(ActionOutcome).where(ActionOutcome.kind == K.FIRST_DAY_CALL)
    ).one()
    assert (outcome.user_name, outcome.at) == ("Rita", datetime(2025, 9, 9, 9, 40))
    assert "Ill with a temperature" in outcome.note


# The property: any pattern of marks, calls, reports and closures, under every preset.

HISTORY = list(CAL.school_days(d(9, 3), d(9, 12)))
DAYS = list(CAL.school_days(d(9, 15), d(9, 26)))  # across the INSET day on Friday 19th


def _joiner(school: School, serial: int, day: date) -> Pupil:
    return roll.admit(
        school.session,
        upn=make_upn(serial),
        legal_surname="Joiner",
        legal_forename=f"J{serial}",
        date_of_birth=date(2017, 2, 3),
        year_group="3",
        reg_group="3A",
        start_date=day,
        user=school.office,
        now=datetime.combine(day, time(8, 0)),
    )


def _leaver(school: School, pupil: Pupil, day: date) -> None:
    roll.remove(
        school.session,
        pupil_id=pupil.id,
        ground="moved_away",
        effective_on=day,
        details="Moved away; the new address confirmed by phone",
        destination_address="1 Park Row, Leeds LS1 5AB",
        user=school.office,
        now=datetime.combine(day, time(8, 0)),
    )


CODES = ["/", "N", "N", "N", "O", "I", "G", "L", "U", "Y4", "M"]
#: ("=", "=") repeats the pupil's day before, so long absences (CME, illness) arise too.
SAME = ("=", "=")
day_marks = st.lists(
    st.one_of(st.just(SAME), st.tuples(st.sampled_from(CODES), st.sampled_from(CODES))),
    min_size=3,
    max_size=3,
)
events = st.lists(
    st.tuples(
        st.sampled_from(["answered", "no_answer", "report", "close", "dismiss", "admit", "leave"]),
        st.integers(0, 50),
    ),
    max_size=3,
)


@pytest.mark.parametrize("policy_name", sorted(available_presets()))
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    history=st.one_of(
        st.lists(st.sampled_from(["/", "O", "I"]), min_size=len(HISTORY), max_size=len(HISTORY)),
        st.sampled_from([["O"] * len(HISTORY), ["I"] * len(HISTORY)]),  # away all fortnight
    ),
    plan=st.lists(st.tuples(day_marks, events), min_size=len(DAYS), max_size=len(DAYS)),
)
def test_nothing_raised_goes_missing(
    school: School, policy_name: str, history: list[str], plan: list
) -> None:
    """Day after day, every action raised the day before is still on the list unless a
    person closed it: for any marks (after a fortnight's history, so letters fall due),
    calls, parents' reports, joiners, leavers and closures, under every preset. Every kind
    of action can arise here; each is also pinned by its worked example above."""
    session, policy = school.session, preset(policy_name)
    pupils = [
        school.pupil(1),
        school.pupil(2, forename="Zoe", cp=True, social_worker="J. Okafor"),
        school.pupil(3, forename="Max", vulnerable=True),
    ]
    session.add(SiblingSchool(pupil_id=pupils[0].id, sibling_name="Ben", school_name="Elm Park"))
    pupils[2].contacts[1].lives_with = False
    dsl = school.staff["dina"]
    joiners = iter(range(100, 200))
    last: dict[tuple[int, str], str] = {}
    for pupil in pupils:
        for day, code in zip(HISTORY, history, strict=True):
            if code == "/":
                school.present(pupil, [day])
            else:
                school.mark(pupil, [day], code)
            last[(pupil.id, "AM")] = last[(pupil.id, "PM")] = code
    try:
        before: list[Action] = []
        for day, (marks, happenings) in zip(DAYS, plan, strict=True):
            for i, pupil in enumerate(pupils):  # a joiner is marked like one of the three
                for sess, code in zip(("AM", "PM"), marks[i % len(marks)], strict=True):
                    if code == "=":
                        code = last.get((pupil.id, sess), "/")
                    if pupil.on_roll(day):
                        school.mark(pupil, [day], code, (sess,))
                        last[(pupil.id, sess)] = code
            at = datetime.combine(day, time(10, 0))
            for what, n in happenings:
                pupil = pupils[n % len(pupils)]
                if what == "admit":
                    pupils.append(_joiner(school, next(joiners), day))
                elif what == "leave":
                    if pupil.on_roll_to is None:
                        _leaver(school, pupil, day)
                elif not pupil.on_roll(day):
                    continue
                elif what in ("answered", "no_answer"):
                    if not pupil.contacts:  # a joiner admitted without contacts
                        continue
                    contact = pupil.contacts[n % len(pupil.contacts)]
                    log_attempt(
                        session,
                        pupil_id=pupil.id,
                        contact_id=contact.id,
                        outcome=what,
                        user=dsl,
                        now=at,
                    )
                elif what == "report":
                    log_report(
                        session,
                        pupil_id=pupil.id,
                        start=day,
                        end=day,
                        code="I",
                        reason="Unwell",
                        reported_by="Mum",
                        channel="phone",
                        user=dsl,
                        now=at,
                    )
                elif before:
                    action = before[n % len(before)]
                    if not session.scalar(
                        select(ActionOutcome.id).where(
                            ActionOutcome.pupil_id == action.pupil_id,
                            ActionOutcome.kind == action.kind,
                            ActionOutcome.key == action.key,
                        )
                    ):
                        close_action(
                            session,
                            action=action,
                            done=what == "close",
                            note="Done by hand",
                            user=dsl,
                            now=at,
                        )
            now_on = {a.ident for a in raise_on(school, day, policy)}
            closed = {
                (o.pupil_id, o.kind, o.key)
                for o in session.scalars(select(ActionOutcome))
                if o.user_name  # every outcome names the person who closed it
            }
            missing = {a.ident for a in before} - now_on - closed
            assert not missing, f"{day}: {missing}"
            before = actions_for_day(session, day, policy)
            assert {a.ident for a in before} == now_on
    finally:
        session.rollback()
