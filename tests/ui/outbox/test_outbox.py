"""The outbox in the window: the status bar's counts, the list it opens, Retry and Cancel by
clicks, "not set up" shown, and a text released on Calls reaching a real SMTP server."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import AuditEvent, Mark, OutboxMessage
from attendance_desk.outbox import messages as messaging
from attendance_desk.ui.main_window import MainWindow
from attendance_desk.ui.outbox.outbox_dialog import OutboxDialog
from tests.helpers.builders import add_pupil, build_school, mark_days
from tests.helpers.mail import TEXT_DOMAIN, free_port, smtp_server, use_smtp

TUE = date(2025, 9, 9)
NOW = datetime(2025, 9, 9, 9, 35)
WAIT_MS = 15_000

OpenWindow = Callable[[], MainWindow]


def open_window(qtbot: QtBot, factory: sessionmaker[Session]) -> MainWindow:
    """The real window at 09:35 on a Tuesday; its sender starts as the office's does."""
    window = MainWindow(factory, today=lambda: TUE, now=lambda: NOW)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.started)  # the sender starts once the window has
    return window


def wait_for_status(qtbot: QtBot, window: MainWindow, text: str) -> None:
    qtbot.waitUntil(lambda: window.outbox_status.text() == text, timeout=WAIT_MS)


def open_list(qtbot: QtBot, window: MainWindow) -> OutboxDialog:
    """Click the status bar's count; the outbox list opens."""
    qtbot.mouseClick(window.outbox_status, Qt.MouseButton.LeftButton)
    dialog = window.outbox_status.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def click_row(qtbot: QtBot, dialog: OutboxDialog, row: int) -> None:
    rect = dialog.table.visualRect(dialog.model.index(row, 2))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def answer_when_asked(qtbot: QtBot, button: QMessageBox.StandardButton) -> list[str]:
    """Click `button` on the next message box as soon as it opens; returns its text."""
    seen: list[str] = []

    def look(tries: int = 100) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)
        elif tries:
            QTimer.singleShot(50, lambda: look(tries - 1))

    QTimer.singleShot(0, look)
    return seen


def test_counts_show_and_update_after_a_retry_is_sent(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """With the email server down the count says 2 waiting (one held); the list shows why;
    once the server is up, Retry sends the email at once and the count drops to 1."""
    _, user = build_school(session)
    email = messaging.queue(
        session, channel="email", recipient="head@hillside.example", body="96%", now=NOW
    )
    messaging.queue(
        session, channel="sms", recipient="07700 900001", body="x", now=NOW, hold_for=(TUE, "AM")
    )
    with smtp_server() as server:
        use_smtp(session, user, free_port(), now=NOW)  # the server is somewhere else: down
        window = open_window(qtbot, factory)
        qtbot.waitUntil(
            lambda: "cannot be reached" in window.outbox_status.toolTip(), timeout=WAIT_MS
        )
        assert window.outbox_status.text() == "Outbox: 2 waiting · 0 failed"
        assert "1 absence text held until the register is checked" in window.outbox_status.toolTip()
        dialog = open_list(qtbot, window)
        assert dialog.model.rowCount() == 2
        assert dialog.model.row_at(0).id == email.id
        assert "cannot be reached" in (dialog.model.row_at(0).last_error or "")
        assert not dialog.retry_button.isEnabled()
        click_row(qtbot, dialog, 0)
        assert dialog.retry_button.isEnabled()
        use_smtp(session, user, server.port, now=NOW)  # IT fixes the settings
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
        wait_for_status(qtbot, window, "Outbox: 1 waiting · 0 failed")
        assert server.recipients == ["head@hillside.example"]
    assert dialog.model.rowCount() == 1  # the open list caught up too
    assert dialog.model.row_at(0).status == "held"
    session.expire_all()
    assert session.get(OutboxMessage, email.id).status == "sent"  # type: ignore[union-attr]
    retry = session.scalars(select(AuditEvent).where(AuditEvent.action == "retry")).one()
    assert retry.entity_id == email.id


def test_cancel_asks_first_and_is_audited(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Ctrl+Shift+O opens the list; Cancel on a failed message asks; No keeps it; Yes marks
    it cancelled (audited) and the failed count goes back to 0."""
    build_school(session)
    message = messaging.queue(session, channel="email", recipient="a@b.example", body="x", now=NOW)
    message.status, message.attempts, message.last_error = "failed", 8, "refused"
    session.commit()
    window = open_window(qtbot, factory)
    wait_for_status(qtbot, window, "Outbox: 0 waiting · 1 failed")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(
        window,
        Qt.Key.Key_O,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.outbox_status.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    click_row(qtbot, dialog, 0)
    asked = answer_when_asked(qtbot, QMessageBox.StandardButton.No)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert asked and "Cancel the email to a@b.example?" in asked[0]
    session.expire_all()
    assert session.get(OutboxMessage, message.id).status == "failed"  # type: ignore[union-attr]
    answer_when_asked(qtbot, QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    wait_for_status(qtbot, window, "Outbox: 0 waiting · 0 failed")
    assert dialog.message.text() == "Cancelled the email to a@b.example."
    assert dialog.model.rowCount() == 0
    session.expire_all()
    assert session.get(OutboxMessage, message.id).status == "cancelled"  # type: ignore[union-attr]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "cancel")).one()
    assert (event.entity_id, json.loads(event.detail)["was"]) == (message.id, "failed")


def test_not_set_up_is_shown_and_settings_then_send_it(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """With no text sender, the count says 'not set up', the tooltip and the list say what
    to fill in; 'Open Settings' leads there, and once Messaging is filled in and saved the
    waiting text goes at once."""
    build_school(session)
    messaging.queue(session, channel="sms", recipient="07700 900001", body="x", now=NOW)
    session.commit()
    window = open_window(qtbot, factory)
    wait_for_status(qtbot, window, "Outbox: 1 waiting · 0 failed · not set up")
    assert "Texts: not set up: Settings → Messaging" in window.outbox_status.toolTip()
    window.show_tab("today")
    dialog = open_list(qtbot, window)
    assert dialog.not_set_up.isVisible()
    assert "Texts are not set up: Settings → Messaging" in dialog.not_set_up.text()
    assert dialog.model.row_at(0).last_error.startswith("not set up")  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.settings_button, Qt.MouseButton.LeftButton)
    assert window.current_tab_name() == "settings"
    assert not dialog.isVisible()
    fields = window.settings_tab.fields
    with smtp_server() as server:
        qtbot.keyClicks(fields["smtp.host"], "127.0.0.1")
        fields["smtp.port"].selectAll()  # type: ignore[union-attr]
        qtbot.keyClicks(fields["smtp.port"], str(server.port))
        qtbot.keyClick(fields["smtp.starttls"], Qt.Key.Key_Space)  # no STARTTLS here
        qtbot.keyClicks(fields["smtp.from"], "office@hillside.example")
        qtbot.keyClicks(fields["sms.email_domain"], TEXT_DOMAIN)
        qtbot.mouseClick(window.settings_tab.save_button, Qt.MouseButton.LeftButton)
        assert window.settings_tab.message.text() == "Saved (5 changed)."
        wait_for_status(qtbot, window, "Outbox: 0 waiting · 0 failed")
        assert server.recipients == [f"07700900001@{TEXT_DOMAIN}"]


def test_text_released_on_calls_reaches_the_server_and_the_trip_child_gets_none(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """'Text sent' on Calls holds the text; 'Register checked' releases it and the window
    sends it straight away by email-to-text; a child recoded to a trip gets nothing."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    ben = add_pupil(session, 2, surname="Baker", forename="Ben")
    mark_days(session, amy, user, {(TUE, "AM"): "N"})
    mark_days(session, ben, user, {(TUE, "AM"): "N"})
    with smtp_server() as server:
        use_smtp(session, user, server.port, now=NOW, text_domain=TEXT_DOMAIN)
        window = open_window(qtbot, factory)
        calls = window.calls_tab
        window.show_tab("calls")
        for pupil in (amy, ben):
            item = calls.pupils.findItems(pupil.legal_surname, Qt.MatchFlag.MatchContains)[0]
            rect = calls.pupils.visualItemRect(item)
            qtbot.mouseClick(calls.pupils.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            button = calls.findChild(QPushButton, f"text_sent_{pupil.contacts[0].id}")
            assert button is not None
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        wait_for_status(qtbot, window, "Outbox: 2 waiting · 0 failed")
        ben_mark = session.scalars(select(Mark).where(Mark.pupil_id == ben.id)).one()
        ben_mark.code = "V"  # the register check finds Ben on the trip
        session.commit()
        qtbot.mouseClick(window.calls_tab.review_button, Qt.MouseButton.LeftButton)
        wait_for_status(qtbot, window, "Outbox: 0 waiting · 0 failed")
        assert server.recipients == [f"07700900001@{TEXT_DOMAIN}"]
        assert "Amy was not in school this morning" in server.received[0].get_payload()
