"""08:40 to 09:30 at Hillside: a parent's phone call, the fire list before the registers,
three class teachers taking their registers at the office PC, two late arrivals at the
desk (before and after the register closes), and the fire list again once they are in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTreeWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import AbsenceReport, Mark, MarkAmendment, Pupil
from attendance_desk.ui.desk.absence_report_dialog import ReportDialog
from attendance_desk.ui.desk.late_desk_dialog import LateDeskDialog
from attendance_desk.ui.desk.on_site_dialog import OnSiteDialog
from attendance_desk.ui.main_window import MainWindow
from tests.acceptance.hillside import TODAY, Clock, School
from tests.acceptance.steps import (
    CTRL,
    all_named,
    go_to,
    hand_over,
    list_texts,
    named,
    open_as,
    open_dialog,
    press,
    register_grid,
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


def take_register(qtbot: QtBot, window: MainWindow, group: str, typed: str, marked: int) -> str:
    """The teacher opens the Register tab on their class, types the codes down today's
    morning column, marks the rest present (Ctrl+P: `marked` unsaved marks then) and saves
    (Ctrl+S); returns what the register says after saving."""
    tab = go_to(qtbot, window, "register")
    groups = named(tab, QComboBox, "Registration group")
    assert [groups.itemText(i) for i in range(groups.count())] == [group]
    grid, model = register_grid(tab)
    assert model.slot_at(grid.currentIndex().column()) == (TODAY, "AM")
    assert grid.currentIndex().row() == 0
    qtbot.keyClicks(grid, typed)
    qtbot.keyClick(grid, Qt.Key.Key_P, CTRL)
    pending = named(tab, QLabel, "register_pending")
    assert pending.text() == f"{marked} unsaved changes — Ctrl+S to save"
    qtbot.keyClick(grid, Qt.Key.Key_S, CTRL)
    assert pending.text() == ""
    return named(tab, QLabel, "Register status").text()


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
    assert named(window, QLabel, "acting_user").text() == "Rita Shah (Receptionist)"

    # 08:40 Priya's mother phones: Desk → Parent's absence report (Ctrl+R).
    shortcut(qtbot, window, Qt.Key.Key_R)
    report = open_dialog(window, ReportDialog)
    qtbot.keyClicks(named(report, QLineEdit, "Pupil"), "Patel")
    assert named(report, QComboBox, "Matching pupil").currentText() == "Priya Patel (4B)"
    assert named(report, QComboBox, "Reason code").currentText().startswith("I — Illness")
    qtbot.keyClicks(named(report, QLineEdit, "What they said"), "Sickness bug in the night")
    qtbot.keyClicks(named(report, QLineEdit, "Who reported it"), "Mrs Patel, mother")
    assert named(report, QComboBox, "How").currentText() == "phone"
    press(qtbot, report, "Save")
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
    assert named(fire, QLabel, "on_site_summary").text() == (
        "On site at 08:45: 29 pupils in 3 groups"
    )
    warning = named(fire, QLabel, "Registers not taken")
    assert warning.text().startswith("Register not taken yet: 3A, 4B, 5C.")
    tree = named(fire, QTreeWidget, "Pupils on site by group")
    groups = tree_groups(tree)
    assert list(groups) == [
        "3A — 10 on site · register not taken",
        "4B — 9 on site · register not taken",
        "5C — 10 on site · register not taken",
    ]
    assert "Priya Patel" not in groups["4B — 9 on site · register not taken"]
    first = tree.topLevelItem(0).child(0)
    assert (first.text(0), first.text(1)) == ("Amy Adams", "register not taken")
    qtbot.keyClick(fire, Qt.Key.Key_Escape)
    assert not fire.isVisible()

    # 08:52 the class teachers take their registers at the office PC, one after another:
    # each types the absentees' N down the column and Ctrl+P marks the rest present.
    clock.at(8, 52)
    hand_over(qtbot, window, "tess")
    assert named(window, QLabel, "acting_user").text() == "Tess Morgan (Class teacher)"
    said = take_register(qtbot, window, "3A", "n" + "/" * 7 + "n", 10)  # Amy and Omar are out
    assert said == "Saved: 10 new, 0 corrected, 0 amended."
    hand_over(qtbot, window, "tom")
    grid, model = register_grid(go_to(qtbot, window, "register"))
    priya = school.names_in("4B").index("Priya Patel")
    assert model.index(priya, model.slot_column((TODAY, "AM"))).data() == "I"  # her mother
    said = take_register(qtbot, window, "4B", "n", 9)  # Ben is out
    assert said == "Saved: 9 new, 0 corrected, 0 amended."
    hand_over(qtbot, window, "tara")
    said = take_register(qtbot, window, "5C", "////n/n/n", 10)  # Jack, Leo and Uma are out
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
    name_box = named(desk, QLineEdit, "Pupil name")
    said_by_desk = named(desk, QLabel, "desk_result")
    qtbot.keyClicks(name_box, "Leo")
    assert list_texts(named(desk, QListWidget, "Matching pupils")) == ["Leo Lewis (5C) — today N"]
    qtbot.keyClick(name_box, Qt.Key.Key_Return)
    assert said_by_desk.text() == "Signed in Leo Lewis: L — 8 minutes late, replacing N."
    assert tab_title(window, "calls") == "Calls (5)"

    # 09:20 Uma arrives after the register has closed: U, and the N is amended, not lost.
    clock.at(9, 20)
    qtbot.keyClicks(name_box, "Uma")
    qtbot.keyClick(name_box, Qt.Key.Key_Return)
    assert said_by_desk.text() == (
        "Signed in Uma Usman: U — after the register closed (30 minutes), replacing N."
    )
    assert list_texts(named(desk, QListWidget, "Signed in this morning")) == [
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
    assert len(in_school) == 25
    assert named(fire, QLabel, "on_site_summary").text() == (
        "On site at 09:30: 25 pupils in 3 groups"
    )
    assert not all_named(fire, QLabel, "Registers not taken")  # hidden: all taken
    tree = named(fire, QTreeWidget, "Pupils on site by group")
    assert {name for names in tree_groups(tree).values() for name in names} == in_school
    five_c = tree.topLevelItem(2)
    notes = {five_c.child(j).text(0): five_c.child(j).text(1) for j in range(five_c.childCount())}
    assert notes["Leo Lewis"] == "late, 8 min"
    assert notes["Uma Usman"] == "late, 30 min"
