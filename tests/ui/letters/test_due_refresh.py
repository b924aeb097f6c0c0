"""After a change announced for one pupil, the Letters tab's Due page works out only that
pupil's letters again: theirs changes, everyone else's stay as they were, ticks and all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import Mark
from attendance_desk.pathway.due import letters_due
from attendance_desk.register.marks import MarkEdit, save_marks
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.main_window import TAB_NAMES, MainWindow
from attendance_desk.ui.operations.changes import Change, announce
from tests.helpers.builders import add_pupil, build_school
from tests.letters.scenarios import attend, give_addresses

NOW = datetime(2025, 9, 29, 10, 0)


@pytest.fixture(autouse=True)
def _office_acts() -> Iterator[None]:
    set_user(None)
    yield
    set_user(None)


def shown(window: MainWindow) -> dict[str, bool]:
    """Pupil name -> ticked, for every letter the Due page lists."""
    panel = window.letters_tab.due_panel
    return {item.text(0): item.checkState(0) == Qt.CheckState.Checked for item in panel.due_items()}


def test_a_change_for_one_pupil_redoes_only_their_letter(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Amy's absences corrected to present in the register take her letter off the Due page
    at once; Zoe's letter, ticked with Space, stays ticked (a whole reload would untick it)."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    zoe = add_pupil(session, 2, surname="Zed", forename="Zoe")
    for pupil in (amy, zoe):
        give_addresses(pupil)
        attend(session, pupil, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
    session.commit()
    window = MainWindow(factory, today=lambda: NOW.date(), now=lambda: NOW)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    key = Qt.Key(Qt.Key.Key_1 + TAB_NAMES.index("letters"))
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab_name() == "letters"
    assert shown(window) == {"Amy Adams": False, "Zoe Zed": False}
    tree = window.letters_tab.tree
    tree.setFocus()
    zoe_row = next(i for i in window.letters_tab.due_panel.due_items() if i.text(0) == "Zoe Zed")
    tree.setCurrentItem(zoe_row)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert shown(window) == {"Amy Adams": False, "Zoe Zed": True}

    absent = session.scalars(select(Mark).where(Mark.pupil_id == amy.id, Mark.code == "O"))
    edits = [
        MarkEdit(m.pupil_id, m.date, m.session, "/" if m.session == "AM" else "\\", m.version)
        for m in absent
    ]
    save_marks(session, edits=edits, user=user, now=NOW, amendment_reason="was in school")
    session.commit()
    # As the register does after a save: the window hears which pupil changed.
    assert announce(window.register_tab, Change.MARKS, pupils={amy.id})

    assert shown(window) == {"Zoe Zed": True}
    with factory() as check:
        assert [d.pupil_name for d in letters_due(check, NOW.date())] == ["Zoe Zed"]
    assert window.letters_tab.due_panel.heading.text().startswith("1 letter due")
