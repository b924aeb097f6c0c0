"""The Settings tab, built from the settings registry: one field per declared option.

A checkbox for yes/no, a number box within the option's limits, a text box otherwise; the
help text sits under each label. Saving checks every value first and writes them together
(each change audited); only the administrator may change settings.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
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

from attendance_desk import connection_config, daily_summary, settings, settings_change
from attendance_desk.connect_cli import connect
from attendance_desk.connection_config import ConnectionConfigError
from attendance_desk.db import DatabaseError, default_file, describe, transaction
from attendance_desk.permissions import NotAllowed, Permission, require
from attendance_desk.ui.acting_user import acting_user

Field = QCheckBox | QSpinBox | QDoubleSpinBox | QLineEdit


def _field(option: settings.Option[Any]) -> Field:
    kind = type(option.default)
    if kind is bool:
        return QCheckBox()
    if kind in (int, float):
        box: QSpinBox | QDoubleSpinBox = QSpinBox() if kind is int else QDoubleSpinBox()
        box.setRange(
            option.minimum if option.minimum is not None else -1e9,  # type: ignore[arg-type]
            option.maximum if option.maximum is not None else 1e9,
        )  # type: ignore[arg-type]
        return box
    edit = QLineEdit()
    if "password" in option.key:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _value(field: Field) -> Any:
    if isinstance(field, QCheckBox):
        return field.isChecked()
    if isinstance(field, QSpinBox | QDoubleSpinBox):
        return field.value()
    return field.text()


def _show(field: Field, value: Any) -> None:
    if isinstance(field, QCheckBox):
        field.setChecked(bool(value))
    elif isinstance(field, QSpinBox | QDoubleSpinBox):
        field.setValue(value)
    else:
        field.setText(str(value))


class SettingsTab(QWidget):
    """Every registered setting, Save, and a button to send today's summary email."""

    def __init__(self, factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        super().__init__()
        self.setObjectName("tab_settings")
        self._factory, self._now = factory, now
        self.fields: dict[str, Field] = {}
        form = QFormLayout()
        for key, option in settings.REGISTRY.items():
            if option is settings.MESSAGING_OPTIONS[0]:
                section = QLabel("<b>Messaging</b> — how the outbox sends texts and emails")
                section.setStyleSheet("margin-top: 10px;")
                form.addRow(section)
            field = _field(option)
            field.setObjectName(f"setting_{key}")
            field.setAccessibleName(option.label)
            self.fields[key] = field
            help_text = f"<br><small>{escape(option.help)}</small>" if option.help else ""
            label = QLabel(escape(option.label) + help_text)
            label.setWordWrap(True)
            label.setMinimumWidth(380)
            field.setMaximumWidth(460)
            form.addRow(label, field)
        self.database_edit = QLineEdit(connection_config.read() or "")
        self.database_edit.setObjectName("this_pc_database")
        self.database_edit.setAccessibleName("This PC's database")
        self.database_edit.setPlaceholderText(f"this PC's own file: {default_file()}")
        self.database_edit.setMaximumWidth(460)
        self.connect_button = QPushButton("Connect this PC")
        self.connect_button.clicked.connect(self.connect_database)
        database_row = QHBoxLayout()
        database_row.addWidget(self.database_edit, 1)
        database_row.addWidget(self.connect_button)
        form.addRow(
            QLabel(
                "This PC's database<br><small>A server's address "
                "(postgresql://user@server/school) for an office where several PCs share one "
                "database; empty for this PC's own file. Tried before it is saved; used from "
                "the next start. Passwords go in ~/.pgpass, not here.</small>",
                wordWrap=True,
            ),
            database_row,
        )
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(inner)
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
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "<b>Settings</b> — register times are under File → Register "
                "times; users are added by the administrator."
            )
        )
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        with self._factory() as session:
            for key, option in settings.REGISTRY.items():
                _show(self.fields[key], settings.get(session, option))

    def save(self) -> bool:
        """Check and store every changed value in one transaction."""
        try:
            with transaction(self._factory) as session:
                user = acting_user(session)
                require(user, Permission.CHANGE_SETTINGS)
                changed = sum(
                    settings_change.change(
                        session, option, _value(self.fields[key]), user=user, now=self._now()
                    )
                    for key, option in settings.REGISTRY.items()
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
            self._say(f"Today's summary is in the outbox for {len(queued)} addresses.")
        else:
            self._say("Add the summary's addresses above (and save) first.", error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #a4280b;" if error else "color: #1d6b2f;")
