"""The removal and admission dialogs, driven with the keyboard and mouse."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import Pupil, RollChange
from attendance_desk.ui.roll.admission_dialog import AdmissionDialog
from attendance_desk.ui.roll.removal_dialog import RemovalDialog
from tests.helpers.builders import add_pupil, build_school, make_upn
from tests.printing.pdftext import pages

NOW = datetime(2025, 11, 10, 10, 0)


@pytest.fixture
def amy(session: Session) -> Pupil:
    build_school(session)
    pupil = add_pupil(session, 1, surname="Adams", forename="Amy")
    session.commit()
    return pupil


def removal_dialog(qtbot: QtBot, factory: sessionmaker[Session]) -> RemovalDialog:
    dialog = RemovalDialog(factory, lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.pupil_edit, "ada")
    return dialog


def test_unavailable_grounds_are_disabled_and_explained(
    qtbot: QtBot, factory: sessionmaker[Session], amy: Pupil
) -> None:
    """The 20-day ground is listed but cannot be chosen, and the dialog says why."""
    dialog = removal_dialog(qtbot, factory)
    assert dialog.pupil_box.currentData() == amy.id
    items = {
        dialog.grounds.item(i).data(Qt.ItemDataRole.UserRole).ground.key: dialog.grounds.item(i)
        for i in range(dialog.grounds.count())
    }
    assert len(items) == 15
    twenty = items["continuous_absence"]
    assert not twenty.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "0 school days in a row" in twenty.toolTip()
    assert "9(1)(i): the register shows 0 school days" in dialog.unavailable.text()
    assert items["home_education"].flags() & Qt.ItemFlag.ItemIsEnabled


def test_keyboard_skips_disabled_grounds_and_shows_guidance(
    qtbot: QtBot, factory: sessionmaker[Session], amy: Pupil
) -> None:
    """Home, then Down: the disabled nursery ground (b) is stepped over; guidance follows."""
    dialog = removal_dialog(qtbot, factory)
    dialog.grounds.setFocus()
    qtbot.keyClick(dialog.grounds, Qt.Key.Key_Home)
    assert dialog.chosen().ground.regulation == "9(1)(a)"  # type: ignore[union-attr]
    assert "destination school" in dialog.guidance.text()
    qtbot.keyClick(dialog.grounds, Qt.Key.Key_Down)
    assert dialog.chosen().ground.regulation == "9(1)(c)"  # type: ignore[union-attr]


def test_choose_confirm_and_print_the_return(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, amy: Pupil
) -> None:
    """Home education chosen by keyboard, details typed, Remove, Confirm: recorded, and
    the deletion return is ready with the ground on it."""
    dialog = removal_dialog(qtbot, factory)
    dialog.grounds.setFocus()
    qtbot.keyClick(dialog.grounds, Qt.Key.Key_Home)
    for _ in range(4):
        qtbot.keyClick(dialog.grounds, Qt.Key.Key_Down)
    assert dialog.chosen().ground.key == "home_education"  # type: ignore[union-attr]
    assert "in writing" in dialog.guidance.text()
    qtbot.keyClicks(dialog.details_edit, "Parent's letter received 10 Nov asking for today")
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm_button.isVisible()
    assert "Remove Amy Adams from roll, last day Monday 10 November 2025" in (
        dialog.confirm_label.text()
    )
    assert session.scalar(select(func.count()).select_from(RollChange)) == 0
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert "off roll after Mon 10 Nov 2025" in dialog.status.text()
    change = session.scalar(select(RollChange))
    assert change is not None and change.ground == "home_education"
    session.refresh(amy)
    assert amy.on_roll_to == date(2025, 11, 10)
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    assert not dialog.remove_button.isEnabled()
    text = " ".join(pages(dialog.deletion_return()))
    assert "9(1)(f)" in text and "Amy Adams" in text


def test_missing_details_refused_and_past_dates_not_offered(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, amy: Pupil
) -> None:
    """The date cannot go before today; confirming with no details says what is missing."""
    dialog = removal_dialog(qtbot, factory)
    dialog.date_edit.setDate(QDate(2025, 11, 7))
    assert dialog.chosen_day() == date(2025, 11, 10)
    dialog.grounds.setFocus()
    qtbot.keyClick(dialog.grounds, Qt.Key.Key_Home)
    qtbot.keyClick(dialog.grounds, Qt.Key.Key_End)
    assert dialog.chosen().ground.key == "permanently_excluded"  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert "Not removed: Details: required" in dialog.status.text()
    assert session.scalar(select(func.count()).select_from(RollChange)) == 0


def admission_dialog(qtbot: QtBot, factory: sessionmaker[Session]) -> AdmissionDialog:
    dialog = AdmissionDialog(factory, lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_admit_a_pupil(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, amy: Pupil
) -> None:
    """Typed in and admitted: on roll from today, in the chosen group, with a contact and
    the title chosen for her (so letters say "Dear Ms Baker")."""
    dialog = admission_dialog(qtbot, factory)
    qtbot.keyClicks(dialog.upn_edit, make_upn(70))
    qtbot.keyClicks(dialog.surname_edit, "Baker")
    qtbot.keyClicks(dialog.forename_edit, "Tom")
    dialog.born_edit.setDate(QDate(2017, 2, 3))
    dialog.year_box.setCurrentIndex(dialog.year_box.findData("3"))
    assert dialog.group_box.currentText() == "3A"
    qtbot.keyClicks(dialog.contacts[0].title, "Ms")
    qtbot.keyClicks(dialog.contacts[0].name, "Jo Baker")
    qtbot.keyClicks(dialog.contacts[0].relationship, "Mother")
    qtbot.keyClicks(dialog.contacts[0].phone, "07700 900100")
    qtbot.mouseClick(dialog.admit_button, Qt.MouseButton.LeftButton)
    assert "Tom Baker is on roll from Mon 10 Nov 2025" in dialog.status.text()
    tom = session.scalar(select(Pupil).where(Pupil.legal_surname == "Baker"))
    assert tom is not None and tom.reg_group.name == "3A"
    assert [(c.title, c.name) for c in tom.contacts] == [("Ms", "Jo Baker")]
    assert session.scalar(select(RollChange.kind)) == "admission"


def test_admission_with_a_bad_upn_names_it(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, amy: Pupil
) -> None:
    """A wrong check letter: the message names the UPN field and nothing is added."""
    dialog = admission_dialog(qtbot, factory)
    upn = make_upn(70)
    qtbot.keyClicks(dialog.upn_edit, ("B" if upn[0] != "B" else "C") + upn[1:])
    qtbot.keyClicks(dialog.surname_edit, "Baker")
    qtbot.keyClicks(dialog.forename_edit, "Tom")
    dialog.born_edit.setDate(QDate(2017, 2, 3))
    qtbot.mouseClick(dialog.admit_button, Qt.MouseButton.LeftButton)
    assert "Not admitted: UPN: bad UPN check letter" in dialog.status.text()
    assert session.scalar(select(func.count()).select_from(Pupil)) == 1
