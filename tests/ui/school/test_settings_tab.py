"""The Settings tab: built from the registry, saved with checks, audited, admin only."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import AuditEvent, OutboxMessage
from attendance_desk.school import settings
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.operations.changes import EVERYTHING, Change, DataChanges
from attendance_desk.ui.school.settings_tab import SettingsTab
from tests.helpers.builders import add_staff, build_school
from tests.helpers.typing import answer_file_dialog

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
    assert set(tab.fields) == {k for k, o in settings.REGISTRY.items() if o.shown}
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


def test_presets_are_chosen_from_the_shipped_list_with_descriptions(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """The policy is a list of the shipped presets by name; choosing one by keyboard shows
    its description, and Save stores its key."""
    build_school(session)
    session.commit()
    tab = open_tab(qtbot, factory)
    box = tab.fields["policy.preset"]
    assert isinstance(box, QComboBox)
    names = [box.itemText(i) for i in range(box.count())]
    assert names[0] == "Day 1, 2, 3 flowchart" and "AP centre weekly cycle" in names
    assert "safe-and-well visit due on day 3" in tab.descriptions["policy.preset"].text()
    box.setFocus()
    while box.currentData() != "ap_centre":
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert "home visit after 5 days" in tab.descriptions["policy.preset"].text()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert settings.get(session, settings.POLICY_PRESET) == "ap_centre"
    pathway = tab.fields["letters.pathway"]
    assert isinstance(pathway, QComboBox) and pathway.currentText() == "Staged letters A to E"


def test_a_receptionist_sees_settings_read_only(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Every field is read-only, Save and Browse… are off, and a line says who may change them;
    typing into a field changes nothing."""
    build_school(session)
    desk = add_staff(session, pat="admin", rita="receptionist")["rita"]
    session.commit()
    try:
        set_user(desk.id)
        tab = open_tab(qtbot, factory)
        host = tab.fields["smtp.host"]
        assert isinstance(host, QLineEdit) and host.isReadOnly()
        qtbot.keyClicks(host, "mail.example")
        assert host.text() == ""
        assert not tab.fields["desk.print_late_slip"].isEnabled()
        assert not tab.fields["policy.preset"].isEnabled()
        assert not tab.save_button.isEnabled()
        assert not tab.browse_buttons["letters.logo_path"].isEnabled()
        assert tab.read_only_note.isVisible()
    finally:
        set_user(None)


def test_labels_show_words_not_markup_and_no_internal_values(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """ "Signatory's role" reads with its apostrophe; the remembered import mappings are not
    on the page; the database help is shown in full."""
    build_school(session)
    session.commit()
    tab = open_tab(qtbot, factory)
    form = tab.fields["letters.signatory_role"].parentWidget().layout()
    label = form.labelForField(tab.fields["letters.signatory_role"])
    assert label.textFormat() == Qt.TextFormat.RichText
    document = QTextDocument()
    document.setHtml(label.text())
    assert document.toPlainText() == "Signatory's role"
    assert settings.IMPORT_MAPPINGS.key not in tab.fields
    shown = tab.database_label
    assert shown.height() >= shown.heightForWidth(shown.width())


def test_browse_puts_the_chosen_logo_in_the_field(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """Browse… beside the logo opens a file chooser; the picture chosen goes in the field."""
    build_school(session)
    session.commit()
    logo = tmp_path / "crest.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    tab = open_tab(qtbot, factory)

    answer_file_dialog(qtbot, str(logo))
    qtbot.mouseClick(tab.browse_buttons["letters.logo_path"], Qt.MouseButton.LeftButton)
    field = tab.fields["letters.logo_path"]
    assert isinstance(field, QLineEdit) and field.text() == str(logo)


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


def test_the_summary_email_is_announced_to_the_outbox(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Clicking "Email today's attendance summary" in a window tells it the outbox changed,
    so the outbox's count catches up at once."""
    build_school(session)
    session.commit()
    window = QWidget()
    board = DataChanges(window)
    qtbot.addWidget(window)
    tab = SettingsTab(factory, lambda: NOW)
    tab.setParent(window)
    window.show()
    qtbot.keyClicks(tab.fields["summary.recipients"], "head@school.example")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(board.changed, timeout=2000) as heard:
        qtbot.mouseClick(tab.summary_button, Qt.MouseButton.LeftButton)
    assert heard.args[0] == frozenset({Change.OUTBOX})
    assert "1 address" in tab.message.text()


def test_a_saved_setting_is_announced_to_every_tab(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Saving a changed setting (it may be the follow-up policy or the letters' pathway)
    tells the window that everything may have changed, so Today and Letters work out their
    lists again; saving nothing changed announces nothing."""
    build_school(session)
    session.commit()
    window = QWidget()
    board = DataChanges(window)
    qtbot.addWidget(window)
    tab = SettingsTab(factory, lambda: NOW)
    tab.setParent(window)
    window.show()
    qtbot.keyClicks(tab.fields["summary.recipients"], "head@school.example")
    with qtbot.waitSignal(board.changed, timeout=2000) as heard:
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert heard.args[0] == EVERYTHING
    with qtbot.assertNotEmitted(board.changed):
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.message.text() == "Nothing had changed."
