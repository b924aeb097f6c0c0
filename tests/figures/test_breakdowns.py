"""Headline against the target, breakdown labels and order, and small groups flagged."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from attendance_desk.access.auth import office_user
from attendance_desk.figures.breakdowns import SMALL_GROUP, breakdowns, headline
from attendance_desk.figures.codes_used import codes_used
from attendance_desk.school import settings
from tests.helpers.builders import NOW, add_pupil, build_school, mark_days

MON, TUE = date(2025, 9, 8), date(2025, 9, 9)
START, END = date(2025, 9, 1), date(2025, 9, 30)


def _school(session: Session) -> None:
    """Six pupils in 4A and one in 3A: 4A is a real group, 3A a group of one."""
    _, user = build_school(session)
    for n in range(1, 7):
        pupil = add_pupil(session, n, surname=f"Four{n}", year="4", group="4A", fsm=n <= 2)
        mark_days(session, pupil, user, {(MON, "AM"): "/", (MON, "PM"): "\\"})
    lone = add_pupil(session, 7, surname="Lone", year="3", group="3A", sex="F")
    mark_days(session, lone, user, {(MON, "AM"): "I", (MON, "PM"): "I", (TUE, "AM"): "/"})
    session.commit()


def test_small_groups_are_flagged(session: Session) -> None:
    """A group under SMALL_GROUP pupils is flagged; a bigger one is not."""
    _school(session)
    found = {b.name: b for b in breakdowns(session, START, END)}
    by_form = {g.label: g for g in found["reg_group"].groups}
    assert by_form["3A"].small and by_form["3A"].summary.pupils == 1 < SMALL_GROUP
    assert not by_form["4A"].small and by_form["4A"].summary.pupils == 6


def test_groups_are_labelled_and_ordered(session: Session) -> None:
    """Years in curriculum order with their names; flags yes first; sex spelt out."""
    _school(session)
    found = {b.name: b for b in breakdowns(session, START, END)}
    assert [g.label for g in found["year_group"].groups] == ["Year 3", "Year 4"]
    assert [g.label for g in found["fsm"].groups] == ["FSM", "Not FSM"]
    assert [g.summary.pupils for g in found["fsm"].groups] == [2, 5]
    assert [g.label for g in found["sex"].groups] == ["Female", "Not recorded"]
    assert found["year_group"].title == "Year group"
    assert all(b.pupils == 7 for b in found.values())


def test_headline_reads_the_target_from_settings(session: Session) -> None:
    """The target is the Settings value; the gap is attendance minus the target."""
    _school(session)
    first = headline(session, START, END)
    assert first.target == settings.ATTENDANCE_TARGET.default
    assert not first.meets_target
    settings.put(session, settings.ATTENDANCE_TARGET, 85.0, user=office_user(session), now=NOW)
    second = headline(session, START, END)
    # 13 attended of 15 possible sessions.
    assert second.summary.figures.possible == 15
    assert abs((second.attendance_pct or 0) - 100 * 13 / 15) < 1e-9
    assert second.target == 85.0 and second.meets_target
    assert abs((second.gap_to_target or 0) - (100 * 13 / 15 - 85)) < 1e-9
    assert second.summary.persistent == 1 and second.summary.persistent_pct == 100 / 7


def test_codes_used_counts_every_code(session: Session) -> None:
    """Codes used counts sessions and pupils per code, in the code table's order."""
    _school(session)
    used = {c.code: c for c in codes_used(session, START, END)}
    assert list(used) == ["/", "\\", "I"]
    assert (used["/"].sessions, used["/"].pupils) == (7, 7)
    assert (used["I"].sessions, used["I"].pupils) == (2, 1)
    assert used["I"].share_pct == 100 * 2 / 15


def test_empty_range_gives_no_figures(session: Session) -> None:
    """A range with no marks has no attendance, no groups and no codes, without errors."""
    build_school(session)
    empty = headline(session, date(2025, 12, 1), date(2025, 12, 5))
    assert empty.attendance_pct is None and empty.gap_to_target is None
    assert not empty.meets_target
    assert all(not b.groups for b in breakdowns(session, date(2025, 12, 1), date(2025, 12, 5)))


def test_sen_support_and_ehc_plans_are_apart_and_pupil_premium_follows_fsm(
    session: Session,
) -> None:
    """SEN provision splits into EHC plan, SEN support and none; pupil premium sits beside FSM."""
    _, user = build_school(session)
    flags = [
        {"sen": True, "ehcp": True, "pupil_premium": True},
        {"sen": True},
        {"sen": True},
        {"pupil_premium": True},
        {},
    ]
    for n, pupil_flags in enumerate(flags, start=1):
        pupil = add_pupil(session, n, surname=f"P{n}", **pupil_flags)
        mark_days(session, pupil, user, {(MON, "AM"): "/"})
    session.commit()
    found = breakdowns(session, START, END)
    sen = next(b for b in found if b.name == "sen")
    assert sen.title == "SEN provision"
    assert [(g.label, g.summary.pupils) for g in sen.groups] == [
        ("EHC plan", 1),
        ("SEN support", 2),
        ("No SEN", 2),
    ]
    names = [b.name for b in found]
    assert names.index("pupil_premium") == names.index("fsm") + 1
    premium = next(b for b in found if b.name == "pupil_premium")
    assert [(g.label, g.summary.pupils) for g in premium.groups] == [
        ("Pupil premium", 2),
        ("Not pupil premium", 3),
    ]
