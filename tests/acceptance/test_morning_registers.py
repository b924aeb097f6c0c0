"""08:40 to 09:30 at Hillside: a parent's phone call, the fire list before the registers,
three class teachers taking their registers at the office PC, two late arrivals at the
desk (before and after the register closes), and the fire list again once they are in."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import AbsenceReport, Mark, MarkAmendment, Pupil
from attendance_desk.ui.late_desk_dialog import LateDeskDialog
from attendance_desk.ui.main_window import MainWindow
from attendance_desk.ui.on_site_dialog import OnSiteDialog
from attendance_desk.ui.report_dialog import ReportDialog
from tests.acceptance.hillside import TODAY, Clock, School
from tests.acceptance.steps import (
    CTRL,
    click,
    go_to,
    hand_over,
    list_texts,
    open_as,
    open_dialog,
    shortcut,
    tab_title,
    tree_groups,
)


def todays_marks(session: Session, sess: str = "AM") -> dict[str, tuple[str, int | None]]:
    """Today's stored marks for the session: pupil's name -> (code, minutes late)."""
    session.expire_all()
    rows = session.execute(
        select(Pupil.legal_forename, Pupil.legal_surname, Mark.code, Mark.minutes_late)
        .join(Mark, Mark.pupil_id == Pupil.id)
        .where(Mark.date == TODAY, Mark.session == sess)
    )
    return {f"{f} {s}": (code, minutes) for f, s, code, minutes in rows}


def take_register(qtbot: QtBot, window: MainWindow, group: str, typed: str) -> str:
    """The teacher opens the Register tab on their class, types the codes down today's
    morning column, marks the rest present (Ctrl+P) and saves (Ctrl+S); returns what the
    register says after saving."""
    tab = go_to(qtbot, window, "register")
    assert [tab.group_box.itemText(i) for i in range(tab.group_box.count())] == [group]
    assert tab.model.slot_at(tab.grid.currentIndex().column()) == (TODAY, "AM")
    assert tab.grid.currentIndex().row() == 0
    qtbot.keyClicks(tab.grid, typed)
    qtbot.keyClick(tab.grid, Qt.Key.Key_P, CTRL)
    qtbot.keyClick(tab.grid, Qt.Key.Key_S, CTRL)
    assert tab.pending_label.text() == ""
    return tab.status.text()


def test_registers_late_arrivals_and_the_fire_list(
    qtbot: QtBot,
    factory: sessionmaker[Session],
    session: Session,
    school: School,
    clock: Clock,
) -> None:
    """A parent's report codes Priya before the register; the 08:45 fire list has everyone
    else, "register not taken"; the teachers' registers, Leo's L and Uma's U are stored and
    shown; at 09:30 the fire list has exactly the children the register says are in."""
    clock.at(8, 40)
    window = open_as(qtbot, factory, clock, "rita")
    assert window.windowTitle() == "Attendance Desk — Hillside Primary"
    assert window.user_label.text() == "Rita Shah (Receptionist)"

    # 08:40 Priya's mother phones: Desk → Parent's absence report (Ctrl+R).
    shortcut(qtbot, window, Qt.Key.Key_R)
    report = open_dialog(window, ReportDialog)
    qtbot.keyClicks(report.pupil_edit, "Patel")
    assert report.pupil_box.currentText() == "Priya Patel (4B)"
    assert report.code_box.currentData() == "I"
    qtbot.keyClicks(report.reason_edit, "Sickness bug in the night")
    qtbot.keyClicks(report.reported_by_edit, "Mrs Patel, mother")
    assert report.channel_box.currentText() == "phone"
    click(qtbot, report.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save))
    assert not report.isVisible()
    stored = session.scalars(select(AbsenceReport)).one()
    assert (stored.pupil_id, stored.code, stored.channel) == (
        school.pupils["Priya Patel"],
        "I",
        "phone",
    )
    assert todays_marks(session) == {"Priya Patel": ("I", None)}

    # 08:45 a fire drill before any register: everyone in school is on the list.
    clock.at(8, 45)
    shortcut(qtbot, window, Qt.Key.Key_E)
    fire = open_dialog(window, OnSiteDialog)
    assert fire.summary.text() == "On site at 08:45: 29 pupils in 3 groups"
    assert fire.warning.isVisible()
    assert fire.warning.text().startswith("Register not taken yet: 3A, 4B, 5C.")
    groups = tree_groups(fire.tree)
    assert list(groups) == [
        "3A — 10 on site · register not taken",
        "4B — 9 on site · register not taken",
        "5C — 10 on site · register not taken",
    ]
    assert "Priya Patel" not in groups["4B — 9 on site · register not taken"]
    first = fire.tree.topLevelItem(0).child(0)
    assert (first.text(0), first.text(1)) == ("Amy Adams", "register not taken")
    qtbot.keyClick(fire, Qt.Key.Key_Escape)
    assert not fire.isVisible()

    # 08:52 the class teachers take their registers at the office PC, one after another.
    clock.at(8, 52)
    hand_over(qtbot, window, "tess")
    assert window.user_label.text() == "Tess Morgan (Class teacher)"
    # Amy and Omar are not in; everyone else is (Ctrl+P marks the rest present).
    said = take_register(qtbot, window, "3A", "n" + "/" * 7 + "n")
    assert said == "Saved: 10 new, 0 corrected, 0 amended."
    hand_over(qtbot, window, "tom")
    tab = window.register_tab
    priya = tab.model.index(school.names_in("4B").index("Priya Patel"), 0)
    column = tab.model.slot_column((TODAY, "AM"))
    assert tab.model.index(priya.row(), column).data() == "I"  # from her mother's call
    said = take_register(qtbot, window, "4B", "n")  # Ben is not in
    assert said == "Saved: 9 new, 0 corrected, 0 amended."
    hand_over(qtbot, window, "tara")
    said = take_register(qtbot, window, "5C", "////n/n/n")  # Jack, Leo and Uma are not in
    assert said == "Saved: 10 new, 0 corrected, 0 amended."
    marks = todays_marks(session)
    assert len(marks) == 30
    assert {name for name, (code, _) in marks.items() if code != "/"} == {
        "Amy Adams",
        "Omar Osei",
        "Ben Baker",
        "Jack Jones",
        "Leo Lewis",
        "Uma Usman",
        "Priya Patel",
    }
    assert tab_title(window, "calls") == "Calls (6)"

    # 08:58 Leo arrives at the desk, before the register closes at 09:05: late, L.
    clock.at(8, 58)
    hand_over(qtbot, window, "rita")
    shortcut(qtbot, window, Qt.Key.Key_L)
    desk = open_dialog(window, LateDeskDialog)
    qtbot.keyClicks(desk.name_edit, "Leo")
    assert list_texts(desk.matches) == ["Leo Lewis (5C) — today N"]
    qtbot.keyClick(desk.name_edit, Qt.Key.Key_Return)
    assert desk.result.text() == "Signed in Leo Lewis: L — 8 minutes late, replacing N."
    assert tab_title(window, "calls") == "Calls (5)"

    # 09:20 Uma arrives after the register has closed: U, and the N is amended, not lost.
    clock.at(9, 20)
    qtbot.keyClicks(desk.name_edit, "Uma")
    qtbot.keyClick(desk.name_edit, Qt.Key.Key_Return)
    assert desk.result.text() == (
        "Signed in Uma Usman: U — after the register closed (30 minutes), replacing N."
    )
    assert list_texts(desk.log) == [
        "09:20  Uma Usman: AM U — after the register closed (30 minutes), replacing N",
        "08:58  Leo Lewis: AM L — 8 minutes late, replacing N",
    ]
    assert tab_title(window, "calls") == "Calls (4)"
    qtbot.keyClick(desk, Qt.Key.Key_Escape)
    marks = todays_marks(session)
    assert marks["Leo Lewis"] == ("L", 8)
    assert marks["Uma Usman"] == ("U", 30)
    uma = session.scalars(
        select(MarkAmendment)
        .join(Mark)
        .where(Mark.pupil_id == school.pupils["Uma Usman"], Mark.date == TODAY)
    ).one()
    assert (uma.old_code, uma.new_code, uma.user_name) == ("N", "U", "Rita Shah")

    # 09:30 the fire list: the children the register says are in, and nobody else.
    clock.at(9, 30)
    shortcut(qtbot, window, Qt.Key.Key_E)
    fire = open_dialog(window, OnSiteDialog)
    in_school = {name for name, (code, _) in todays_marks(session).items() if code in "/LU"}
    assert fire.summary.text() == f"On site at 09:30: {len(in_school)} pupils in 3 groups"
    assert len(in_school) == 25
    assert not fire.warning.isVisible()
    listed = {name for names in tree_groups(fire.tree).values() for name in names}
    assert listed == in_school
    notes = {
        fire.tree.topLevelItem(2).child(j).text(0): fire.tree.topLevelItem(2).child(j).text(1)
        for j in range(fire.tree.topLevelItem(2).childCount())
    }
    assert notes["Leo Lewis"] == "late, 8 min"
    assert notes["Uma Usman"] == "late, 30 min"
    assert clock() == datetime(2025, 10, 1, 9, 30)
