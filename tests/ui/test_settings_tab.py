"""The Settings tab: built from the registry, saved with checks, audited, admin only."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk import settings
from attendance_desk.models import AuditEvent, OutboxMessage
from attendance_desk.ui.acting_user import set_user
from attendance_desk.ui.settings_tab import SettingsTab
from tests.helpers.builders import add_staff, build_school

NOW = datetime(2025, 9, 8, 16, 0)


def open_tab(qtbot: QtBot, factory: sessionmaker[Session]) -> SettingsTab:
    tab = SettingsTab(factory, lambda: NOW)
    qtbot.addWidget(tab)
    tab.show()
    return tab


def test_every_setting_has_a_field_and_saving_is_audited(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Typing the summary addresses and the SMTP host, then Save, stores and audits them;
    the summary button then queues today's email."""
    build_school(session)
    session.commit()
    tab = open_tab(qtbot, factory)
    assert set(tab.fields) == set(settings.REGISTRY)
    qtbot.keyClicks(tab.fields["summary.recipients"], "head@school.example, slt@school.example")
    qtbot.keyClicks(tab.fields["smtp.host"], "mail.school.example")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.message.text() == "Saved (2 changed)."
    assert settings.get(session, settings.SMTP_HOST) == "mail.school.example"
    changes = session.scalars(select(AuditEvent).where(AuditEvent.entity == "setting")).all()
    assert len(changes) == 2
    qtbot.mouseClick(tab.summary_button, Qt.MouseButton.LeftButton)
    assert "2 addresses" in tab.message.text()
    assert len(session.scalars(select(OutboxMessage)).all()) == 2


def test_only_an_administrator_may_save(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """A receptionist's save is refused with who may, and nothing is stored."""
    build_school(session)
    desk = add_staff(session, pat="admin", rita="receptionist")["rita"]
    session.commit()
    try:
        set_user(desk.id)
        tab = open_tab(qtbot, factory)
        qtbot.keyClicks(tab.fields["smtp.host"], "mail.example")
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
        assert "Rita cannot do that" in tab.message.text()
        assert settings.get(session, settings.SMTP_HOST) == ""
    finally:
        set_user(None)


def test_an_unknown_policy_preset_is_refused(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """A preset name that is not a file is refused with the choices; nothing is stored."""
    build_school(session)
    session.commit()
    tab = open_tab(qtbot, factory)
    tab.fields["policy.preset"].clear()
    qtbot.keyClicks(tab.fields["policy.preset"], "strict")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "'strict' is not one of" in tab.message.text() and "ap_centre" in tab.message.text()
    assert settings.get(session, settings.POLICY_PRESET) == "default"


def test_the_mailbox_password_goes_to_the_password_store_not_the_database(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """With the mailbox's server and login saved, typing its password and pressing "Keep
    on this PC" puts it in the password store; the database and audit log never hold it."""
    import keyring

    from attendance_desk.inbox.credentials import SERVICE, mailbox_password

    build_school(session)
    session.commit()
    tab = open_tab(qtbot, factory)
    qtbot.mouseClick(tab.mailbox_password_button, Qt.MouseButton.LeftButton)
    assert "Not kept" in tab.message.text()
    qtbot.keyClicks(tab.fields["inbox.imap_host"], "imap.school.example")
    qtbot.keyClicks(tab.fields["inbox.imap_user"], "absence@school.example")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(tab.mailbox_password, "s3cret mailbox")
    qtbot.mouseClick(tab.mailbox_password_button, Qt.MouseButton.LeftButton)
    assert tab.message.text() == (
        "The password for absence@school.example is kept in this PC's password store."
    )
    assert tab.mailbox_password.text() == ""
    assert mailbox_password("absence@school.example", "imap.school.example") == "s3cret mailbox"
    keyring.delete_password(SERVICE, "absence@school.example@imap.school.example")
    assert not [d for d in session.scalars(select(AuditEvent.detail)) if "s3cret" in d]
