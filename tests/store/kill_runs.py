"""`kill -9` at random moments during an import, a restore and an upgrade, then a look at
what is left: does the database open, does it pass the checks, and (import, restore) does
it hold all of the change or none of it?

Used by `tests/store/test_kill_nine.py` (a few runs of each) and by
`benchmarks/kill_nine.py` (a hundred and more, with the tally the issue asks for).
Each run copies a prepared database, starts the work in a child process
(`import_child`, `restore_child`, `upgrade_child`), kills it (SIGKILL) a random time after
it says it is ready, then opens the file as the app's next start would.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from alembic import command

from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.store import backup, db_check
from attendance_desk.store.db import DatabaseError, alembic_config, make_engine, open_database
from tests.helpers.builders import add_pupil, build_school, mark_days

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("import", "restore", "upgrade")
PUPILS = 60
Tables = dict[str, list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Outcome:
    """One run: what was killed when, whether the file opened and what it held then."""

    kind: str
    killed_after: float
    finished: bool
    opened: bool
    problems: tuple[str, ...]
    held: str  # "before", "after" or "neither" (import and restore); "" for upgrades

    @property
    def sound(self) -> bool:
        return self.opened and not self.problems and self.held != "neither"


@dataclass(frozen=True)
class Scenario:
    """A prepared database to copy for each run, and how to start and judge the work."""

    kind: str
    template: Path
    argv: Callable[[Path], list[str]]
    before: Tables
    after: Tables


def _school(folder: Path, name: str) -> Path:
    """A small school at this version: pupils on roll, a week of marks, an audit trail."""
    path = folder / name
    factory = open_database(path)
    with factory() as session:
        _, user = build_school(session)
        days = [d for d in load_calendar(session).days if d < date(2025, 9, 20)]
        for serial in range(1, PUPILS + 1):
            pupil = add_pupil(session, serial, surname=f"Pupil{serial}", group="3A")
            mark_days(session, pupil, user, {(d, "AM"): "N" for d in days[:3]})
        session.commit()
    factory.kw["bind"].dispose()
    return path


def records(path: Path) -> Tables:
    """The rows the work changes, read as any reader would after SQLite's own recovery."""
    with closing(sqlite3.connect(path)) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("pupils", "marks", "mark_amendments", "audit_events")
        }


def prepare(kind: str, folder: Path) -> Scenario:
    """The database (and file) each run of `kind` starts from, and the two right endings."""
    folder.mkdir(parents=True, exist_ok=True)
    template = _school(folder, f"{kind}-template.db")
    if kind == "import":
        csv = folder / "marks.csv"
        with closing(sqlite3.connect(template)) as conn:
            upns = [u for (u,) in conn.execute("SELECT upn FROM pupils ORDER BY id")]
        days = [date(2025, 9, d) for d in (3, 4, 5, 8, 9, 10, 11, 12)]
        lines = ["upn,date,session,code"]
        lines += [
            f"{u},{d},{s},{'I' if d.day < 6 else '/'}"
            for u in upns
            for d in days
            for s in ("AM", "PM")
        ]
        csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        argv = lambda db: ["tests.store.import_child", str(db), str(csv)]  # noqa: E731
    elif kind == "restore":
        other = _school(folder, "other.db")  # a different school to restore
        with closing(sqlite3.connect(other)) as conn:
            conn.execute("UPDATE pupils SET legal_forename = 'Restored'")
            conn.commit()
        made = backup.backup_to(other, folder / "Backups", datetime(2025, 9, 12, 9, 0))
        argv = lambda db: ["tests.store.restore_child", str(db), str(made)]  # noqa: E731
    else:
        engine = make_engine(template, foreign_keys=False, migrating=True)
        command.downgrade(alembic_config(engine), "0008")  # as an older version left it
        engine.dispose()
        argv = lambda db: ["tests.store.upgrade_child", str(db)]  # noqa: E731
    reference = folder / f"{kind}-reference.db"
    shutil.copy(template, reference)
    _run(argv(reference), None)
    after = records(reference) if kind != "upgrade" else {}
    before = records(template) if kind != "upgrade" else {}
    return Scenario(kind, template, argv, before, after)


def _run(args: list[str], kill_after: float | None) -> tuple[bool, float]:
    """Start the child; kill it `kill_after` seconds after `ready` (None: let it finish).
    Returns whether it finished, and how long it took after `ready` when left alone."""
    child = subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    ready = child.stdout.readline().strip()
    if ready != "ready":
        child.kill()
        raise RuntimeError(f"{args[0]} did not start: {child.communicate()[1][-500:]}")
    started = time.perf_counter()
    if kill_after is None:
        _, err = child.communicate(timeout=300)
        if child.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {err[-500:]}")
        return True, time.perf_counter() - started
    time.sleep(kill_after)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=60)
    return child.returncode == 0, 0.0


def duration(scenario: Scenario, folder: Path) -> float:
    """How long the work takes when left alone (to aim the kills at)."""
    path = folder / f"{scenario.kind}-timing.db"
    shutil.copy(scenario.template, path)
    return _run(scenario.argv(path), None)[1]


def killed_run(scenario: Scenario, folder: Path, kill_after: float, number: int) -> Outcome:
    """One run killed `kill_after` seconds in, and what the next start finds."""
    path = folder / f"{scenario.kind}-run{number}.db"
    shutil.copy(scenario.template, path)
    finished, _ = _run(scenario.argv(path), kill_after)
    try:
        factory = open_database(path, on_notice=lambda _note: None)
        factory.kw["bind"].dispose()
    except DatabaseError as exc:
        return Outcome(scenario.kind, kill_after, finished, False, (str(exc),), "")
    problems = tuple(db_check.harmful_problems(path))
    held = ""
    if scenario.kind != "upgrade":
        found = records(path)
        held = (
            "before"
            if found == scenario.before
            else "after"
            if found == scenario.after
            else "neither"
        )
    for extra in ("", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    return Outcome(scenario.kind, kill_after, finished, True, problems, held)


def kill_runs(kind: str, runs: int, folder: Path, rng: random.Random) -> list[Outcome]:
    """`runs` killed runs of `kind`, each at a random moment in (a little past) its work."""
    scenario = prepare(kind, folder)
    span = duration(scenario, folder)
    return [killed_run(scenario, folder, rng.uniform(0, span * 1.1), n) for n in range(runs)]
