"""Killing the app (`kill -9`) mid-import loses nothing confirmed and half-writes nothing."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.school.calendar_store import load_calendar
from tests.helpers.builders import add_pupil, build_school, mark_days

RUNS = 15
PUPILS = 120
#: Pupils whose first week already holds N codes; the file amends them to I.
AMENDED_PUPILS = 20
ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
    pytest.mark.sqlite_only("what a kill -9 leaves in the SQLite file"),
]

Tables = dict[str, list[tuple[Any, ...]]]


def _build(factory: sessionmaker[Session], folder: Path) -> Path:
    """The school with its first-week N codes, and a marks file for the whole first half-term."""
    lines = ["upn,date,session,code"]
    with factory() as session:
        _, user = build_school(session)
        days = [d for d in load_calendar(session).days if d < date(2025, 10, 25)]
        for serial in range(1, PUPILS + 1):
            pupil = add_pupil(session, serial, surname=f"Pupil{serial}", group="3A")
            if serial <= AMENDED_PUPILS:
                marks = {(d, s): "N" for d in days[:5] for s in ("AM", "PM")}
                mark_days(session, pupil, user, marks)
            for day in days:
                lines.append(f"{pupil.upn},{day},AM,{'I' if day in days[:5] else '/'}")
                lines.append(f"{pupil.upn},{day},PM,{'I' if day in days[:5] else chr(92)}")
        session.commit()
    factory.kw["bind"].dispose()
    path = folder / "marks.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _records(db: Path) -> Tables:
    """The tables an import writes, after SQLite has recovered the file as any reader would."""
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("marks", "mark_amendments", "audit_events")
        }


def _run(db: Path, csv: Path, kill_after: float | None) -> tuple[int, float, float]:
    """Import in a child process, killed `kill_after` seconds after it is ready (if still going).

    Returns the exit status and, for a run left alone, when it started writing and when it
    had committed (seconds after it was ready).
    """
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.store.import_child", str(db), str(csv)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready", child.stderr.read() if child.stderr else ""
    started = time.perf_counter()
    writing = done = 0.0
    if kill_after is None:
        assert child.stdout.readline().strip() == "writing"
        writing = time.perf_counter() - started
        assert child.stdout.readline().strip() == "done"
        done = time.perf_counter() - started
    else:
        time.sleep(kill_after)
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=120)
    return child.returncode, writing, done


def test_killed_imports_are_all_or_nothing(
    factory: sessionmaker[Session], db_path: Path, tmp_path: Path
) -> None:
    """15 imports killed at random moments each leave a sound file holding all of it or none."""
    csv = _build(factory, tmp_path)
    pristine = tmp_path / "pristine.db"
    shutil.copy(db_path, pristine)
    before = _records(pristine)
    reference = tmp_path / "reference.db"
    shutil.copy(pristine, reference)
    status, writing, duration = _run(reference, csv, None)
    assert status == 0
    after = _records(reference)
    assert len(after["marks"]) == PUPILS * len({r[2] for r in after["marks"]}) * 2
    assert len(after["mark_amendments"]) == AMENDED_PUPILS * 10

    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    outcomes = {"killed, nothing written": 0, "killed, all written": 0, "finished": 0}
    failures = []
    for run in range(RUNS):
        db = tmp_path / f"run{run}.db"
        shutil.copy(pristine, db)
        # every other kill is aimed at the writes and the commit, the rest anywhere
        start = writing if run % 2 else 0.0
        status, _, _ = _run(db, csv, rng.uniform(start, duration * 1.05))
        found = _records(db)
        if status == 0:
            outcomes["finished"] += 1
            ok = found == after
        elif found == before:
            outcomes["killed, nothing written"] += 1
            ok = True
        else:
            outcomes["killed, all written"] += 1
            ok = found == after
        if not ok:
            failures.append(f"run {run} (exit {status}): {len(found['marks'])} marks")
    print(
        f"\ncrash test (seed {seed}): {RUNS} runs of a {len(after['marks']) - len(before['marks'])}"
        f"-mark import writing from {writing:.2f} s and committed at {duration:.2f} s; "
        f"{outcomes}; {len(failures)} failures"
    )
    assert failures == []
    assert outcomes["killed, nothing written"] + outcomes["killed, all written"] > 0
