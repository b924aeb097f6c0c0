"""Answering a modal dialog that a click or key is about to open, without ever hanging.

A modal dialog's `exec()` runs its own event loop, so a test must arrange the answer
before it presses the key that opens it. Waiting a fixed time and assuming the dialog is
up is a race (on a busy machine it is not up yet, the answer never comes and `exec()`
waits for ever). `answering` looks for the dialog every few milliseconds until it is
really on screen, answers it, and gives up after a timeout: then, or when the answer
itself fails, it rejects the dialog so that `exec()` returns, and the test fails with the
reason instead of hanging.

    with answering(qtbot, LoginDialog, lambda dialog: ...):
        qtbot.keyClick(window, Qt.Key.Key_L, modifiers)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

D = TypeVar("D", bound=QWidget)
#: How often to look for the dialog, and how long to wait for it and for the answer.
POLL_MS = 20
TIMEOUT_MS = 20_000


@contextmanager
def answering(
    qtbot: QtBot, kind: type[D], answer: Callable[[D], None], *, timeout_ms: int = TIMEOUT_MS
) -> Iterator[None]:
    """Answer the next modal `kind` with `answer(dialog)` while the block runs.

    On leaving the block, waits (at most `timeout_ms`) until the dialog was answered and
    raises what went wrong: no dialog of that kind came, or `answer` raised.
    """
    done: list[bool] = []
    failed: list[BaseException] = []
    waited = [0]

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not (isinstance(dialog, kind) and dialog.isVisible()):
            waited[0] += POLL_MS
            if waited[0] >= timeout_ms:
                failed.append(AssertionError(f"no {kind.__name__} came up in {timeout_ms} ms"))
                _close_modals()
                return
            QTimer.singleShot(POLL_MS, look)
            return
        try:
            answer(dialog)
        except BaseException as exc:  # end the dialog's event loop, then report it
            failed.append(exc)
            _close_modals()
            return
        done.append(True)

    QTimer.singleShot(0, look)
    yield
    qtbot.waitUntil(lambda: bool(done or failed), timeout=timeout_ms + 1000)
    if failed:
        raise failed[0]


def _close_modals() -> None:
    """Reject every modal dialog on screen, newest first, so every `exec()` returns."""
    while (widget := QApplication.activeModalWidget()) is not None:
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()
        if QApplication.activeModalWidget() is widget:  # would not close: stop trying
            return
