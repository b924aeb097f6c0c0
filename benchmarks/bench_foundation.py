"""Foundation benchmark on the 2,000-pupil, 114-school-week demo school (~2.2 M marks).

Builds the school once (cached at --db; reused when the file exists), then measures, each
in a fresh subprocess so one measurement's memory does not count against another:

- whole-school figures for the latest full academic year, `stats.school_figures` against
  one hand-written SQL `GROUP BY pupil_id` computing the same counts (best of 5 each);
- start-up to a shown `MainWindow` (offscreen), from launching Python to the first paint;
- peak resident memory (`getrusage`) of the stats run and of the start-up.

Run from the project root:

    python benchmarks/bench_foundation.py [--db /tmp/attendance-bench.db] [--today YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from attendance_desk.demo.school import build_demo
from attendance_desk.models import AcademicYear, Mark
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.store.db import open_database, transaction

DEFAULT_DB = Path("/tmp/attendance-bench.db")
PUPILS, WEEKS, SEED = 2000, 114, 1
RUNS = 5
STATS_RATIO_TARGET = 1.5
GENERATION_TARGET_S = 60.0
STARTUP_TARGET_S = 2.0
MEMORY_TARGET_MB = 300.0

#: The hand-written baseline: the DfE counts per pupil, code lists spelled out. (CASE is
#: the fastest way SQLite sums these; a bare `SUM(code IN (...))` is about 20 % slower.)
RAW_SQL = r"""
SELECT pupil_id,
       SUM(CASE WHEN code IN ('/', '\', 'L') THEN 1 ELSE 0 END) AS present,
       SUM(CASE WHEN code IN ('K', 'V', 'P', 'W', 'B') THEN 1 ELSE 0 END) AS attending_elsewhere,
       SUM(CASE WHEN code IN ('C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E')
                THEN 1 ELSE 0 END) AS authorised,
       SUM(CASE WHEN code IN ('G', 'N', 'O', 'U') THEN 1 ELSE 0 END) AS unauthorised,
       SUM(CASE WHEN code = 'L' THEN 1 ELSE 0 END) AS late
FROM marks
WHERE date BETWEEN :start AND :end
  AND code IN ('/', '\', 'L', 'K', 'V', 'P', 'W', 'B', 'C1', 'M', 'J1', 'S', 'C2', 'C',
               'T', 'R', 'I', 'E', 'G', 'N', 'O', 'U')
GROUP BY pupil_id
"""
#: For reference only: counting each pupil's codes and sorting them into categories after.
BY_CODE_SQL = """
SELECT pupil_id, code, COUNT(*) FROM marks
WHERE date BETWEEN :start AND :end GROUP BY pupil_id, code
"""

#: Run by a fresh interpreter: open the database, show the main window, report when painted.
STARTUP_SCRIPT = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from attendance_desk.store.db import open_database
from attendance_desk.ui.main_window import MainWindow

app = QApplication([])
factory = open_database(Path(sys.argv[1]))
window = MainWindow(factory, db_path=Path(sys.argv[1]))
window.show()

def shown():
    sys.path.insert(0, sys.argv[2])
    from bench_foundation import peak_rss_mb
    print(json.dumps({"rss_mb": peak_rss_mb()}), flush=True)
    app.quit()

QTimer.singleShot(0, shown)
app.exec()
"""


def ensure_demo(path: Path, today: date | None = None) -> float | None:
    """Build the benchmark school at `path` unless it exists; the seconds taken, or None.

    The school is built under a temporary name and renamed when committed, so an
    interrupted build is never mistaken for a finished one.
    """
    if path.exists():
        print(f"reusing the demo school at {path}", file=sys.stderr)
        return None
    building = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    factory = open_database(building)

    def progress(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        print(f"\r  building the demo school: {percent:3d} %", end="", file=sys.stderr, flush=True)

    start = time.perf_counter()
    with transaction(factory) as session:
        summary = build_demo(
            session,
            pupils=PUPILS,
            weeks=WEEKS,
            seed=SEED,
            today=today or date.today(),
            progress=progress,
        )
    elapsed = time.perf_counter() - start
    factory.kw["bind"].dispose()  # checkpoints the WAL into the file before the rename
    os.replace(building, path)
    print(
        f"\rbuilt {summary.school_name}: {summary.pupils:,} pupils on roll "
        f"(+{summary.leavers:,} leavers), {summary.marks:,} marks from {summary.first_day} "
        f"to {summary.last_day}, in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return elapsed


def latest_full_year(session: Session) -> tuple[str, date, date]:
    """The latest academic year whose first and last school days both have marks."""
    calendar = load_calendar(session)
    first, last = session.execute(select(func.min(Mark.date), func.max(Mark.date))).one()
    for year in session.scalars(select(AcademicYear).order_by(AcademicYear.start.desc())):
        days = calendar.school_days(year.start, year.end)
        if days and first <= days[0] and days[-1] <= last:
            return year.name, days[0], days[-1]
    raise SystemExit("the benchmark school has no full academic year of marks")


def peak_rss_mb() -> float:
    """This process's peak resident memory.

    Linux carries a parent's peak across fork and exec into `ru_maxrss`, so a child started
    by a big process would report the parent's size: the kernel's own per-process high-water
    mark (VmHWM) is read instead where /proc has it.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def stats_child(db: Path) -> None:
    """Time `school_figures` and the raw baseline; print JSON with times and peak RSS."""
    from attendance_desk.register.stats import (
        PERSISTENT_THRESHOLD,
        SEVERE_THRESHOLD,
        school_figures,
    )

    factory = open_database(db)
    with factory() as session:
        name, start, end = latest_full_year(session)

        def service() -> tuple[int, ...]:
            f = school_figures(session, start, end)
            t = f.totals
            return (
                t.present,
                t.attending_elsewhere,
                t.authorised,
                t.unauthorised,
                t.late,
                f.pupils,
                f.persistent_count,
                f.severe_count,
            )

        def raw() -> tuple[int, ...]:
            bounds = {"start": start.isoformat(), "end": end.isoformat()}
            rows = session.execute(text(RAW_SQL), bounds).all()
            sums = [sum(r[i] for r in rows) for i in range(1, 6)]
            absent = [(r.authorised + r.unauthorised, sum(r[1:5])) for r in rows]
            persistent = sum(a * 100 >= PERSISTENT_THRESHOLD * p for a, p in absent)
            severe = sum(a * 100 >= SEVERE_THRESHOLD * p for a, p in absent)
            return (*sums, len(rows), persistent, severe)

        def by_code() -> int:
            bounds = {"start": start.isoformat(), "end": end.isoformat()}
            return len(session.execute(text(BY_CODE_SQL), bounds).all())

        service_s, service_result = best_of(RUNS, service)
        raw_s, raw_result = best_of(RUNS, raw)
        by_code_s, _ = best_of(RUNS, by_code)
    print(
        json.dumps(
            {
                "year": name,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "service_s": service_s,
                "raw_s": raw_s,
                "by_code_s": by_code_s,
                "same": service_result == raw_result,
                "possible": sum(service_result[:4]),
                "rss_mb": peak_rss_mb(),
            }
        )
    )


def _last_json(output: str) -> dict[str, Any]:
    lines = [line for line in output.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def _child(*args: str) -> dict[str, Any]:
    """Run this script in a fresh interpreter and return the JSON it prints last."""
    command = [sys.executable, __file__, *args]
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return _last_json(result.stdout)


def run_startup(db: Path) -> dict[str, Any] | None:
    """Seconds from launching Python to the shown window, and its peak RSS; None if no UI."""
    if importlib.util.find_spec("attendance_desk.ui.main_window") is None:
        return None
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", STARTUP_SCRIPT, str(db), str(Path(__file__).parent)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    report: dict[str, Any] = {}
    for line in process.stdout:  # the script prints one JSON line once the window is shown
        if line.startswith("{"):
            report = json.loads(line)
            break
    shown = time.perf_counter() - start
    _, errors = process.communicate(timeout=60)
    if process.returncode or not report:
        print(f"start-up failed (exit {process.returncode}):\n{errors.strip()}")
        return {}
    return {"shown_s": shown, **report}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--today", type=date.fromisoformat, help="build as if today were this")
    parser.add_argument("--child", choices=("build", "stats"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "build":
        print(json.dumps({"seconds": ensure_demo(args.db, args.today)}))
        return
    if args.child == "stats":
        stats_child(args.db)
        return
    # Each step runs in its own interpreter, so this process stays small and every peak
    # memory figure belongs to the step alone.
    built = None
    if not args.db.exists():
        today = ["--today", args.today.isoformat()] if args.today else []
        built = _child("--db", str(args.db), "--child", "build", *today)["seconds"]
    stats = _child("--db", str(args.db), "--child", "stats")
    startup = run_startup(args.db)

    lines: list[tuple[str, float, float, str, str]] = []
    if built is not None:
        lines.append(("generate 2,000 pupils x 114 weeks", built, GENERATION_TARGET_S, "s", ""))
    ratio = stats["service_s"] / stats["raw_s"]
    detail = f"{stats['service_s'] * 1000:.0f} vs {stats['raw_s'] * 1000:.0f} ms"
    lines.append(("school_figures / raw GROUP BY", ratio, STATS_RATIO_TARGET, "x", detail))
    lines.append(("peak RSS, stats run", stats["rss_mb"], MEMORY_TARGET_MB, "MB", ""))
    if startup:
        lines.append(("start-up to a shown window", startup["shown_s"], STARTUP_TARGET_S, "s", ""))
        lines.append(("peak RSS, start-up", startup["rss_mb"], MEMORY_TARGET_MB, "MB", ""))

    print(
        f"foundation benchmark on {args.db}: {stats['year']} "
        f"({stats['start']} to {stats['end']}, {stats['possible']:,} possible sessions)"
    )
    print(f"{'measure':36} {'value':>11} {'target':>11} {'ratio':>6}  result")
    for name, value, target, unit, note in lines:
        verdict = "pass" if value <= target else "FAIL"
        print(
            f"{name:36} {value:8.2f} {unit:<2} {target:8.2f} {unit:<2} {value / target:6.2f}"
            f"  {verdict}  {note}".rstrip()
        )
    print(f"(for reference: GROUP BY pupil_id, code takes {stats['by_code_s'] * 1000:.0f} ms)")
    if not stats["same"]:
        print("FAIL: school_figures and the raw query disagree on the counts")
    if startup is None:
        print("start-up: skipped (no window yet)")


if __name__ == "__main__":
    main()
