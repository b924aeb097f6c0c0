"""Letters due on hand-built scenarios: thresholds, reviews, missed meetings, the worklist."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from attendance_desk.followup.outcomes import close_action
from attendance_desk.followup.rules import actions_for_day
from attendance_desk.letters.sending import send_letters
from attendance_desk.models import Pupil, User
from attendance_desk.pathway.cases import confirm_review, open_case_of, record_event
from attendance_desk.pathway.due import letters_due
from attendance_desk.pathway.stages import pathway_preset
from attendance_desk.school import settings
from attendance_desk.school.followup_policy import preset
from tests.helpers.builders import add_pupil
from tests.letters.scenarios import LETTER_DAY, at, attend

AP = pathway_preset("ap_centre")


def poor_september(session: Session, user: User, pupil: Pupil) -> None:
    """One day in four away (O) from 3 to 26 September: 70.6 % over 34 sessions."""
    attend(session, pupil, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)


def send_all(session: Session, user: User, day: date) -> None:
    send_letters(session, letters_due(session, day), day=day, user=user, now=at(day))
    session.commit()


def test_letter_a_when_below_the_school_target(school: tuple) -> None:
    """Attendance under 96 % over the year so far, with 30+ sessions, makes Letter A due."""
    session, user, amy = school
    poor_september(session, user, amy)
    (due,) = letters_due(session, LETTER_DAY)
    assert (due.pupil_name, due.step, due.stage, due.template) == (
        "Amy Adams",
        "letter_a",
        1,
        "letter_a",
    )
    assert due.case_id is None and due.key == "default:letter_a:2025-09-03"
    assert "70.6% between 3 and 26 September 2025, below the target of 96%" in due.reason
    (year,) = due.summary
    assert (year.figures.possible, year.figures.unauthorised, year.missed) == (34, 10, 10)


def test_not_judged_before_enough_sessions(school: tuple) -> None:
    """Sixteen sessions of poor attendance are not yet enough to write."""
    session, user, amy = school
    attend(session, amy, user, date(2025, 9, 3), date(2025, 9, 12), absent_every=2)
    assert letters_due(session, date(2025, 9, 15)) == []


def test_the_target_comes_from_settings(school: tuple) -> None:
    """At 70.6 % a target of 70 % writes nothing, a target of 75 % writes Letter A."""
    session, user, amy = school
    poor_september(session, user, amy)
    settings.put(session, settings.ATTENDANCE_TARGET, 70, user=user, now=at(LETTER_DAY))
    assert letters_due(session, LETTER_DAY) == []
    settings.put(session, settings.ATTENDANCE_TARGET, 75, user=user, now=at(LETTER_DAY))
    assert [d.step for d in letters_due(session, LETTER_DAY)] == ["letter_a"]


def test_full_attendance_and_pupils_off_roll_get_none(school: tuple) -> None:
    """No letter for a pupil at 100 %, nor for one who has left."""
    session, user, amy = school
    attend(session, amy, user, date(2025, 9, 3), date(2025, 9, 26))
    assert letters_due(session, LETTER_DAY) == []
    gone = add_pupil(session, 2, surname="Gone", forename="Gus")
    gone.on_roll_to = date(2025, 9, 26)
    attend(session, gone, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=2)
    assert letters_due(session, LETTER_DAY) == []


def test_ap_centre_week_below_90(school: tuple) -> None:
    """AP: three days of four in the week of 15 September (75 %) is a first letter on the 22nd."""
    session, user, amy = school
    attend(session, amy, user, date(2025, 9, 15), date(2025, 9, 18), absent_every=4)
    (due,) = letters_due(session, date(2025, 9, 22), AP)
    assert (due.step, due.template, due.review_days) == ("first_letter", "ap_first", 10)
    assert due.key == "ap_centre:first_letter:2025-09-15"
    assert [r.label for r in due.summary] == [
        "The week beginning 15 September",
        "This school year so far",
    ]
    attend(session, amy, user, date(2025, 9, 22), date(2025, 9, 26))
    assert letters_due(session, date(2025, 9, 29), AP) == []  # last week was full


def test_no_improvement_after_the_review_brings_letter_b(school: tuple) -> None:
    """Letter A's four-week review ends on 3 November; still poor, Letter B is due on the 4th."""
    session, user, amy = school
    poor_september(session, user, amy)
    send_all(session, user, LETTER_DAY)
    assert letters_due(session, date(2025, 9, 30)) == []
    attend(session, amy, user, date(2025, 9, 29), date(2025, 11, 3), absent_every=5)
    assert letters_due(session, date(2025, 11, 3)) == []  # the review's last day
    (due,) = letters_due(session, date(2025, 11, 4))
    assert (due.step, due.pending_event, due.due) == ("letter_b", "not_improved", date(2025, 11, 4))
    assert "between 30 September and 3 November 2025" in due.reason
    assert due.reason.endswith("not improved")
    assert due.meeting is not None
    assert due.meeting.at == datetime(2025, 11, 11, 15, 30)
    assert due.meeting.place == "the school office"


def test_improvement_writes_nothing_and_closing_starts_afresh(school: tuple) -> None:
    """Full attendance in the review: no letter; once confirmed, only later weeks count."""
    session, user, amy = school
    poor_september(session, user, amy)
    send_all(session, user, LETTER_DAY)
    attend(session, amy, user, date(2025, 9, 29), date(2025, 11, 3))
    assert letters_due(session, date(2025, 11, 4)) == []
    case = open_case_of(session, amy.id)
    assert case is not None
    confirm_review(
        session,
        case_id=case.id,
        improved=True,
        day=date(2025, 11, 4),
        user=user,
        now=at(date(2025, 11, 4)),
    )
    assert case.closed_on == date(2025, 11, 4)
    # The year so far is still below 96 %, but the new case is judged from 5 November.
    attend(session, amy, user, date(2025, 11, 4), date(2025, 11, 28), absent_every=6)
    (due,) = letters_due(session, date(2025, 12, 1))
    assert due.key == "default:letter_a:2025-11-05" and "between 5 and 28 November" in due.reason


def test_missed_meeting_brings_letter_b_again(school: tuple) -> None:
    """When the parents miss the informal meeting, Letter B goes again for a new date."""
    session, user, amy = school
    poor_september(session, user, amy)
    send_all(session, user, LETTER_DAY)
    attend(session, amy, user, date(2025, 9, 29), date(2025, 11, 3), absent_every=5)
    send_all(session, user, date(2025, 11, 4))
    case = open_case_of(session, amy.id)
    assert case is not None and case.state == "informal_meeting"
    record_event(
        session,
        case_id=case.id,
        event="missed",
        day=date(2025, 11, 12),
        user=user,
        now=at(date(2025, 11, 12)),
    )
    (due,) = letters_due(session, date(2025, 11, 12))
    assert (due.step, due.template, due.reason) == (
        "letter_b_again",
        "letter_b",
        "Meeting missed: the parents did not come to the meeting on Tue 11 Nov",
    )


def test_due_letters_are_on_the_today_worklist(school: tuple) -> None:
    """Each due letter is a `letter` action; closing it there takes it off the Letters list."""
    session, user, amy = school
    poor_september(session, user, amy)
    (action,) = [a for a in actions_for_day(session, LETTER_DAY, preset()) if a.kind == "letter"]
    assert action.key == "default:letter_a:2025-09-03"
    assert action.detail.startswith(
        "Letter A: attendance below the school's target: attendance 70.6%"
    )
    close_action(
        session,
        action=action,
        done=False,
        note="Medical: hospital letter seen",
        user=user,
        now=at(LETTER_DAY),
    )
    assert letters_due(session, LETTER_DAY) == []
    assert not [a for a in actions_for_day(session, LETTER_DAY, preset()) if a.kind == "letter"]


def test_ap_policy_weekly_letter_not_doubled(school: tuple) -> None:
    """With the AP pathway chosen, the AP policy's weekly letter is the pathway's, once."""
    session, user, amy = school
    settings.put(session, settings.LETTER_PATHWAY, "ap_centre", user=user, now=at(LETTER_DAY))
    attend(session, amy, user, date(2025, 9, 15), date(2025, 9, 18), absent_every=4)
    letters = [
        a
        for a in actions_for_day(session, date(2025, 9, 22), preset("ap_centre"))
        if a.kind == "letter"
    ]
    assert [a.key for a in letters] == ["ap_centre:first_letter:2025-09-15"]
