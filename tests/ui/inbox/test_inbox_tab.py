"""The Inbox tab driven by keys and clicks in the real window: Ctrl+Enter accepts (the
register is coded, the first-day call leaves Today, the tab's count drops), Match to… and
Reject… through their dialogs, and a class teacher sees no parent's words."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.inbox.files import read_mail_file
from attendance_desk.models import InboxProposal, Mark
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.inbox.inbox_dialogs import MatchDialog, RejectDialog
from attendance_desk.ui.main_window import TAB_NAMES, MainWindow
from tests.helpers.builders import add_staff, mark_days
from tests.helpers.imap import email_bytes
from tests.helpers.inbox_school import Families, build_families

MONDAY = date(2025, 9, 8)
ARRIVED = datetime(2025, 9, 8, 7, 50)
NOW = datetime(2025, 9, 8, 9, 40)


def _inbox(session: Session, tmp_path: Path, *messages: tuple[str, str]) -> None:
    box = tmp_path / "morning.mbox"
    box.write_bytes(
        b"".join(
            b"From - Mon Sep  8 07:50:00 2025\n"
            + email_bytes(sender, text, sent=ARRIVED, message_id=f"m{n}@x")
            + b"\n"
            for n, (sender, text) in enumerate(messages)
        )
    )
    read_mail_file(session, box, now=ARRIVED)
    session.commit()


def _window(qtbot: QtBot, factory: sessionmaker[Session]) -> MainWindow:
    window = MainWindow(factory, today=lambda: MONDAY, now=lambda: NOW, send_outbox=False)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.started)  # the tabs' counts are in their titles
    return window


def _families(session: Session) -> Families:
    families = build_families(session)
    mark_days(session, families.amy, families.user, {(MONDAY, "AM"): "N"})
    session.commit()
    return families


def test_ctrl_enter_accepts_and_the_window_catches_up(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """Ctrl+4 opens the Inbox (2); Ctrl+Enter on Amy's proposal codes her N as I, her
    first-day call leaves Today's count, and the tab says Inbox (1)."""
    families = _families(session)
    _inbox(
        session,
        tmp_path,
        ("sarah.smith@example.com", "Amy has a temperature, keeping her home today."),
        ("stranger@example.net", "ok"),
    )
    window = _window(qtbot, factory)
    index = TAB_NAMES.index("inbox")
    assert window.tabs.tabText(index) == "Inbox (2)"
    today_before = window.tabs.tabText(TAB_NAMES.index("today"))
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    tab = window.inbox_tab
    assert window.tabs.currentWidget() is tab
    assert tab.heading.text() == "1 to check · 1 to match"
    assert tab.current_entry() is not None and tab.current_entry().name == "Amy Smith"
    assert "Amy has a temperature" in tab.text_view.toPlainText()
    assert tab.code_box.currentData() == "I"
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    mark = session.scalar(
        select(Mark).where(Mark.pupil_id == families.amy.id, Mark.session == "AM")
    )
    assert mark is not None and mark.code == "I"
    assert window.tabs.tabText(index) == "Inbox (1)"
    assert window.tabs.tabText(TAB_NAMES.index("today")) != today_before
    assert "Amy Smith: the report is recorded" in tab.fetch_status.text()


def test_match_to_and_reject_through_their_dialogs(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """An unknown sender is matched by typing a name in Match to…, then accepted with a
    changed code; "ok" is rejected with a reason typed in Reject…."""
    families = _families(session)
    _inbox(
        session,
        tmp_path,
        ("grandad@example.net", "Tom won't be in today"),
        ("07700900201@x.example", "ok"),
    )
    window = _window(qtbot, factory)
    window.show_tab("inbox")
    tab = window.inbox_tab
    assert not tab.accept_button.isEnabled()  # not matched: nothing to accept yet

    def choose_tom() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MatchDialog)
        qtbot.keyClicks(dialog.name_edit, "Tom")
        qtbot.waitUntil(lambda: dialog.matches.count() > 0, timeout=5000)
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)

    QTimer.singleShot(50, choose_tom)
    qtbot.mouseClick(tab.match_button, Qt.MouseButton.LeftButton)
    entry = tab.current_entry()
    assert entry is not None and entry.name == "Tom Smith"
    assert tab.accept_button.isEnabled()
    tab.code_box.setCurrentIndex(tab.code_box.findData("M"))
    qtbot.mouseClick(tab.accept_button, Qt.MouseButton.LeftButton)
    assert (
        session.scalar(
            select(Mark.code).where(Mark.pupil_id == families.tom.id, Mark.session == "AM")
        )
        == "M"
    )

    def give_reason() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RejectDialog)
        qtbot.keyClicks(dialog.why.lineEdit(), "a thank-you")
        qtbot.keyClick(dialog.why.lineEdit(), Qt.Key.Key_Return)

    QTimer.singleShot(50, give_reason)
    qtbot.mouseClick(tab.reject_button, Qt.MouseButton.LeftButton)
    session.expire_all()
    assert session.scalars(select(InboxProposal.why).order_by(InboxProposal.id)).all() == [
        None,
        "a thank-you",
    ]
    assert tab.heading.text() == "Nothing waits in the inbox."
    qtbot.mouseClick(tab.show_decided, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == 2


def test_a_class_teacher_sees_no_parents_words(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """Logged in as a class teacher, the Inbox tab shows only why it is closed to them."""
    _families(session)
    _inbox(session, tmp_path, ("sarah.smith@example.com", "Amy is ill"))
    staff = add_staff(session, pat="admin", tess="teacher")
    session.commit()
    try:
        set_user(staff["tess"].id)
        window = _window(qtbot, factory)
        window.show_tab("inbox")
        assert window.inbox_tab.pages.currentWidget() is window.inbox_tab.not_allowed
        assert window.inbox_tab.model.rowCount() == 0
        assert window.tabs.tabText(TAB_NAMES.index("inbox")) == "Inbox"
    finally:
        set_user(None)
