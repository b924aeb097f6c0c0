"""The pupil file: the chronology by kind, notes, restricted detail, and the printed copy."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import Mark
from attendance_desk.register.marks import MarkEdit, save_marks
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.pupils.pupil_file_dialog import PupilFileDialog
from tests.helpers.builders import add_pupil, add_staff, build_school
from tests.printing.pdftext import pages

NOW = datetime(2025, 9, 9, 10, 0)
MON = date(2025, 9, 8)


def test_file_lists_amendments_and_notes_and_prints(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """An amendment shows in the file; the DSL adds a restricted note; a receptionist
    cannot see it; the printed copy has the events."""
    _, office = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    save_marks(
        session,
        user=office,
        now=datetime(2025, 9, 8, 8, 55),
        edits=[MarkEdit(amy.id, MON, "AM", "N", None)],
    )
    saved = session.query(Mark).one()
    save_marks(
        session,
        user=office,
        now=NOW,
        amendment_reason="Mum rang: dentist",
        edits=[MarkEdit(amy.id, MON, "AM", "M", saved.version)],
    )
    staff = add_staff(session, pat="admin", dana="dsl", rita="receptionist")
    dsl, desk = staff["dana"], staff["rita"]
    session.commit()
    try:
        set_user(dsl.id)
        later = datetime(2025, 9, 9, 10, 5)
        dialog = PupilFileDialog(factory, lambda: later, pupil_id=amy.id)
        qtbot.addWidget(dialog)
        dialog.show()
        titles = [
            dialog.tree.topLevelItem(i).text(1) for i in range(dialog.tree.topLevelItemCount())
        ]
        assert "Register amended: Mon 8 Sep AM N → M" in titles
        qtbot.keyClicks(dialog.note_edit, "Mum disclosed worries about a neighbour")
        dialog.category_box.setCurrentIndex(dialog.category_box.findData("safeguarding"))
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        assert dialog.tree.topLevelItem(0).text(1) == "Safeguarding note"
        printed = " ".join(pages(dialog.document()))
        assert "CONFIDENTIAL" in printed and "Mum rang: dentist" in printed
        dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("amendment"))
        assert dialog.tree.topLevelItemCount() == 1
        set_user(desk.id)
        desk_view = PupilFileDialog(factory, lambda: NOW, pupil_id=amy.id)
        qtbot.addWidget(desk_view)
        details = [
            desk_view.tree.topLevelItem(i).text(2)
            for i in range(desk_view.tree.topLevelItemCount())
        ]
        assert not any("neighbour" in d for d in details)
        assert desk_view.category_box.findData("safeguarding") == -1
    finally:
        set_user(None)


def test_header_shows_flags_attendance_and_contacts(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Above the timeline for the DSL: the child-protection badge, this year's attendance and
    both parents in call order (a receptionist sees only "On the vulnerable list"); the When
    column shows whole dates, the Detail column the rest."""
    _, office = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", cp=True)
    save_marks(
        session, user=office, now=datetime(2025, 9, 8, 8, 55),
        edits=[MarkEdit(amy.id, MON, "AM", "O", None), MarkEdit(amy.id, MON, "PM", "\\", None)],
    )  # fmt: skip
    staff = add_staff(session, pat="admin", dana="dsl", rita="receptionist")
    session.commit()
    try:
        set_user(staff["rita"].id)
        desk = PupilFileDialog(factory, lambda: NOW, pupil_id=amy.id)
        qtbot.addWidget(desk)
        assert [b.text() for b in desk.header.badges] == ["On the vulnerable list"]
        set_user(staff["dana"].id)
        dialog = PupilFileDialog(factory, lambda: NOW, pupil_id=amy.id)
    finally:
        set_user(None)
    qtbot.addWidget(dialog)
    dialog.show()
    header = dialog.header
    assert [b.text() for b in header.badges] == ["Child protection plan"]
    assert header.attendance.text() == "Attendance this year 50.0% (severe absence)"
    contacts = header.contacts.text()
    assert "1. Sarah Adams (Mother, PR) 07700 900001" in contacts
    assert contacts.index("Sarah Adams") < contacts.index("David Adams")
    tree = dialog.tree
    when = tree.topLevelItem(0).text(0)
    assert tree.columnWidth(0) >= tree.fontMetrics().horizontalAdvance(when)
    assert tree.columnWidth(2) > tree.columnWidth(1) + tree.columnWidth(3)
