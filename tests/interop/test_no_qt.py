"""The interop package is below the UI: importing it must not load Qt."""

from __future__ import annotations

import subprocess
import sys


def test_interop_does_not_import_qt() -> None:
    """`attendance_desk.interop` and its modules load without PySide6."""
    code = "import sys, attendance_desk.interop; print('PySide6' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
