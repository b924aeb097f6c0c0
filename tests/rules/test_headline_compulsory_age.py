"""Headline figures as the DfE publishes them count pupils of compulsory school age only.

The DfE's pupil absence statistics cover pupils of compulsory school age (Education Act 1996
s8: from the prescribed day after the fifth birthday to the last Friday in June of the
school year in which the child turns 16). A school's whole roll also holds reception
children not yet five and a sixth form. Reports, the weekly SLT pack and `stats --json`
show both: the whole roll, and beside it the compulsory-school-age figures; a child who
reaches compulsory school age during the range counts from that day.
"""

from __future__ import annotations

from datetime import date, datetime

from attendance_desk.figures.report import load_report
from attendance_desk.figures.stats_report import stats_json
from attendance_desk.figures.weekly import gather_weekly
from attendance_desk.school import calendar_store
from attendance_desk.school.calendar import Period
from tests.rules.conftest import School

WEEK = [date(2025, 9, d) for d in (8, 9, 10, 11, 12)]


def two_pupils(school: School) -> None:
    """Amy (nine) misses 1 of 10 sessions; Rosie (four, in reception) misses 6 of 10."""
    amy = school.pupil(1)
    rosie = school.pupil(2, forename="Rosie", year="R", group="RA")
    rosie.date_of_birth = date(2021, 6, 10)  # of compulsory school age from 31 August 2026
    school.present(amy, WEEK[:4])
    school.mark(amy, WEEK[4:], "I", ("AM",))
    school.mark(amy, WEEK[4:], "\\", ("PM",))
    school.present(rosie, WEEK[:2])
    school.mark(rosie, WEEK[2:], "I")


def test_stats_json_has_a_second_block(school: School) -> None:
    """Whole roll: 13 of 20 sessions (65.0 %), both pupils persistent absentees (Amy missed
    10 %). Compulsory school age: Amy alone, 9 of 10 (90.0 %), one persistent absentee."""
    two_pupils(school)
    found = stats_json(school.session, WEEK[0], WEEK[-1])
    whole, dfe = found["school"], found["compulsory_school_age"]
    assert (whole["possible"], whole["attendance_pct"], whole["persistent_count"]) == (20, 65.0, 2)
    assert (dfe["possible"], dfe["attendance_pct"], dfe["persistent_count"]) == (10, 90.0, 1)
    assert set(dfe) == set(whole)


def test_reports_and_the_slt_pack_show_it(school: School) -> None:
    """The Reports headline and the weekly pack carry the compulsory-age figures."""
    two_pupils(school)
    head = school.staff["hana"]
    report = load_report(
        school.session, WEEK[0], WEEK[-1], now=datetime(2025, 9, 12, 16), viewer=head
    )
    assert report.headline.summary.attendance_pct == 65.0
    assert report.headline.compulsory is not None
    assert report.headline.compulsory.attendance_pct == 90.0
    pack = gather_weekly(school.session, WEEK[0], datetime(2025, 9, 12, 16), viewer=head)
    assert pack.this_week_compulsory.attendance_pct == 90.0


def test_a_child_counts_from_the_prescribed_day(school: School) -> None:
    """Sam turns five on 15 January 2026, so counts from 31 March: of his two absent days,
    Monday 30 March is left out and Tuesday 31 March counts."""
    calendar_store.replace_years(
        school.session,
        terms=[Period(date(2026, 3, 30), date(2026, 4, 1), "Spring 2 end")],
        closures=[],
        user=school.office,
        now=datetime(2026, 3, 1),
    )
    sam = school.pupil(3, forename="Sam", year="R", group="RA")
    sam.date_of_birth = date(2021, 1, 15)
    school.mark(sam, [date(2026, 3, 30), date(2026, 3, 31)], "O")
    school.present(sam, [date(2026, 4, 1)])
    found = stats_json(school.session, date(2026, 3, 30), date(2026, 4, 1))
    assert found["school"]["unauthorised"] == 4
    assert (
        found["compulsory_school_age"]["unauthorised"],
        found["compulsory_school_age"]["possible"],
    ) == (2, 4)
