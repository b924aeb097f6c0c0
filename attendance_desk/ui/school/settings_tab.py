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
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed, Permission, allowed, require
from attendance_desk.inbox.credentials import CredentialsError, save_mailbox_password
from attendance_desk.letters.pathway import pathway_choices
from attendance_desk.outbox import daily_summary
from attendance_desk.school import profile as school_profile
from attendance_desk.school import settings, settings_change
from attendance_desk.store import connection_config
from attendance_desk.store.connect_cli import connect
from attendance_desk.store.connection_config import ConnectionConfigError, default_file
from attendance_desk.store.db import DatabaseError, describe, transaction
from attendance_desk.ui.access.acting_user import acting_user
from attendance_desk.ui.widgets.style import MUTED
from attendance_desk.wording import plural

Field = QCheckBox | QSpinBox | QDoubleSpinBox | QLineEdit | QComboBox
LABEL_WIDTH = 380
FIELD_WIDTH = 460

#: Settings chosen from shipped presets: (key, name, description) of each choice.
CHOICES: dict[str, Callable[[], list[tuple[str, str, str]]]] = {
    settings.POLICY_PRESET.key: school_profile.preset_choices,
    settings.LETTER_PATHWAY.key: pathway_choices,
}
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


def _field(option: settings.Option[Any]) -> Field:
    kind = type(option.default)
    if option.key in CHOICES:
        box = QComboBox()
        for key, name, description in CHOICES[option.key]():
            box.addItem(name, key)
            box.setItemData(box.count() - 1, description, Qt.ItemDataRole.ToolTipRole)
        return box
    if kind is bool:
        return QCheckBox()
    if kind in (int, float):
        low = option.minimum if option.minimum is not None else -1_000_000_000
        high = option.maximum if option.maximum is not None else 1_000_000_000
        if kind is int:
            whole = QSpinBox()
            whole.setRange(int(low), int(high))
            return whole
        decimal = QDoubleSpinBox()
        decimal.setRange(float(low), float(high))
        return decimal
    edit = QLineEdit()
    if "password" in option.key:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _value(field: Field) -> Any:
    if isinstance(field, QComboBox):
        return field.currentData()
    if isinstance(field, QCheckBox):
        return field.isChecked()
    if isinstance(field, QSpinBox | QDoubleSpinBox):
        return field.value()
    return field.text()


def _show(field: Field, value: Any) -> None:
    if isinstance(field, QComboBox):
        index = field.findData(value)
        if index < 0:  # a stored name no longer shipped: shown, so saving keeps it visible
            field.addItem(f"{value} (not shipped with this version)", value)
            index = field.count() - 1
        field.setCurrentIndex(index)
    elif isinstance(field, QCheckBox):
        field.setChecked(bool(value))
    elif isinstance(field, QSpinBox | QDoubleSpinBox):
        field.setValue(value)
    else:
        field.setText(str(value))


def _set_editable(field: Field, editable: bool) -> None:
    if isinstance(field, QLineEdit | QSpinBox | QDoubleSpinBox):
        field.setReadOnly(not editable)
        if isinstance(field, QSpinBox | QDoubleSpinBox):
            field.setButtonSymbols(
                QSpinBox.ButtonSymbols.UpDownArrows
                if editable
                else QSpinBox.ButtonSymbols.NoButtons
            )
    else:
        field.setEnabled(editable)


def _label(title: str, help_text: str) -> QLabel:
    """The option's name with its help beneath, as rich text built from escaped words."""
    small = f"<br><small>{escape(help_text)}</small>" if help_text else ""
    label = QLabel(escape(title) + small)
    label.setTextFormat(Qt.TextFormat.RichText)  # never guessed: "Signatory's role" stays so
    label.setWordWrap(True)
    label.setMinimumWidth(LABEL_WIDTH)
    return label


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
            field = _field(option)
            field.setObjectName(f"setting_{key}")
            field.setAccessibleName(option.label)
            field.setMaximumWidth(FIELD_WIDTH)
            self.fields[key] = field
            form.addRow(_label(option.label, option.help), self._field_row(key, field))
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
        self.database_label = _label("This PC's database", DATABASE_HELP)
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
        with self._factory() as session:
            return allowed(acting_user(session), Permission.CHANGE_SETTINGS)

    def apply_permissions(self) -> None:
        """Editable for the administrator; read-only, with a note saying why, for others."""
        editable = self.may_change()
        for field in self.fields.values():
            _set_editable(field, editable)
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
        label = _label(
            "Absence mailbox password",
            "Kept in this PC's own password store (Windows Credential Manager), never in the "
            "database: enter it once on each PC that fetches the inbox.",
        )
        return label, row

    def save_mailbox_password(self) -> bool:
        """Keep the mailbox password in this PC's password store (administrator)."""
        with self._factory() as session:
            try:
                require(acting_user(session), Permission.CHANGE_SETTINGS)
            except NotAllowed as exc:
                self._say(str(exc), error=True)
                return False
            host = settings.get(session, settings.INBOX_HOST)
            user = settings.get(session, settings.INBOX_USER)
        try:
            save_mailbox_password(user, host, self.mailbox_password.text())
        except CredentialsError as exc:
            self._say(f"Not kept: {exc} (save the server and login above first).", error=True)
            return False
        self.mailbox_password.clear()
        self._say(f"The password for {user} is kept in this PC's password store.")
        return True

    def reload(self) -> None:
        with self._factory() as session:
            for key, field in self.fields.items():
                _show(field, settings.get(session, settings.REGISTRY[key]))
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
        try:
            with transaction(self._factory) as session:
                user = acting_user(session)
                require(user, Permission.CHANGE_SETTINGS)
                changed = sum(
                    settings_change.change(
                        session,
                        settings.REGISTRY[key],
                        _value(field),
                        user=user,
                        now=self._now(),
                    )
                    for key, field in self.fields.items()
                )
        except (ValueError, NotAllowed) as exc:
            self._say(str(exc), error=True)
            return False
        self._say(f"Saved ({changed} changed)." if changed else "Nothing had changed.")
        return True

    def connect_database(self) -> bool:
        """Try the address in "This PC's database" and save it for this PC (administrator)."""
        with self._factory() as session:
            try:
                require(acting_user(session), Permission.CHANGE_SETTINGS)
            except NotAllowed as exc:
                self._say(str(exc), error=True)
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
        now = self._now()
        with transaction(self._factory) as session:
            queued = daily_summary.queue_summary(session, now.date(), now)
        if queued:
            addresses = plural(len(queued), "address", "addresses")
            self._say(f"Today's summary is in the outbox for {addresses}.")
        else:
            self._say("Add the summary's addresses above (and save) first.", error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #a4280b;" if error else "color: #1d6b2f;")
