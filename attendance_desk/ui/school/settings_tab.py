"""The Settings tab, built from the settings registry: one field per declared option.

A checkbox for yes/no, a number box within the option's limits, a list of the shipped
presets (each described) for the follow-up policy and the letters pathway, a text box
otherwise, with Browse… for the logo and the backup folder; the help text sits under each
label. Saving checks every value first and writes them together (each change audited).
Only the administrator may change settings: anyone else sees them read-only, with a line
saying so, rather than fields that look editable and are refused at Save.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed, Permission, allowed, require
from attendance_desk.inbox.credentials import CredentialsError, save_mailbox_password
from attendance_desk.outbox import daily_summary
from attendance_desk.school import settings, settings_change
from attendance_desk.store import connection_config
from attendance_desk.store.connect_cli import connect
from attendance_desk.store.connection_config import ConnectionConfigError, default_file
from attendance_desk.store.db import DatabaseError, describe
from attendance_desk.ui.operations.changes import EVERYTHING, Change, announce
from attendance_desk.ui.operations.run import Done, change, read, read_as
from attendance_desk.ui.school.settings_fields import (
    FIELD_WIDTH,
    Field,
    field_for,
    label_for,
    set_editable,
    show_value,
    value_of,
)
from attendance_desk.ui.widgets.style import MUTED
from attendance_desk.wording import plural

#: Settings that name a file or folder: what Browse… looks for (a file filter, or a folder).
BROWSE: dict[str, str | None] = {
    settings.LETTERHEAD_LOGO.key: "Pictures (*.png *.jpg *.jpeg)",
    settings.BACKUP_FOLDER.key: None,
}
DATABASE_HELP = (
    "A server's address (postgresql://user@server/school) for an office where several PCs "
    "share one database; empty for this PC's own file. Tried before it is saved; used from "
    "the next start. Passwords go in ~/.pgpass, not here."
)
#: Read-only boxes look like text on the page, not like fields waiting to be typed in.
READ_ONLY_LOOK = (
    'QLineEdit[readOnly="true"], QAbstractSpinBox[readOnly="true"] { background: palette(window); }'
)
READ_ONLY_NOTE = "Only the administrator can change settings; they are shown here to read."


class SettingsTab(QWidget):
    """Every registered setting, Save, and a button to send today's summary email."""

    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        super().__init__()
        self.setObjectName("tab_settings")
        self._factory, self._now = factory, now
        self.fields: dict[str, Field] = {}
        self.descriptions: dict[str, QLabel] = {}
        self.browse_buttons: dict[str, QPushButton] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, option in settings.REGISTRY.items():
            if not option.shown:
                continue
            if option is settings.MESSAGING_OPTIONS[0]:
                section = QLabel("<b>Messaging</b> — how the outbox sends texts and emails")
                section.setStyleSheet("margin-top: 10px;")
                form.addRow(section)
            if option is settings.INBOX_OPTIONS[0]:
                section = QLabel(
                    "<b>Absence inbox</b> — where parents' emails and replies come from"
                )
                section.setStyleSheet("margin-top: 10px;")
                form.addRow(section)
            field = field_for(option)
            field.setObjectName(f"setting_{key}")
            field.setAccessibleName(option.label)
            field.setMaximumWidth(FIELD_WIDTH)
            self.fields[key] = field
            form.addRow(label_for(option.label, option.help), self._field_row(key, field))
            # A choice's description: a wrapped label in a row of its own keeps its height.
            if isinstance(field, QComboBox):
                description = QLabel(wordWrap=True)
                description.setFixedWidth(FIELD_WIDTH)
                description.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                description.setStyleSheet(MUTED)
                self.descriptions[key] = description
                form.addRow("", description)
                field.currentIndexChanged.connect(self._describe)
            if option is settings.INBOX_OPTIONS[-1]:
                form.addRow(*self._mailbox_password_row())
        self.database_edit = QLineEdit(connection_config.read() or "")
        self.database_edit.setObjectName("this_pc_database")
        self.database_edit.setAccessibleName("This PC's database")
        self.database_edit.setPlaceholderText(f"this PC's own file: {default_file()}")
        self.connect_button = QPushButton("Connect this PC")
        self.connect_button.clicked.connect(self.connect_database)
        database_row = QHBoxLayout()
        database_row.addWidget(self.database_edit, 1)
        database_row.addWidget(self.connect_button)
        database_box = QWidget(maximumWidth=FIELD_WIDTH)
        database_box.setLayout(database_row)
        database_row.setContentsMargins(0, 0, 0, 0)
        self.database_label = label_for("This PC's database", DATABASE_HELP)
        form.addRow(self.database_label, database_box)
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(inner)
        self.read_only_note = QLabel(READ_ONLY_NOTE)
        self.read_only_note.setStyleSheet(MUTED)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save_button = QPushButton("&Save settings")
        self.save_button.clicked.connect(self.save)
        self.summary_button = QPushButton("Email today's attendance summary")
        self.summary_button.clicked.connect(self.send_summary)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.summary_button)
        buttons.addWidget(self.save_button)
        self.setStyleSheet(READ_ONLY_LOOK)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "<b>Settings</b> — register times are under File → Register "
                "times; users are added by the administrator."
            )
        )
        layout.addWidget(self.read_only_note)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.reload()
        self.apply_permissions()

    def _field_row(self, key: str, field: Field) -> QWidget:
        """The field, with Browse… beside it for a file or folder."""
        if key not in BROWSE:
            return field
        box = QWidget(maximumWidth=FIELD_WIDTH)
        button = QPushButton("Browse…")
        button.setAccessibleName(f"Browse for {settings.REGISTRY[key].label.lower()}")
        button.clicked.connect(lambda _checked=False, k=key: self.browse(k))
        self.browse_buttons[key] = button
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field, 1)
        row.addWidget(button)
        return box

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Another user may have logged in at the lock screen: match their permission."""
        self.apply_permissions()
        super().showEvent(event)

    def may_change(self) -> bool:
        return read_as(
            self._factory,
            self._now,
            lambda _session, user, _now: allowed(user, Permission.CHANGE_SETTINGS),
        )

    def _require_administrator(self) -> bool:
        """True for the administrator; for anyone else, False with the refusal said."""
        try:
            read_as(
                self._factory,
                self._now,
                lambda _session, user, _now: require(user, Permission.CHANGE_SETTINGS),
            )
        except NotAllowed as exc:
            self._say(str(exc), error=True)
            return False
        return True

    def apply_permissions(self) -> None:
        """Editable for the administrator; read-only, with a note saying why, for others."""
        editable = self.may_change()
        for field in self.fields.values():
            set_editable(field, editable)
        for button in (
            *self.browse_buttons.values(),
            self.save_button,
            self.connect_button,
            self.mailbox_password_button,
        ):
            button.setEnabled(editable)
        self.mailbox_password.setReadOnly(not editable)
        self.database_edit.setReadOnly(not editable)
        self.read_only_note.setVisible(not editable)

    def _mailbox_password_row(self) -> tuple[QLabel, QHBoxLayout]:
        """The mailbox password: typed here, kept in this PC's password store."""
        self.mailbox_password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.mailbox_password.setObjectName("mailbox_password")
        self.mailbox_password.setAccessibleName("Absence mailbox password")
        self.mailbox_password_button = QPushButton("Keep on this PC")
        self.mailbox_password_button.clicked.connect(self.save_mailbox_password)
        row = QHBoxLayout()
        row.addWidget(self.mailbox_password, 1)
        row.addWidget(self.mailbox_password_button)
        label = label_for(
            "Absence mailbox password",
            "Kept in this PC's own password store (Windows Credential Manager), never in the "
            "database: enter it once on each PC that fetches the inbox.",
        )
        return label, row

    def save_mailbox_password(self) -> bool:
        """Keep the mailbox password in this PC's password store (administrator)."""
        try:
            user, host = read_as(
                self._factory,
                self._now,
                lambda session, viewer, _now: settings_change.mailbox_account(session, user=viewer),
            )
        except NotAllowed as exc:
            self._say(str(exc), error=True)
            return False
        try:
            save_mailbox_password(user, host, self.mailbox_password.text())
        except CredentialsError as exc:
            self._say(f"Not kept: {exc} (save the server and login above first).", error=True)
            return False
        self.mailbox_password.clear()
        self._say(f"The password for {user} is kept in this PC's password store.")
        return True

    def reload(self) -> None:
        values = read(
            self._factory,
            lambda session: {
                key: settings.get(session, settings.REGISTRY[key]) for key in self.fields
            },
        )
        for key, field in self.fields.items():
            show_value(field, values[key])
        self._describe()

    def _describe(self) -> None:
        """Under each preset list, the description of the preset chosen."""
        for key, label in self.descriptions.items():
            field = self.fields[key]
            assert isinstance(field, QComboBox)
            label.setText(field.currentData(Qt.ItemDataRole.ToolTipRole) or "")

    def browse(self, key: str) -> None:
        """Choose the logo picture or the backup folder, starting where the field points."""
        field = self.fields[key]
        assert isinstance(field, QLineEdit)
        label = settings.REGISTRY[key].label
        pictures = BROWSE[key]
        if pictures is None:
            chosen = QFileDialog.getExistingDirectory(self, label, field.text())
        else:
            chosen, _ = QFileDialog.getOpenFileName(self, label, field.text(), pictures)
        if chosen:
            field.setText(chosen)

    def save(self) -> bool:
        """Check and store every changed value in one transaction."""
        values = {key: value_of(field) for key, field in self.fields.items()}
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, user, now: settings_change.change_all(
                session, values, user=user, now=now
            ),
            refusals=(ValueError, NotAllowed),
            say=lambda message: self._say(message, error=True),
        )
        if not isinstance(done, Done):
            return False
        changed = done.value
        self._say(f"Saved ({changed} changed)." if changed else "Nothing had changed.")
        if changed:
            # The follow-up policy, the letters' pathway or the register's times may have
            # changed: every tab works out its list again.
            announce(self, *EVERYTHING)
        return True

    def connect_database(self) -> bool:
        """Try the address in "This PC's database" and save it for this PC (administrator)."""
        if not self._require_administrator():
            return False
        try:
            location = connect(self.database_edit.text())
        except (DatabaseError, ConnectionConfigError, OSError) as exc:
            self._say(f"Not connected: {exc}", error=True)
            return False
        where = describe(location) if location else "its own file"
        self._say(f"This PC opens {where} from its next start.")
        return True

    def send_summary(self) -> None:
        """Queue today's summary to the addresses in Settings; the outbox sends it."""
        done = change(
            self,
            self._factory,
            self._now,
            lambda session, _user, now: daily_summary.queue_summary(session, now.date(), now),
            say=lambda message: self._say(message, error=True),
            changes=[Change.OUTBOX],
        )
        if not isinstance(done, Done):
            return
        if queued := done.value:
            addresses = plural(len(queued), "address", "addresses")
            self._say(f"Today's summary is in the outbox for {addresses}.")
        else:
            self._say("Add the summary's addresses above (and save) first.", error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #a4280b;" if error else "color: #1d6b2f;")
