"""The Today worklist: grouped with counts, filtered by role, closed with a note by those
who may close each kind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.catalogues.action_kinds import ActionKind
from attendance_desk.models import ActionOutcome, User
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.desk.today_tab import TodayTab
from tests.helpers.builders import add_pupil, add_staff, build_school, mark_days
from tests.helpers.modal import answering

DAYS = [date(2025, 9, 8), date(2025, 9, 9), date(2025, 9, 10)]


@pytest.fixture(autouse=True)
def _log_out_after() -> Iterator[None]:
    yield
    set_user(None)


def build(session: Session) -> dict[str, User]:
    """Amy on day 3 with no contact, Zoe (CLA) on day 1; the staff by user name."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    zoe = add_pupil(session, 2, surname="Zed", forename="Zoe", cla=True)
    mark_days(session, amy, user, {(d, s): "N" for d in DAYS for s in ("AM", "PM")})
    mark_days(session, zoe, user, {(DAYS[2], "AM"): "N"})
    staff = add_staff(session, pat="admin", dina="dsl", rita="receptionist")
    session.commit()
    return staff


def open_tab(qtbot: QtBot, factory: sessionmaker[Session]) -> TodayTab:
    tab = TodayTab(factory, lambda: datetime(2025, 9, 10, 10, 0))
    qtbot.addWidget(tab)
    tab.resize(1100, 600)
    tab.show()
    return tab


def groups(tab: TodayTab) -> list[str]:
    return [tab.tree.topLevelItem(i).text(0) for i in range(tab.tree.topLevelItemCount())]


def test_grouped_with_counts_safeguarding_first(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Day 3 visit first; the CLA child's first-day call is there, marked at risk."""
    build(session)
    tab = open_tab(qtbot, factory)
    names = groups(tab)
    assert names[0] == "Safe-and-well visits due (1)"
    assert "First-day calls (1)" in names
    calls = tab.tree.topLevelItem(names.index("First-day calls (1)"))
    assert calls.child(0).text(0) == "Zoe Zed"


def test_role_filter(qtbot: QtBot, factory: sessionmaker[Session], session: Session) -> None:
    """Choosing Receptionist shows only the calls."""
    build(session)
    tab = open_tab(qtbot, factory)
    tab.role_box.setCurrentIndex(tab.role_box.findData("receptionist"))
    assert all("call" in g.lower() for g in groups(tab))


def test_done_with_note_removes_it(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """The DSL selects the visit, clicks Done and types what happened: it leaves the list."""
    set_user(build(session)["dina"].id)
    tab = open_tab(qtbot, factory)
    visit = tab.tree.topLevelItem(0).child(0)
    tab.tree.setCurrentItem(visit)

    def answer(dialog: QInputDialog) -> None:
        dialog.setTextValue("Visited with J. Patel at 11:00: child seen and safe")
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    with answering(qtbot, QInputDialog, answer), qtbot.waitSignal(tab.counts_changed):
        qtbot.mouseClick(tab.done_button, Qt.MouseButton.LeftButton)
    assert not any(g.startswith("Safe-and-well") for g in groups(tab))
    outcome = session.scalars(select(ActionOutcome)).one()
    assert (outcome.kind, outcome.status) == ("safe_and_well_visit", "done")


def test_call_rows_open_the_calls_panel(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Enter on a first-day call asks for the Calls panel."""
    build(session)
    tab = open_tab(qtbot, factory)
    calls = tab.tree.topLevelItem(groups(tab).index("First-day calls (1)")).child(0)
    tab.tree.setCurrentItem(calls)
    tab.tree.setFocus()
    with qtbot.waitSignal(tab.open_calls):
        qtbot.keyClick(tab.tree, Qt.Key.Key_Return)


def test_receptionist_is_not_offered_safeguarding_actions(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """For a receptionist, Done and Dismiss on the visit are disabled and say who may close
    it; on a first-day call they are enabled."""
    set_user(build(session)["rita"].id)
    tab = open_tab(qtbot, factory)
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0).child(0))  # the safe-and-well visit
    assert not tab.done_button.isEnabled() and not tab.dismiss_button.isEnabled()
    assert "Designated Safeguarding Lead" in tab.done_button.toolTip()
    assert "closed by" in tab.hint.text()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Return)  # Enter does not close it either
    assert session.scalars(select(ActionOutcome)).all() == []
    calls = tab.tree.topLevelItem(groups(tab).index("First-day calls (1)")).child(0)
    tab.tree.setCurrentItem(calls)
    assert tab.done_button.isEnabled() and tab.done_button.toolTip() == ""


def test_overdue_actions_stand_out(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Two school days after the actions fell due, every Due cell says so in bold on amber;
    the heading counts them."""
    from attendance_desk.ui.desk.overdue import OVERDUE_FILL

    build(session)
    tab = TodayTab(factory, lambda: datetime(2025, 9, 12, 10, 0))
    qtbot.addWidget(tab)
    tab.show()
    visit = tab.tree.topLevelItem(0).child(0)
    assert visit.text(3) == "Wed 10 Sep 2025 · 2 school days overdue"
    assert visit.font(3).bold() and visit.background(3).color() == OVERDUE_FILL
    assert visit.background(0).style() == Qt.BrushStyle.NoBrush
    shown = len(tab.visible_actions())
    assert shown >= 5 and tab.heading.text() == f"{shown} to do ({shown} overdue) · Fri 12 Sep 2025"


def test_actions_due_today_are_not_overdue(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """On the day they fall due, actions show their date only, in the plain font; only an
    action that fell due on an earlier day (Amy's call to every contact, due on her day 2)
    counts as overdue."""
    build(session)
    tab = open_tab(qtbot, factory)
    visit = tab.tree.topLevelItem(0).child(0)
    assert visit.text(3) == "Wed 10 Sep 2025"
    assert not visit.font(3).bold()
    late = [a for a in tab.visible_actions() if a.overdue]
    assert [(a.name, a.kind, a.due) for a in late] == [
        ("Amy Adams", ActionKind.CALL_ALL_CONTACTS, date(2025, 9, 9))
    ]
    assert tab.heading.text() == f"{len(tab.visible_actions())} to do (1 overdue) · Wed 10 Sep 2025"
