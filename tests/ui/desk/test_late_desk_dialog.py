"""The late desk: three keystrokes sign in a known child, at the right code for the clock."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import Mark
from attendance_desk.ui.desk.late_desk_dialog import LateDeskDialog
from tests.helpers.builders import add_pupil, build_school, mark_days
from tests.helpers.modal import answering


def dialog_at(qtbot: QtBot, factory: sessionmaker[Session], now: datetime) -> LateDeskDialog:
    dialog = LateDeskDialog(factory, lambda: now)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setFocus()
    return dialog


def test_three_keystrokes_sign_in(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """'om' + Enter at 08:58 signs Omar in as L, 8 minutes late, and clears for the next."""
    build_school(session)
    omar = add_pupil(session, 1, surname="Iqbal", forename="Omar")
    add_pupil(session, 2, surname="Adams", forename="Amy")
    session.commit()
    dialog = dialog_at(qtbot, factory, datetime(2025, 9, 8, 8, 58))
    qtbot.keyClicks(dialog.name_edit, "om")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    mark = session.scalars(select(Mark).where(Mark.pupil_id == omar.id)).one()
    assert (mark.code, mark.minutes_late, mark.session) == ("L", 8, "AM")
    assert "Omar Iqbal: L — 8 minutes late" in dialog.outcome.text()
    assert dialog.name_edit.text() == "" and dialog.log.count() == 1


def test_after_close_with_reason_replaces_n(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """At 10:05 a child marked N is signed in as U with the reason typed, as an amendment."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    mark_days(session, amy, user, {(date(2025, 9, 8), "AM"): "N"})
    session.commit()
    dialog = dialog_at(qtbot, factory, datetime(2025, 9, 8, 10, 5))
    qtbot.keyClicks(dialog.name_edit, "ada")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.reason_edit, "bus late")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    session.expire_all()
    mark = session.scalars(select(Mark)).one()
    assert (mark.code, mark.minutes_late) == ("U", 75)
    assert mark.amendments[0].reason == "arrived late: bus late"
    assert "replacing N" in dialog.log.item(0).text()


def test_down_arrow_chooses_second_match(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Two Amys: ↓ chooses the first, ↓ again the second, and Enter signs in that one."""
    build_school(session)
    add_pupil(session, 1, surname="Adams", forename="Amy")
    second = add_pupil(session, 2, surname="Brown", forename="Amy")
    session.commit()
    dialog = dialog_at(qtbot, factory, datetime(2025, 9, 8, 9, 0))
    qtbot.keyClicks(dialog.name_edit, "amy")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Down)
    assert dialog.matches.currentRow() == 0
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert session.scalars(select(Mark.pupil_id)).one() == second.id


def test_enter_with_two_matches_signs_nobody_in(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """ "Bradley" matches Bradley Cole and Ava Bradley: Enter chooses neither, says why, and
    nothing is stored; typing on to one match and Enter signs that child in."""
    build_school(session)
    add_pupil(session, 1, surname="Bradley", forename="Ava")
    cole = add_pupil(session, 2, surname="Cole", forename="Bradley")
    session.commit()
    dialog = dialog_at(qtbot, factory, datetime(2025, 9, 8, 9, 0))
    qtbot.keyClicks(dialog.name_edit, "bradley")
    assert dialog.matches.count() == 2 and dialog.matches.currentItem() is None
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert session.scalars(select(Mark)).all() == []
    assert "2 pupils match: choose one with ↓ first" in dialog.outcome.text()
    assert dialog.log.count() == 0
    qtbot.keyClicks(dialog.name_edit, " c")
    assert dialog.matches.count() == 1
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert session.scalars(select(Mark.pupil_id)).one() == cole.id
    assert "Signed in Bradley Cole" in dialog.outcome.text()


def test_undo_puts_the_mark_back_with_a_reason(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Amy (N this morning) signed in by mistake: Undo asks why, amends her U back to N
    with that reason, keeps the sign-in in her history, and cannot be pressed twice."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    mark_days(session, amy, user, {(date(2025, 9, 8), "AM"): "N"})
    session.commit()
    dialog = dialog_at(qtbot, factory, datetime(2025, 9, 8, 10, 5))
    qtbot.keyClicks(dialog.name_edit, "amy")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert dialog.undo_button.isEnabled()

    def answer(box: QInputDialog) -> None:
        assert box.textValue() == "signed in the wrong child"
        box.setTextValue("it was Amy Brown")
        qtbot.keyClick(box, Qt.Key.Key_Return)

    with answering(qtbot, QInputDialog, answer):
        qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    session.expire_all()
    mark = session.scalars(select(Mark)).one()
    assert (mark.code, mark.minutes_late) == ("N", None)
    history = [(a.old_code, a.new_code, a.reason) for a in mark.amendments]
    assert history == [
        ("N", "U", "arrived late"),
        ("U", "N", "sign-in undone: it was Amy Brown"),
    ]
    assert "sign-in undone, AM back to N" in dialog.log.item(0).text()
    assert not dialog.undo_button.isEnabled() and not dialog.slip_button.isEnabled()


def test_undo_of_a_first_mark_leaves_n_not_a_gap(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Omar had no mark yet: Alt+U undoes his sign-in to N (reason still to come), as an
    amendment; the L stays in the history."""
    build_school(session)
    add_pupil(session, 1, surname="Iqbal", forename="Omar")
    session.commit()
    dialog = dialog_at(qtbot, factory, datetime(2025, 9, 8, 8, 58))
    qtbot.keyClicks(dialog.name_edit, "om")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)

    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # a shortcut reaches only the active window
    # the reason box opens once the button's animated click is done
    with answering(qtbot, QInputDialog, lambda box: qtbot.keyClick(box, Qt.Key.Key_Return)):
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "sign-in undone" in dialog.outcome.text())
    session.expire_all()
    mark = session.scalars(select(Mark)).one()
    assert mark.code == "N"
    assert [(a.old_code, a.new_code) for a in mark.amendments] == [("L", "N")]
    assert mark.amendments[0].reason == "sign-in undone: signed in the wrong child"


def test_already_present_is_refused_visibly(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """A child already present gets a red message and no second mark."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    mark_days(session, amy, user, {(date(2025, 9, 8), "AM"): "/"})
    session.commit()
    dialog = dialog_at(qtbot, factory, datetime(2025, 9, 8, 9, 0))
    qtbot.keyClicks(dialog.name_edit, "am")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert "already signed in" in dialog.outcome.text()
    assert dialog.log.count() == 0


def test_late_slip_is_ready_to_print(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """After a sign-in the slip for that child is rendered, with the time and minutes."""
    from tests.printing.pdftext import pages

    build_school(session)
    add_pupil(session, 1, surname="Iqbal", forename="Omar")
    session.commit()
    dialog = dialog_at(qtbot, factory, datetime(2025, 9, 8, 9, 12))
    assert not dialog.slip_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "om")
    qtbot.keyClicks(dialog.reason_edit, "bus")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    assert dialog.slip_button.isEnabled() and dialog.last_slip is not None
    slip = " ".join(" ".join(pages(dialog.last_slip)).split())
    assert "Omar Iqbal" in slip and "09:12" in slip and "22 minutes" in slip and "bus" in slip


def test_typing_without_accents_signs_in_wojcik(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """'woj' + Enter signs in Kuba Wójcik: the desk's search ignores accents."""
    build_school(session)
    kuba = add_pupil(session, 1, surname="Wójcik", forename="Kuba")
    add_pupil(session, 2, surname="Adams", forename="Amy")
    session.commit()
    dialog = dialog_at(qtbot, factory, datetime(2025, 9, 8, 8, 58))
    qtbot.keyClicks(dialog.name_edit, "woj")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    mark = session.scalars(select(Mark).where(Mark.pupil_id == kuba.id)).one()
    assert mark.code == "L"
    assert "Kuba Wójcik: L" in dialog.outcome.text()
