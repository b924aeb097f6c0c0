"""The main window with real key presses and clicks: title, tabs, search and pupil details."""

from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from attendance_desk.access.auth import office_user
from attendance_desk.ui.main_window import TAB_NAMES, MainWindow
from attendance_desk.ui.pupils.pupil_table_model import Column, PupilTableModel
from tests.helpers.builders import add_pupil, build_school, mark_days
from tests.helpers.typing import type_text
from tests.ui.conftest import OpenWindow


@pytest.fixture
def school(session: Session) -> None:
    """Riverside Primary: Okafor (3A, 80 %), Adams and Brown (3B), Patel (4A, vulnerable)."""
    build_school(session, name="Riverside Primary")
    okafor = add_pupil(session, 1, surname="Okafor", forename="Chidi", group="3A")
    add_pupil(session, 2, surname="Adams", forename="Zoe", group="3B")
    add_pupil(session, 3, surname="Brown", forename="Ben", group="3B")
    add_pupil(session, 4, surname="Patel", forename="Priya", year="4", group="4A", vulnerable=True)
    okafor.contacts[1].do_not_contact = True
    days = [date(2025, 9, d) for d in (8, 9, 10, 11, 12)]
    marks = {(d, s): "/" if s == "AM" else "\\" for d in days for s in ("AM", "PM")}
    marks[(days[0], "AM")] = marks[(days[0], "PM")] = "O"
    mark_days(session, okafor, office_user(session), marks)
    session.commit()


def shown_names(window: MainWindow) -> list[str]:
    proxy = window.pupils_tab.proxy
    return [proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount())]


def test_title_names_the_school(open_window: OpenWindow, school: None, db_path):
    """The title bar says the app and the school; the status bar says the database (the
    file, or the server with no password)."""
    from attendance_desk.store.db import describe

    window = open_window()
    assert window.windowTitle() == "Attendance Desk — Riverside Primary"
    assert window.db_label.text() == f"Database: {describe(db_path)}"


def test_title_without_a_school(open_window: OpenWindow):
    """Before a school exists the title is just the app's name."""
    assert open_window().windowTitle() == "Attendance Desk"


def test_tabs_in_order_opening_on_today(open_window: OpenWindow, school: None):
    """Nine tabs in the office's order; a school with pupils opens on Today's worklist."""
    window = open_window()
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == [
        "Today",
        "Register",
        "Calls",
        "Inbox",
        "Safe and well",
        "Letters",
        "Pupils",
        "Reports",
        "Settings",
    ]
    assert window.current_tab_name() == "today"
    assert window.tabs.currentWidget().objectName() == "tab_today"
    assert [window.tab_widgets[name].objectName() for name in TAB_NAMES] == [
        f"tab_{name}" for name in TAB_NAMES
    ]


def test_show_tab_by_name(open_window: OpenWindow, school: None):
    """show_tab brings a tab to the front by name and refuses a name it does not know."""
    window = open_window()
    assert window.show_tab("letters") is window.tabs.currentWidget()
    assert window.current_tab_name() == "letters"
    with pytest.raises(ValueError, match="no 'marks' tab"):
        window.show_tab("marks")


def test_ctrl_number_switches_tabs(qtbot: QtBot, open_window: OpenWindow, school: None):
    """Ctrl+1 to Ctrl+9 bring up the tabs in order."""
    window = open_window()
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab_name() == "letters"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab_name() == "today"
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab_name() == "settings"
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab_name() == "inbox"


def test_every_action_has_a_shortcut(open_window: OpenWindow):
    """Each menu action carries a shortcut and plain words for screen readers."""
    window = open_window()
    for name, action in window.actions_by_name.items():
        assert not action.shortcut().isEmpty(), name
        assert action.text().replace("&", "").strip(), name
        assert action.shortcut().toString() in action.toolTip(), name


def test_list_shows_pupils_on_roll_with_count(open_window: OpenWindow, school: None):
    """All pupils on roll, by surname, with a count and Okafor's 80 % shown."""
    window = open_window()
    window.show_tab("pupils")  # the list loads when first shown
    assert shown_names(window) == ["Zoe Adams", "Ben Brown", "Chidi Okafor", "Priya Patel"]
    assert window.pupils_tab.count_label.text() == "4 pupils on roll"
    proxy = window.pupils_tab.proxy
    assert proxy.index(2, Column.ATTENDANCE).data() == "80.0%"


def test_typing_filters_the_list(qtbot: QtBot, open_window: OpenWindow, school: None):
    """Typing a group into the search box narrows the list to that group after a pause."""
    window = open_window()
    tab = window.pupils_tab
    qtbot.keyClicks(tab.search_edit, "3b")
    qtbot.waitUntil(lambda: shown_names(window) == ["Zoe Adams", "Ben Brown"])
    assert tab.count_label.text() == "2 pupils match “3b”"
    qtbot.keyClicks(tab.search_edit, " bro")
    qtbot.waitUntil(lambda: shown_names(window) == ["Ben Brown"])
    assert tab.count_label.text() == "1 pupil matches “3b bro”"
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(shown_names(window)) == 4)


def test_ctrl_f_finds_from_any_tab(qtbot: QtBot, open_window: OpenWindow, school: None):
    """Ctrl+F from another tab comes back to Pupils with the cursor in the search box."""
    window = open_window()
    window.show_tab("reports")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab_name() == "pupils"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.pupils_tab.search_edit)


def test_down_arrow_goes_from_search_to_first_match(
    qtbot: QtBot, open_window: OpenWindow, school: None
):
    """Down in the search box searches now and selects the first match, shown in details."""
    window = open_window()
    tab = window.pupils_tab
    tab.focus_search()
    qtbot.keyClicks(tab.search_edit, "patel")
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Down)
    assert shown_names(window) == ["Priya Patel"]
    assert tab.selected_pupil() is not None and tab.selected_pupil().name == "Priya Patel"
    assert QApplication.focusWidget() is tab.table
    badge = tab.details.widget().findChild(QLabel, "details_vulnerable")
    assert badge is not None and badge.text() == "On the vulnerable list"


def test_clicking_a_row_shows_contacts(qtbot: QtBot, open_window: OpenWindow, school: None):
    """Clicking Okafor shows his details and both contacts in priority order, one barred."""
    window = open_window()
    window.show_tab("pupils")  # the list loads when first shown
    tab = window.pupils_tab
    assert not tab.details.contact_labels
    rect = tab.table.visualRect(tab.proxy.index(2, Column.UPN))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.selected_pupil().name == "Chidi Okafor"
    words = [label.accessibleName() for label in tab.details.contact_labels]
    assert words == [
        "Priority 1: Sarah Okafor, Mother, parental responsibility, 07700 900001",
        "Do not contact, Priority 2: David Okafor, Father, parental responsibility, 07700 900002",
    ]
    assert "Sarah Okafor" in tab.details.contact_labels[0].text()
    details = tab.details.widget()
    assert details.findChild(QLabel, "details_name").text() == "Chidi Okafor"
    assert details.findChild(QLabel, "details_vulnerable") is None
    assert details.findChild(QLabel, "contact_do_not_contact").text() == "Do not contact"
    attendance = details.findChild(QLabel, "details_attendance").text()
    assert attendance == "80.0% this year: persistent absence"


def test_selection_survives_a_search_that_keeps_the_pupil(
    qtbot: QtBot, open_window: OpenWindow, school: None
):
    """Narrowing the search keeps the selected pupil selected; losing them clears the panel."""
    window = open_window()
    window.show_tab("pupils")  # the list loads when first shown
    tab = window.pupils_tab
    assert tab.select_pupil(tab.model.row_at(1).pupil_id)  # Ben Brown
    tab.search_edit.setText("3b")
    tab.reload()
    assert tab.selected_pupil().name == "Ben Brown"
    tab.search_edit.setText("patel")
    tab.reload()
    assert tab.selected_pupil() is None
    assert not tab.details.contact_labels


def test_header_click_sorts_by_attendance(qtbot: QtBot, open_window: OpenWindow, school: None):
    """Clicking the Attendance % header sorts by the percentage, in the order it shows."""
    window = open_window()
    window.show_tab("pupils")  # the list loads when first shown
    tab = window.pupils_tab
    header = tab.table.horizontalHeader()
    x = (
        header.sectionViewportPosition(Column.ATTENDANCE)
        + header.sectionSize(Column.ATTENDANCE) // 2
    )
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == Column.ATTENDANCE
    values = [
        tab.proxy.index(r, Column.ATTENDANCE).data(PupilTableModel.SortRole)
        for r in range(tab.proxy.rowCount())
    ]
    ascending = header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert values == sorted(values, reverse=not ascending)
    assert values[0 if ascending else -1] == -1.0  # no marks yet
    assert 80.0 in values


@pytest.mark.sqlite_only("restoring a backup of the SQLite file")
def test_restore_puts_the_backup_in_place(
    qtbot: QtBot, open_window: OpenWindow, school: None, db_path, tmp_path
):
    """A backup taken, a pupil added, then the backup restored: the pupil is gone again
    and the replaced database is kept aside."""
    from datetime import datetime

    from sqlalchemy import func, select

    from attendance_desk.models import AuditEvent, Pupil
    from attendance_desk.store import backup
    from attendance_desk.store.db import open_database
    from tests.helpers.builders import add_pupil

    saved = backup.backup_to(db_path, tmp_path / "backups", datetime(2025, 9, 12, 7, 0))
    with open_database(db_path)() as session:
        add_pupil(session, 99, surname="Newcomer")
        session.commit()
    window = open_window()
    aside = window.restore_database(saved)
    assert aside is not None and aside.exists()
    with open_database(db_path)() as session:
        assert session.scalar(select(func.count()).where(Pupil.legal_surname == "Newcomer")) == 0
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert last is not None and (last.action, last.entity) == ("restore", "database")
        assert json.dumps(str(saved)) in last.detail and last.user_name == "School office"


def test_every_tab_has_an_icon_drawn_sharp_at_double_size(open_window: OpenWindow) -> None:
    """The tab icons are SVG: each draws at 48 px (a 200 % screen) with something in it."""
    window = open_window()
    for index in range(window.tabs.count()):
        image = window.tabs.tabIcon(index).pixmap(48, 48).toImage()
        assert image.width() == 48
        assert any(image.pixelColor(x, 24).alpha() > 0 for x in range(48)), index


def test_search_ignores_accents_and_apostrophes(
    qtbot: QtBot, open_window: OpenWindow, school: None, session: Session
):
    """Typing "wojcik" finds Wójcik and "o’brien" (curly apostrophe) finds O'Brien."""
    add_pupil(session, 5, surname="Wójcik", forename="Kuba", group="3A")
    add_pupil(session, 6, surname="O'Brien", forename="Sean", group="3B")
    session.commit()
    window = open_window()
    tab = window.pupils_tab
    qtbot.keyClicks(tab.search_edit, "wojcik")
    qtbot.waitUntil(lambda: shown_names(window) == ["Kuba Wójcik"])
    tab.search_edit.clear()
    type_text(qtbot, tab.search_edit, "o’brien")
    assert tab.search_edit.text() == "o’brien"
    qtbot.waitUntil(lambda: shown_names(window) == ["Sean O'Brien"])
