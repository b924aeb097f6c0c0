"""The status bar's outbox count, "Outbox: 3 waiting · 1 failed": always there, red when a
message failed or cannot go until Settings → Messaging is filled in, and a click away from
the outbox list. It owns the background sender and updates after every run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.outbox.listing import KIND_LABELS, OutboxSummary, outbox_summary
from attendance_desk.outbox.sending import SendReport
from attendance_desk.ui.operations.run import read
from attendance_desk.ui.outbox.outbox_dialog import OutboxDialog
from attendance_desk.ui.widgets.style import MUTED_COLOUR
from attendance_desk.ui.workers.outbox_sender import OutboxSender
from attendance_desk.wording import plural

QUIET = f"QPushButton {{ color: {MUTED_COLOUR}; border: none; padding: 1px 6px; }}"
WARNING = (
    "QPushButton { background: #fbe3df; color: #8c1d12; border: 1px solid #e7b3ab;"
    " border-radius: 4px; padding: 1px 6px; font-weight: bold; }"
)


def status_text(summary: OutboxSummary) -> str:
    text = f"Outbox: {summary.waiting} waiting · {summary.failed} failed"
    return text + " · not set up" if summary.blocked else text


def status_tip(summary: OutboxSummary, last_run: str) -> str:
    """What the count is made of, what is not set up, and how the last run went."""
    lines = []
    if summary.queued:
        lines.append(f"{plural(summary.queued, 'message')} to send")
    if summary.sending:
        lines.append(f"{plural(summary.sending, 'message')} being sent now")
    if summary.held:
        lines.append(
            f"{plural(summary.held, 'absence text')} held until the register is checked "
            "(Calls → Register checked)"
        )
    if summary.failed:
        lines.append(f"{plural(summary.failed, 'message')} failed: open the outbox to see why")
    lines += [f"{KIND_LABELS[channel]}s: {why}" for channel, why in summary.missing.items()]
    if last_run:
        lines.append(last_run)
    lines.append("Click to open the outbox (Ctrl+Shift+O).")
    return "\n".join(lines)


def describe_run(result: object, at: datetime) -> str:
    """`Last run 10:41: 2 sent, 1 not sent (email server … cannot be reached)`."""
    if not isinstance(result, SendReport):
        return f"Last run {at:%H:%M}: {result}"
    if not result.attempts:
        return f"Last run {at:%H:%M}: nothing was due"
    text = f"Last run {at:%H:%M}: {result.count('sent')} sent"
    errors = [a.error for a in result.attempts if a.outcome in ("retry", "failed") and a.error]
    if errors:
        text += f", {len(errors)} not sent ({errors[-1]})"
    return text


class OutboxStatus(QPushButton):
    """Click (or Ctrl+Shift+O) for the outbox list; `open_settings` asks for the Settings tab."""

    open_settings = Signal()

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("outbox_status")
        self.setAccessibleName("Outbox")
        self.setFlat(True)
        self._factory, self._now = factory, now
        self.last_run = ""
        self.dialog: OutboxDialog | None = None
        self.outbox_sender = OutboxSender(factory, now, self)
        self.outbox_sender.finished.connect(self._after_run)
        self.clicked.connect(self.open_list)
        self.refresh()

    def start(self) -> None:
        """Send what is due now, then every minute and whenever the network comes back."""
        self.outbox_sender.start()

    def stop(self) -> None:
        self.outbox_sender.stop()

    def send_now(self) -> None:
        """Something was queued or retried: count it, and send it without waiting."""
        self.refresh()
        self.outbox_sender.send_now()

    def refresh(self) -> None:
        summary = read(self._factory, outbox_summary)
        self.setText(status_text(summary))
        self.setToolTip(status_tip(summary, self.last_run))
        self.setStyleSheet(WARNING if summary.failed or summary.blocked else QUIET)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.reload()

    def open_list(self) -> OutboxDialog:
        """The outbox list (one per window, brought to the front if already open)."""
        if self.dialog is None:
            self.dialog = OutboxDialog(self._factory, self._now, self.window())
            self.dialog.changed.connect(self.send_now)
            self.dialog.open_settings.connect(self.open_settings)
        else:
            self.dialog.reload()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _after_run(self, result: object) -> None:
        self.last_run = describe_run(result, self._now())
        self.refresh()
