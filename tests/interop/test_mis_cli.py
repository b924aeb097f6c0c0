"""The MIS's nightly exports through the command line, as a scheduled task runs them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.helpers.cli import run_cli

MIS = Path(__file__).parent / "mis"
CALENDAR = (
    "start,end,kind,name\n"
    "2025-09-03,2025-10-24,term,Autumn 1\n"
    "2025-11-03,2025-12-19,term,Autumn 2\n"
    "2025-09-19,2025-09-19,closure,INSET day\n"
)


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command as the school's administrator, made by `init --admin pat`."""
    return run_cli(db, *args, user=None if args[0] == "init" else "pat")


def test_nightly_exports_import_and_reconcile_from_the_command_line(tmp_path: Path) -> None:
    """`import pupils|marks` say which column they used; `reconcile` exits 1 with the
    pupils who differ as JSON, and 2 naming the problem for a summary of other dates."""
    db = tmp_path / "school.db"
    (tmp_path / "calendar.csv").write_text(CALENDAR)
    assert run(db, "init", "--school", "Hillside Primary", "--admin", "pat").returncode == 0
    assert run(db, "import", "calendar", str(tmp_path / "calendar.csv")).returncode == 0
    pupils = run(db, "import", "pupils", str(MIS / "sims-students.csv"))
    assert pupils.returncode == 0, pupils.stderr
    assert "5 pupils added" in pupils.stdout
    assert "2 rows skipped, not on roll in the MIS (1 Guest, 1 Leaver)" in pupils.stdout
    assert "Date of birth <- 'Date of Birth'" in pupils.stdout
    marks = run(db, "import", "marks", str(MIS / "sims-marks.csv"), "--legacy")
    assert marks.returncode == 0, marks.stderr
    assert "Code <- 'Mark'" in marks.stdout and "not used: 'Adno'" in marks.stdout

    week = ("--from", "2025-09-08", "--to", "2025-09-12")
    found = run(db, "reconcile", str(MIS / "sims-summary.csv"), *week, "--json")
    assert found.returncode == 1, found.stderr
    listed = json.loads(found.stdout)
    assert [p["name"] for p in listed] == [
        "Kuba Nowak",
        "Seun Adeyemi",
        "Zoë Müller",
        "Lewis Hughes",
    ]
    assert set(listed[0]) >= {"upn", "name", "ours", "mis", "sessions"}
    assert set(listed[0]["sessions"][0]) >= {"date", "session", "ours", "mis"}

    other = run(
        db, "reconcile", str(MIS / "sims-summary.csv"), "--from", "2025-09-01", "--to", "2025-09-12"
    )
    assert other.returncode == 2
    assert (
        "the summary covers Mon 8 Sep 2025 to Fri 12 Sep 2025, not Mon 1 Sep 2025 to "
        "Fri 12 Sep 2025" in other.stderr
    )


def test_a_file_without_a_required_column_is_refused_naming_it(tmp_path: Path) -> None:
    """A scheduled import of the wrong report stops, naming the column it could not find."""
    db = tmp_path / "school.db"
    assert run(db, "init", "--school", "Hillside Primary", "--admin", "pat").returncode == 0
    result = run(db, "import", "pupils", str(MIS / "sims-contacts.csv"))
    assert result.returncode == 1
    assert "no column holds Date of birth" in result.stderr
    assert "'Contact Name'" in result.stderr
