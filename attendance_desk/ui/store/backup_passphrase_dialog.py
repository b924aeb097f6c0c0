"""File → Backup passphrase…: the administrator sets the passphrase that encrypts backups,
and saves (and prints) the recovery sheet that goes in the school's safe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import BackupLockRecord, User
from attendance_desk.printing.recovery_sheet import sheet_for
from attendance_desk.store import backup_crypto, backup_keys
from attendance_desk.store.private_files import write_private
from attendance_desk.ui.operations.run import Done, change, read
from attendance_desk.ui.widgets.pdf_output import print_pdf
from attendance_desk.uk_dates import plain_date


class BackupPassphraseDialog(QDialog):
    """The passphrase twice, then the recovery sheet saved (and printed if wanted)."""

    def __init__(
        self, factory: sessionmaker[Session], now: Callable[[], datetime], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setWindowTitle("Backup passphrase")
        self._factory, self._now = factory, now
        self.sheet: bytes | None = None
        current = read(factory, backup_keys.current)
        state = (
            f"Backups are encrypted (passphrase fingerprint {current.fingerprint}, set "
            f"{plain_date(current.set_at)} by {current.set_by_name}). A new passphrase is used "
            "for new backups; older ones keep theirs."
            if current
            else "Backups are not encrypted yet. Until they are, they can only be saved beside "
            "the database, not on a USB stick or a share."
        )
        self.state = QLabel(state, wordWrap=True)
        self.passphrase = QLineEdit(accessibleName="New backup passphrase")
        self.again = QLineEdit(accessibleName="The same again")
        for field in (self.passphrase, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(
            f"At least {backup_crypto.MIN_PASSPHRASE} characters: a few words in a row are "
            "easy to type and hard to guess.",
            wordWrap=True,
        )
        self.set_button = QPushButton("&Set and save the recovery sheet…")
        self.set_button.clicked.connect(self.set_passphrase)
        self.print_button = QPushButton("&Print the recovery sheet…", enabled=False)
        self.print_button.clicked.connect(self.print_sheet)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.state)
        form.addRow("&New passphrase", self.passphrase)
        form.addRow("The same &again", self.again)
        form.addRow(self.message)
        form.addRow(self.set_button)
        form.addRow(self.print_button)
        form.addRow(close)

    def set_passphrase(self) -> None:
        """Check the two entries, ask where the sheet goes, then set and save together."""
        passphrase = self.passphrase.text()
        if passphrase != self.again.text():
            self._say("The two passphrases differ: type them again.", problem=True)
            return
        try:
            backup_crypto.check_passphrase(passphrase)
        except ValueError as exc:
            self._say(str(exc).capitalize() + ".", problem=True)
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the recovery sheet", "Backup recovery sheet.pdf", "PDF files (*.pdf)"
        )
        if not name:
            return
        path = Path(name if name.lower().endswith(".pdf") else f"{name}.pdf")

        def set_and_save(session: Session, user: User, now: datetime) -> BackupLockRecord:
            record = backup_keys.set_passphrase(session, user=user, now=now, passphrase=passphrase)
            sheet = sheet_for(session, record, passphrase=passphrase, now=now)
            write_private(path, sheet)  # the passphrase is kept only once the sheet is saved
            self.sheet = sheet
            return record

        done = change(
            self,
            self._factory,
            self._now,
            set_and_save,
            refusals=(ValueError, OSError),
            say=lambda message: self._say(f"Not set: {message}", problem=True),
        )
        if not isinstance(done, Done):
            return
        record = done.value
        self.passphrase.clear()
        self.again.clear()
        self.print_button.setEnabled(True)
        self._say(
            f"Backups are now encrypted (fingerprint {record.fingerprint}). The recovery sheet "
            f"is saved as {path}: print it, lock it in the school's safe, then delete the file."
        )

    def print_sheet(self) -> None:
        if self.sheet is not None:
            print_pdf(self.sheet, self, "Backup recovery sheet")

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #a4280b;" if problem else "")
