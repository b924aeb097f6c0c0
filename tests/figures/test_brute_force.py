"""Every figure from SQL agrees with counting the same marks one by one in Python."""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attendance_desk.access.auth import office_user
from attendance_desk.catalogues import codes
from attendance_desk.figures import lists, trends
from attendance_desk.figures.breakdowns import breakdowns_from
from attendance_desk.figures.codes_used import codes_used_from
from attendance_desk.figures.tally import GROUPINGS, range_tally
from attendance_desk.register import stats
from tests.figures import brute
from tests.figures.brute import MarkRow
from tests.figures.conftest import DAYS, SLOTS, SmallSchool

ALL_CODES = [c.code for c in codes.CODES]
#: Mostly present, as real registers are, so the PA line is crossed both ways.
CODE_CHOICE = st.one_of(
    st.sampled_from(["/", "\\", "L"]), st.sampled_from(ALL_CODES), st.sampled_from(["I", "O"])
)
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def registers(draw: st.DrawFn, pupil_ids: list[int]) -> tuple[list[MarkRow], date, date]:
    """Marks for any of the pupils on any sessions, and a range inside the term."""
    marks: list[MarkRow] = []
    for pid in pupil_ids:
        slots = draw(st.dictionaries(st.integers(0, len(SLOTS) - 1), CODE_CHOICE, max_size=30))
        marks += [(pid, SLOTS[i][0], SLOTS[i][1], code) for i, code in slots.items()]
    first, last = sorted(draw(st.lists(st.integers(0, len(DAYS) - 1), min_size=2, max_size=2)))
    return marks, DAYS[first], DAYS[last]


def marks_and_range(school: SmallSchool) -> st.SearchStrategy[tuple[list[MarkRow], date, date]]:
    return registers(sorted(school.pupils))


@PROPERTY
@given(data=st.data())
def test_school_and_breakdowns_match(small_school: SmallSchool, data: st.DataObject) -> None:
    """The headline and every breakdown equal the brute-force counts, and each breakdown's
    groups add up to the whole school."""
    marks, start, end = data.draw(marks_and_range(small_school))
    small_school.replace_marks(marks)
    tally = range_tally(small_school.session, start, end)
    want = brute.school(brute.in_range(marks, start, end))
    assert tally.school.figures.as_counts() == {**want.counts(), "possible": want.possible}
    assert (tally.school.pupils, tally.school.persistent, tally.school.severe) == (
        want.pupils,
        want.persistent,
        want.severe,
    )
    same_as_stats = stats.school_figures(small_school.session, start, end)
    assert tally.school.figures == same_as_stats.totals
    assert tally.school.persistent == same_as_stats.persistent_count
    for breakdown in breakdowns_from(small_school.session, tally):
        expected = brute.grouped(
            brute.in_range(marks, start, end), small_school.pupils, breakdown.name
        )
        got = {g.key: g.summary for g in breakdown.groups}
        assert set(got) == set(expected), breakdown.name
        for key, summary in got.items():
            assert summary.figures.as_counts()["possible"] == expected[key].possible
            assert summary.figures.authorised == expected[key].authorised
            assert summary.figures.unauthorised == expected[key].unauthorised
            assert summary.pupils == expected[key].pupils
            assert summary.persistent == expected[key].persistent
            assert summary.severe == expected[key].severe
        assert breakdown.pupils == tally.school.pupils
        assert sum(g.summary.figures.possible for g in breakdown.groups) == want.possible
        assert sum(g.summary.persistent for g in breakdown.groups) == want.persistent
    assert {b.name for b in breakdowns_from(small_school.session, tally)} == set(GROUPINGS)
    small_school.session.rollback()


@PROPERTY
@given(data=st.data())
def test_codes_and_lists_match(small_school: SmallSchool, data: st.DataObject) -> None:
    """Codes used count every mark of each code; the PA and at-risk lists hold exactly the
    pupils whose absence share puts them there."""
    marks, start, end = data.draw(marks_and_range(small_school))
    small_school.replace_marks(marks)
    session = small_school.session
    tally = range_tally(session, start, end, watch_from=lists.AT_RISK_FROM)
    sessions, who = brute.codes_used(brute.in_range(marks, start, end))
    used = codes_used_from(tally)
    assert {c.code: c.sessions for c in used} == dict(sessions)
    assert {c.code: c.pupils for c in used} == {k: len(v) for k, v in who.items()}
    assert [c.code for c in used] == [c.code for c in codes.CODES if c.code in sessions]
    pupils = brute.per_pupil(brute.in_range(marks, start, end))
    persistent = {p for p, c in pupils.items() if c.absence_share() >= Fraction(1, 10)}
    at_risk = {
        p for p, c in pupils.items() if Fraction(8, 100) <= c.absence_share() < Fraction(1, 10)
    }
    found = lists.concern_lists_from(
        session, tally, viewer=office_user(session), up_to=datetime(2026, 1, 1)
    )
    assert {p.pupil_id for p in found.persistent} == persistent
    assert {p.pupil_id for p in found.at_risk} == at_risk
    assert len(found.persistent) == tally.school.persistent
    for listed in (*found.persistent, *found.at_risk):
        assert listed.unauthorised == pupils[listed.pupil_id].unauthorised
        assert listed.stage is None
    shown = [p.attendance_pct or 0.0 for p in found.persistent]
    assert shown == sorted(shown)
    session.rollback()


@PROPERTY
@given(data=st.data())
def test_weeks_and_weekdays_match(small_school: SmallSchool, data: st.DataObject) -> None:
    """Week-by-week and day-of-week figures equal the marks grouped by Monday and weekday."""
    marks, start, end = data.draw(marks_and_range(small_school))
    small_school.replace_marks(marks)
    kept = brute.in_range(marks, start, end)
    profile = trends.time_profile(small_school.session, weeks=(start, end), weekdays=(start, end))
    weeks = brute.by_day(kept, brute.monday)
    assert [p.monday for p in profile.weeks] == sorted(weeks)
    for point in profile.weeks:
        want = weeks[point.monday]
        assert point.sessions.possible == want.possible
        assert point.sessions.attended == want.present + want.attending_elsewhere
        assert point.sessions.unauthorised == want.unauthorised
    weekdays = brute.by_day(kept, date.weekday)
    assert {p.weekday: p.sessions.possible for p in profile.weekdays} == {
        k: c.possible for k, c in weekdays.items()
    }
    assert {p.weekday: p.sessions.authorised for p in profile.weekdays} == {
        k: c.authorised for k, c in weekdays.items()
    }
    small_school.session.rollback()
