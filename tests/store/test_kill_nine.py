"""A few `kill -9` runs of each kind in the suite (the benchmark does a hundred and more):
after an import, a restore or an upgrade killed at a random moment, the database opens,
passes the checks, and holds all of the change or none of it."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from tests.store.kill_runs import KINDS, kill_runs

RUNS = 4
pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
    pytest.mark.sqlite_only("what a kill -9 leaves in the SQLite file"),
]


@pytest.mark.parametrize("kind", KINDS)
def test_killed_work_leaves_a_database_that_opens(kind: str, tmp_path: Path) -> None:
    """Four runs killed at seeded random moments: every file opens and checks out whole."""
    seed = 17
    outcomes = kill_runs(kind, RUNS, tmp_path, random.Random(seed))
    broken = [o for o in outcomes if not o.sound]
    assert broken == [], f"seed {seed}: {broken}"
