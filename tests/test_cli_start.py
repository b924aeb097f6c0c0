"""The command line starts quickly: parsing it imports no database, window or PDF code."""

from __future__ import annotations

import json
import subprocess
import sys

from attendance_desk import __version__

HEAVY = ("sqlalchemy", "alembic", "PySide6", "reportlab", "argon2")

#: Runs the installed entry point's `main` for `--version`, then lists the heavy packages
#: that were imported on the way.
PROBE = f"""
import json, sys
from attendance_desk.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))))
"""


def probe(*args: str) -> tuple[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    *printed, loaded = result.stdout.splitlines()
    return "\n".join(printed), json.loads(loaded)


def test_version_imports_no_database_window_or_pdf_code() -> None:
    """`--version` prints the version having imported none of SQLAlchemy, Qt or ReportLab."""
    printed, loaded = probe("--version")
    assert printed == f"attendance-desk {__version__}"
    assert loaded == []


def test_help_lists_every_command_without_importing_them() -> None:
    """`--help` names every command, those of the inbox and outbox too, importing none."""
    printed, loaded = probe("--help")
    for command in ("stats", "calls", "on-site", "inbox", "outbox", "settings", "backup"):
        assert f"    {command} " in printed
    assert loaded == []
