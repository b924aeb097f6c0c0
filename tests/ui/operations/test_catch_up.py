"""The window's tabs catch up by themselves: Today (and its count in the tab title) and Calls
change as soon as a call is logged, a register saved, letters sent or a check finished."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QTreeWidgetItem, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.followup.rules import actions_for_day
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.desk.calls_tab import AnswerDialog
from attendance_desk.ui.letters import due_panel
from attendance_desk.ui.main_window import TAB_NAMES, MainWindow
from attendance_desk.ui.safeguarding.safe_and_well_wizard import (
    DECISION,
    NEXT_STEPS,
    SafeAndWellWizard,
)
from tests.helpers.builders import add_pupil, add_staff, build_school, mark_days
from tests.helpers.modal import answering
from tests.letters.scenarios import attend, give_addresses

FRI, MON, TUE = date(2025, 9, 12), date(2025, 9, 15), date(2025, 9, 9)


@pytest.fixture(autouse=True)
def _office_acts() -> Iterator[None]:
    """Each test starts as the office account and leaves no login behind."""
    set_user(None)
    yield
    set_user(None)


def open_at(qtbot: QtBot, factory: sessionmaker[Session], now: datetime) -> MainWindow:
    window = MainWindow(factory, today=lambda: now.date(), now=lambda: now)
    # A failed test must not leave unsaved edits behind: closing would ask about them.
    qtbot.addWidget(window, before_close_func=_drop_unsaved)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.started)  # the tabs' counts are in their titles
    return window


def _drop_unsaved(window: MainWindow) -> None:
    while window.register_tab.model.undo():
        pass


def title(window: MainWindow, tab: str) -> str:
    return window.tabs.tabText(TAB_NAMES.index(tab))


def today_title(session: Session, day: date) -> str:
    """What the Today tab's title should say, straight from the worklist."""
    session.expire_all()
    count = len(actions_for_day(session, day))
    return f"Today ({count})" if count else "Today"


def switch(qtbot: QtBot, window: MainWindow, tab: str) -> None:
    """Ctrl+N, as the View menu says."""
    key = Qt.Key(Qt.Key.Key_1 + TAB_NAMES.index(tab))
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab_name() == tab


def worklist_rows(window: MainWindow) -> list[QTreeWidgetItem]:
    tree = window.today_tab.tree
    return [
        tree.topLevelItem(i).child(j)
        for i in range(tree.topLevelItemCount())
        for j in range(tree.topLevelItem(i).childCount())
    ]


def test_opening_fridays_call_from_today_selects_that_child(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Monday 08:30: Today lists Friday's two unmade first-day calls; Enter on Ben's opens
    the Calls panel on Ben, marked overdue since Friday, and the Calls title counts both."""
    _, user = build_school(session)
    for serial, (surname, forename) in enumerate((("Adams", "Amy"), ("Baker", "Ben")), 1):
        pupil = add_pupil(session, serial, surname=surname, forename=forename)
        mark_days(session, pupil, user, {(FRI, "AM"): "N", (FRI, "PM"): "N"})
    session.commit()
    window = open_at(qtbot, factory, datetime(2025, 9, 15, 8, 30))
    assert title(window, "calls") == "Calls (2)"
    ben = next(r for r in worklist_rows(window) if r.text(0) == "Ben Baker")
    assert ben.parent().text(0) == "First-day calls (2)"
    assert ben.text(3) == "Fri 12 Sep 2025 · 1 school day overdue"
    tree = window.today_tab.tree
    tree.setFocus()
    tree.setCurrentItem(ben)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.current_tab_name() == "calls"
    chosen = window.calls_tab.current_row()
    assert chosen is not None and chosen.name == "Ben Baker"
    item = window.calls_tab.pupils.currentItem()
    assert "overdue since Fri 12 Sep" in item.text()


def test_today_follows_calls_logged_on_the_calls_tab(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """A failed call shows on Today at once ("1 of 2 tried"); an answer takes the call off
    Today, and both tab titles count down, without F5."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    mark_days(session, amy, user, {(TUE, "AM"): "N"})
    session.commit()
    first, second = (c.id for c in amy.contacts)
    window = open_at(qtbot, factory, datetime(2025, 9, 9, 9, 40))
    before = title(window, "today")
    assert before == today_title(session, TUE) and title(window, "calls") == "Calls (1)"
    switch(qtbot, window, "calls")
    no_answer = window.calls_tab.findChild(QPushButton, f"no_answer_{first}")
    qtbot.mouseClick(no_answer, Qt.MouseButton.LeftButton)
    (call,) = [r for r in worklist_rows(window) if r.parent().text(0).startswith("First-day")]
    assert "(1 of 2 tried)" in call.text(4)

    def answer(dialog: AnswerDialog) -> None:
        qtbot.keyClicks(dialog.note_edit, "ear infection, back Thursday")
        qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)

    answered = window.calls_tab.findChild(QPushButton, f"answered_{second}")
    with answering(qtbot, AnswerDialog, answer):
        qtbot.mouseClick(answered, Qt.MouseButton.LeftButton)
    assert title(window, "today") == today_title(session, TUE) != before
    assert title(window, "calls") == "Calls"
    assert not any(r.parent().text(0).startswith("First-day") for r in worklist_rows(window))


def test_today_follows_a_saved_register(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """N typed for Amy and saved with Ctrl+S puts her first-day call on Today and Calls."""
    build_school(session)
    add_pupil(session, 1, surname="Adams", forename="Amy")
    add_pupil(session, 2, surname="Baker", forename="Ben")
    session.commit()
    window = open_at(qtbot, factory, datetime(2025, 9, 8, 9, 0))
    assert title(window, "calls") == "Calls"
    before = title(window, "today")
    switch(qtbot, window, "register")
    grid = window.register_tab.grid
    first = grid.model().index(0, window.register_tab.model.slot_column((date(2025, 9, 8), "AM")))
    qtbot.mouseClick(
        grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.visualRect(first).center()
    )
    qtbot.keyClicks(grid, "n/")
    qtbot.keyClick(grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert title(window, "today") == today_title(session, date(2025, 9, 8)) != before
    assert title(window, "calls") == "Calls (1)"


def test_today_follows_letters_sent(
    qtbot: QtBot,
    factory: sessionmaker[Session],
    session: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Amy's Letter A ticked with Space and saved from the Letters tab leaves Today's
    letters at once."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    zoe = add_pupil(session, 2, surname="Zed", forename="Zoe")
    give_addresses(amy)
    for pupil in (amy, zoe):
        attend(session, pupil, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
    session.commit()
    window = open_at(qtbot, factory, datetime(2025, 9, 29, 10, 0))
    before = title(window, "today")
    letters = [r for r in worklist_rows(window) if r.parent().text(0).startswith("Letters due")]
    assert sorted(r.text(0) for r in letters) == ["Amy Adams", "Zoe Zed"]
    switch(qtbot, window, "letters")
    tree = window.letters_tab.tree
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    # The folder chooser is the operating system's; the answer is the folder a user picks.
    monkeypatch.setattr(
        due_panel.QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(tmp_path)
    )
    save = window.letters_tab.due_panel.save_button
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert title(window, "today") == today_title(session, date(2025, 9, 29)) != before
    letters = [r for r in worklist_rows(window) if r.parent().text(0).startswith("Letters due")]
    assert [r.text(0) for r in letters] == ["Zoe Zed"]


def test_today_follows_a_finished_safe_and_well_check(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """The DSL decides "not today" for Amy (day 2) in the wizard and finishes it: Today's
    DSL decision for her is gone and the count is down, without F5."""
    _, office = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy", cp=True)
    mark_days(session, amy, office, {(d, "AM"): "N" for d in (date(2025, 9, 8), TUE)})
    dana = add_staff(session, pat="admin", dana="dsl")["dana"]
    session.commit()
    set_user(dana.id)
    window = open_at(qtbot, factory, datetime(2025, 9, 9, 10, 0))
    before = title(window, "today")
    assert any(r.parent().text(0).startswith("DSL decisions") for r in worklist_rows(window))
    switch(qtbot, window, "safeguarding")
    tab = window.safeguarding_tab
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    wizard = tab.findChild(SafeAndWellWizard)
    assert wizard is not None

    def next_page() -> None:
        button = wizard.button(QWizard.WizardButton.NextButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    next_page()
    for edit in wizard.currentPage().answers.values():
        qtbot.keyClicks(edit, "No")
    next_page()
    assert wizard.currentId() == DECISION
    qtbot.keyClicks(wizard.page(DECISION).rationale, "Day 2: mum usually rings; social worker told")
    next_page()
    assert wizard.currentId() == NEXT_STEPS
    assert title(window, "today") == before  # nothing announced until the check is finished
    qtbot.keyClick(wizard.page(NEXT_STEPS).steps["social_worker"], Qt.Key.Key_Space)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert title(window, "today") == today_title(session, TUE) != before
    assert not any(r.parent().text(0).startswith("DSL decisions") for r in worklist_rows(window))
