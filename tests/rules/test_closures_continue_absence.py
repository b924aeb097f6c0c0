"""An unexpected closure does not end a continuous absence.

Working together to improve school attendance (2024) and the 2024 code set: a day the whole
school site is unexpectedly closed is recorded `Y4` and is not a possible session; a day with
no possible session for a pupil (`D`, `Y1`-`Y7`, `#`) is not a school day for them. Such a
day neither counts towards an absence nor ends it: the day 1/2/3 ladder, the 10-day
notification to the LA (children missing education) and the 20 school days
of regulation 9(1)(i) of the 2024 regulations all run on across it (docs/rules.md#closures).
"""

from __future__ import annotations

from datetime import date

from attendance_desk.followup.kinds import ActionKind
from attendance_desk.followup.rules import actions_for_day
from attendance_desk.models import Pupil
from attendance_desk.roll.grounds import unauthorised_run
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.school.followup_policy import preset
from tests.rules.conftest import School

SNOW = date(2025, 9, 11)  # Thursday: the school closed to everyone


def kinds(school: School, day: date) -> dict[str, int | None]:
    return {a.kind: a.day for a in actions_for_day(school.session, day, preset())}


def snowed_in(school: School, *pupils: Pupil) -> None:
    for pupil in pupils:
        school.mark(pupil, [SNOW], "Y4")


def test_the_ladder_runs_on_across_a_snow_day(school: School) -> None:
    """Amy, no reason Mon 8 to Wed 10, snow on Thursday (everyone Y4), no reason Friday 12:
    Friday is day 4 of the same absence, so the day 3 visit stays due, not a new day 1."""
    amy, ben = school.pupil(1), school.pupil(2, forename="Ben")
    school.mark(amy, [date(2025, 9, 8), date(2025, 9, 9), date(2025, 9, 10)], "N")
    school.present(ben, [date(2025, 9, 8), date(2025, 9, 9), date(2025, 9, 10), date(2025, 9, 12)])
    snowed_in(school, amy, ben)
    school.mark(amy, [date(2025, 9, 12)], "N")
    found = kinds(school, date(2025, 9, 12))
    assert found[ActionKind.SAFE_AND_WELL_VISIT] == 4
    assert ActionKind.FIRST_DAY_CALL not in found


def test_an_unmarked_pupil_on_a_closed_day(school: School) -> None:
    """Nobody marked Amy on the snow day (only Ben was): the school was closed to all, so
    the day is looked past and Friday is still day 4."""
    amy, ben = school.pupil(1), school.pupil(2, forename="Ben")
    school.mark(
        amy, [date(2025, 9, 8), date(2025, 9, 9), date(2025, 9, 10), date(2025, 9, 12)], "N"
    )
    snowed_in(school, ben)
    assert kinds(school, date(2025, 9, 12))[ActionKind.DSL_ALERT] == 4


def test_a_day_with_no_possible_session_for_the_pupil(school: School) -> None:
    """Amy is at her other school (D, dual registration) on Thursday: her absence from
    Monday runs on to day 4 on Friday."""
    amy = school.pupil(1)
    school.mark(
        amy, [date(2025, 9, 8), date(2025, 9, 9), date(2025, 9, 10), date(2025, 9, 12)], "N"
    )
    school.mark(amy, [SNOW], "D")
    assert kinds(school, date(2025, 9, 12))[ActionKind.DSL_ALERT] == 4


def test_the_ten_day_la_notification_counts_on(school: School) -> None:
    """Ten school days of O around the snow day (eleven days on the calendar, 8 to 23
    September with the INSET day on the 19th): the CME notification is due, at day 10."""
    amy, ben = school.pupil(1), school.pupil(2, forename="Ben")
    calendar = load_calendar(school.session)
    days = [d for d in calendar.school_days(date(2025, 9, 8), date(2025, 9, 23)) if d != SNOW]
    assert len(days) == 10
    school.mark(amy, days, "O")
    snowed_in(school, amy, ben)
    assert kinds(school, date(2025, 9, 23))[ActionKind.CME_REFERRAL] == 10


def test_the_twenty_days_of_regulation_9_1_i_count_on(school: School) -> None:
    """Twenty school days of O from 8 September to 7 October with the snow day among them:
    the register shows the 20 days in a row that regulation 9(1)(i) needs."""
    amy, ben = school.pupil(1), school.pupil(2, forename="Ben")
    calendar = load_calendar(school.session)
    days = [d for d in calendar.school_days(date(2025, 9, 8), date(2025, 10, 7)) if d != SNOW]
    assert len(days) == 20
    school.mark(amy, days, "O")
    snowed_in(school, amy, ben)
    run = unauthorised_run(school.session, calendar, amy, date(2025, 10, 7))
    assert (run.days, run.first_day) == (20, date(2025, 9, 8))
