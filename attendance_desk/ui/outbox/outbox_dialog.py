"""The outbox list: every text and email not yet sent, why a failed one failed, Retry and
Cancel. Opened from the outbox count in the status bar (or Desk → Outbox, Ctrl+Shift+O).

Retry makes the chosen messages due now and asks the sender to run; Cancel asks first and
keeps the message, marked who cancelled it (both audited). A channel with no sender set up
is named at the top, with a button to the Settings tab.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.models import User
from attendance_desk.outbox import listing
from attendance_desk.outbox.listing import KIND_LABELS, OutboxError, OutboxRow
from attendance_desk.ui.operations.run import Done, change, read
from attendance_desk.ui.outbox.outbox_model import Column, OutboxModel
from attendance_desk.ui.widgets.style import ALERT
from attendance_desk.wording import plural


class OutboxDialog(QDialog):
    """The messages waiting, held and failed (sent and cancelled ones on request).

    Signals:
        changed: a message was retried or cancelled (the sender runs, the counts update).
        open_settings: the office asked for Settings → Messaging.
    """

    changed = Signal()
    open_settings = Signal()

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("outbox_dialog")
        self.setWindowTitle("Outbox: texts and emails")
        self._factory, self._now = factory, now
        self.not_set_up = QLabel(wordWrap=True, objectName="outbox_not_set_up")
        self.not_set_up.setStyleSheet(ALERT)
        self.settings_button = QPushButton("Open &Settings")
        self.settings_button.clicked.connect(self._open_settings)
        banner = QHBoxLayout()
        banner.addWidget(self.not_set_up, 1)
        banner.addWidget(self.settings_button)
        self.model = OutboxModel()
        self.table = QTableView(objectName="outbox_table")
        self.table.setAccessibleName("Messages in the outbox")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.PROBLEM, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.details = QLabel(wordWrap=True, objectName="outbox_details")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel(wordWrap=True, objectName="outbox_message")
        self.show_all = QCheckBox("Show s&ent and cancelled")
        self.show_all.toggled.connect(lambda _on: self.reload())
        self.retry_button = QPushButton("&Retry")
        self.retry_button.setToolTip("Send the chosen failed or waiting messages now (Alt+R)")
        self.retry_button.clicked.connect(self.retry)
        self.cancel_button = QPushButton("&Cancel message…")
        self.cancel_button.setToolTip("Stop the chosen messages from being sent (Alt+C)")
        self.cancel_button.clicked.connect(self.cancel)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_all)
        buttons.addStretch(1)
        for button in (self.retry_button, self.cancel_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(980, 460)
        self.reload()

    # --- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the outbox again, keeping the chosen messages chosen."""
        chosen = {row.id for row in self.selected_rows()}
        everything = self.show_all.isChecked()
        rows, missing = read(
            self._factory,
            lambda session: (
                listing.outbox_rows(session, everything=everything),
                listing.outbox_summary(session).missing,
            ),
        )
        self.model.set_rows(rows)
        for index, row in enumerate(rows):
            if row.id in chosen:
                self._add_to_selection(index)
        lines = [f"{KIND_LABELS[channel]}s are {why}." for channel, why in missing.items()]
        self.not_set_up.setText("\n".join(lines))
        self.not_set_up.setVisible(bool(lines))
        self.settings_button.setVisible(bool(lines))
        self._selection_changed()

    def _add_to_selection(self, row: int) -> None:
        flags = self.table.selectionModel().SelectionFlag
        self.table.selectionModel().select(self.model.index(row, 0), flags.Select | flags.Rows)

    def selected_rows(self) -> list[OutboxRow]:
        return [self.model.row_at(i.row()) for i in self.table.selectionModel().selectedRows()]

    def _selection_changed(self) -> None:
        rows = self.selected_rows()
        self.retry_button.setEnabled(any(row.can_retry for row in rows))
        self.cancel_button.setEnabled(any(row.can_cancel for row in rows))
        if len(rows) == 1:
            row = rows[0]
            about = f" about {row.pupil}" if row.pupil else ""
            subject = f"{row.subject}: " if row.subject else ""
            self.details.setText(f"{KIND_LABELS[row.kind]} to {row.to}{about}. {subject}{row.body}")
        else:
            self.details.setText(f"{plural(len(rows), 'message')} chosen." if rows else "")

    # --- the office's actions -------------------------------------------------------------
    def retry(self) -> None:
        """The chosen failed (or waiting) messages are due now; the sender runs at once."""
        rows = [row for row in self.selected_rows() if row.can_retry]
        if not rows:
            return
        if self._act(listing.retry, rows):
            self._say(f"{plural(len(rows), 'message')} will be sent now.")

    def cancel(self) -> None:
        """Ask, then stop the chosen messages from being sent (kept, marked cancelled)."""
        rows = [row for row in self.selected_rows() if row.can_cancel]
        if not rows:
            return
        what = (
            f"the {KIND_LABELS[rows[0].kind].lower()} to {rows[0].to}"
            if len(rows) == 1
            else plural(len(rows), "message")
        )
        answer = QMessageBox.question(
            self,
            "Cancel messages",
            f"Cancel {what}? It will not be sent. The message stays in the outbox, marked "
            "as cancelled by you.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self._act(listing.cancel, rows):
            self._say(f"Cancelled {what}.")

    def _act(self, action: Callable[..., None], rows: list[OutboxRow]) -> bool:

        def act(session: Session, user: User, now: datetime) -> None:
            for row in rows:
                action(session, message_id=row.id, user=user, now=now)

        done = change(
            self,
            self._factory,
            self._now,
            act,
            refusals=(OutboxError, NotAllowed),
            say=lambda text: self._say(text, error=True),
        )
        if not isinstance(done, Done):
            self.reload()
            return False
        self.reload()
        self.changed.emit()
        return True

    def _open_settings(self) -> None:
        self.open_settings.emit()
        self.close()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #a4280b;" if error else "color: #1d6b2f;")
