"""DfE figures from SQL agree with a brute-force count over the same marks."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlalchemy.orm import Session

from attendance_desk.catalogues import codes
from attendance_desk.models import Mark, Pupil
from attendance_desk.register import stats
from attendance_desk.school.calendar import SchoolCalendar, sessions_between
from attendance_desk.store.db import open_database
from tests.conftest import NewDatabase
from tests.helpers.builders import CLOSURES, TERMS, add_pupil, build_school, mark_days

CAL = SchoolCalendar(tuple(TERMS), tuple(CLOSURES))
SLOTS = list(sessions_between(CAL, date(2025, 9, 3), date(2025, 10, 24)))
ALL_CODES = [c.code for c in codes.CODES]


def brute_force(marks: list[str]) -> dict[str, int]:
    """Count one pupil's codes by reading the code table, the slow obvious way."""
    out = dict.fromkeys(["present", "attending_elsewhere", "authorised", "unauthorised", "late"], 0)
    for code in marks:
        entry = codes.BY_CODE[code]
        if not entry.possible:
            continue
        key = {
            codes.Category.PRESENT: "present",
            codes.Category.ATTENDING_ELSEWHERE: "attending_elsewhere",
            codes.Category.AUTHORISED: "authorised",
            codes.Category.UNAUTHORISED: "unauthorised",
        }[entry.category]
        out[key] += 1
        out["late"] += code == "L"
    out["possible"] = sum(
        out[k] for k in ("present", "attending_elsewhere", "authorised", "unauthorised")
    )
    return out


@pytest.fixture(scope="module")
def school(
    tmp_path_factory: pytest.TempPathFactory, new_database: NewDatabase
) -> tuple[Session, list[int]]:
    factory = open_database(new_database(tmp_path_factory.mktemp("stats")))
    session = factory()
    _, user = build_school(session)
    pupils = [add_pupil(session, n, surname=f"P{n}") for n in range(1, 4)]
    for pupil in pupils:  # four-year-olds, so that every code, X too, may be drawn
        pupil.date_of_birth = date(2021, 6, 1)
    session.commit()
    session.info["user"] = user
    return session, [p.id for p in pupils]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_figures_match_brute_force(school: tuple[Session, list[int]], data: st.DataObject) -> None:
    """Any pattern of codes for three pupils gives the brute-force counts, per pupil and school,
    whether the school's are summed in SQL or from the pupils'."""
    session, pupil_ids = school
    session.execute(delete(Mark))
    expected: dict[int, dict[str, int]] = {}
    for pid in pupil_ids:
        chosen = data.draw(st.lists(st.sampled_from(ALL_CODES), min_size=0, max_size=20))
        slots = SLOTS[: len(chosen)]
        pupil = session.get(Pupil, pid)
        mark_days(session, pupil, session.info["user"], dict(zip(slots, chosen, strict=True)))
        expected[pid] = brute_force(chosen)
    session.flush()
    start, end = date(2025, 9, 1), date(2025, 12, 31)
    got = stats.pupil_figures(session, start, end)
    for pid, want in expected.items():
        figures = got.get(pid, stats.Figures())
        assert figures.as_counts() == want
        if want["possible"]:
            absent = want["authorised"] + want["unauthorised"]
            assert figures.persistent == (absent / want["possible"] >= 0.10)
            assert figures.severe == (absent / want["possible"] >= 0.50)
    school_total = stats.school_figures(session, start, end)
    for key in ("present", "attending_elsewhere", "authorised", "unauthorised", "late", "possible"):
        assert school_total.totals.as_counts()[key] == sum(e[key] for e in expected.values())
    assert school_total.persistent_count == sum(f.persistent for f in got.values())
    assert school_total.severe_count == sum(f.severe for f in got.values())
    assert stats.school_of(got) == school_total  # `stats` reads the marks once, from `got`
    session.rollback()


def test_percentages_and_thresholds_by_hand(session: Session) -> None:
    """18 present, 1 visit and 1 illness in 20 sessions: 95.0 %, not persistent."""
    _, user = build_school(session)
    pupil = add_pupil(session, 1)
    codes_ = ["/"] * 17 + ["L", "V", "I"]
    mark_days(session, pupil, user, dict(zip(SLOTS, codes_, strict=False)))
    fig = stats.pupil_figures(session, date(2025, 9, 1), date(2025, 9, 30))[pupil.id]
    assert (fig.possible, fig.present, fig.late, fig.attending_elsewhere) == (20, 18, 1, 1)
    assert stats.rounded(fig.attendance_pct) == 95.0
    assert not fig.persistent
    # Two absences in 21 sessions is under 10 %; a third in 22 (D does not count) crosses it.
    mark_days(session, pupil, user, {SLOTS[20]: "O"})
    fig = stats.pupil_figures(session, date(2025, 9, 1), date(2025, 9, 30))[pupil.id]
    assert fig.possible == 21 and not fig.persistent
    mark_days(session, pupil, user, {SLOTS[21]: "D", SLOTS[22]: "N"})
    fig = stats.pupil_figures(session, date(2025, 9, 1), date(2025, 9, 30))[pupil.id]
    assert fig.possible == 22 and fig.unauthorised == 2 and fig.authorised == 1
    assert fig.persistent and not fig.severe


def test_group_figures_add_up(session: Session) -> None:
    """Year-group figures sum to the whole-school totals."""
    _, user = build_school(session)
    a = add_pupil(session, 1, year="3", group="3A")
    b = add_pupil(session, 2, year="4", group="4A", surname="Jones")
    mark_days(session, a, user, dict(zip(SLOTS[:6], ["/", "\\", "I", "I", "/", "\\"], strict=True)))
    mark_days(session, b, user, dict(zip(SLOTS[:4], ["/", "N", "G", "Y2"], strict=True)))
    start, end = date(2025, 9, 1), date(2025, 12, 31)
    by_year = stats.group_figures(session, start, end, by="year_group")
    whole = stats.school_figures(session, start, end).totals
    assert sum(f.possible for f in by_year.values()) == whole.possible == 9
    assert by_year[a.year_group_id].authorised == 2
    assert by_year[b.year_group_id].unauthorised == 2


@pytest.mark.parametrize(
    ("value", "shown"), [(97.25, 97.3), (12.35, 12.4), (None, None), (100.0, 100.0)]
)
def test_rounding_is_half_up(value: float | None, shown: float | None) -> None:
    """Percentages round half up to one decimal place, as a hand count would."""
    assert stats.rounded(value) == shown


def test_reversed_range_is_refused(session: Session) -> None:
    """A range that ends before it starts is an error, not an empty answer."""
    with pytest.raises(ValueError, match="ends"):
        stats.school_figures(session, date(2025, 10, 1), date(2025, 9, 1))


def test_pupil_with_only_uncounted_codes_is_in_no_figure(session: Session) -> None:
    """A pupil marked only D (dual registered) has no possible sessions: not a pupil in the
    figures, not persistent, not severe."""
    _, user = build_school(session)
    dual = add_pupil(session, 1)
    mark_days(session, dual, user, {SLOTS[0]: "D", SLOTS[1]: "D"})
    start, end = date(2025, 9, 1), date(2025, 9, 30)
    assert stats.pupil_figures(session, start, end) == {}
    school = stats.school_figures(session, start, end)
    assert (school.pupils, school.persistent_count, school.severe_count) == (0, 0, 0)
