"""The installed PySide6 keeps Python's None, True and False alive across calls into Qt.

PySide6 6.12.0 under Python 3.11 returns them from void methods and `Signal.emit` without a
new reference: each call drains one, and after some thousands of calls the app aborts with
"none_dealloc" or "bool_dealloc". PySide6 6.11 and Python 3.12 or later are not affected.
"""

from __future__ import annotations

import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

CALLS = 200


class _Probe(QObject):
    fired = Signal(int)


def singleton_refs() -> tuple[int, int]:
    return sys.getrefcount(None), sys.getrefcount(True) + sys.getrefcount(False)


def test_calls_into_qt_keep_none_true_and_false_alive(qapp: QApplication):
    """Void Qt methods and Signal.emit leave the reference counts of None and the bools alone."""
    timer = QTimer()
    probe = _Probe()
    before = singleton_refs()
    for n in range(CALLS):
        timer.stop()
        probe.fired.emit(n)
    after = singleton_refs()
    drained = {"None": before[0] - after[0], "True/False": before[1] - after[1]}
    assert max(drained.values()) < CALLS // 2, (
        f"PySide6 {pyside_version} on Python {sys.version.split()[0]} drains {drained} references "
        f"in {CALLS} calls: the app would abort after a few thousand. Use PySide6 6.11.x "
        "(pyproject: PySide6>=6.6,!=6.12.0) or Python 3.12+."
    )
