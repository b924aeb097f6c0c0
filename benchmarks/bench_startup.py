"""Where the window's start-up time goes, on the 2,000-pupil demo school.

Each run is a fresh Python process on the offscreen Qt platform, launched and timed from
here, split into: starting Python, importing Qt, importing the app, opening the database (the
schema check when nothing needs upgrading), building the window (its tabs are built when
first shown), then showing it with Today's tab and its first worklist (the first turn of the
event loop), the Calls and Inbox tabs (their counts are in their titles), and the count of
marks not yet exported with the background sending started, one step per turn of the event
loop. The processor time the process used is printed beside the wall time (the machine may
be shared). Median of 5 runs after one warm-up, on a copy of the cached school (`--db`; the
first start of a day saves the day's worklist). Target (issue 21): usable, the window on
screen with Today's worklist, in under 1.2 s.

    python benchmarks/bench_startup.py [--db /tmp/attendance-bench.db] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_foundation import ensure_demo  # noqa: E402

TARGET_S = 1.2

#: The probe: the same start as `attendance-desk`, with a clock read between the phases.
PROBE = r"""
import time
marks = {"python": time.perf_counter()}
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
marks["qt"] = time.perf_counter()
from attendance_desk.store.db import open_database
from attendance_desk.ui.main_window import MainWindow
marks["app"] = time.perf_counter()
app = QApplication([])
factory = open_database(Path(sys.argv[1]))
marks["open"] = time.perf_counter()
window = MainWindow(factory, db_path=Path(sys.argv[1]))
marks["window"] = time.perf_counter()
cpu = {}
def built(name, _widget):
    marks.setdefault(name, time.perf_counter())
    cpu.setdefault(name, time.process_time())

window.shelf.built.connect(built)
window.show()

def settled():
    if not window.started:
        QTimer.singleShot(1, settled)
        return
    marks["started"] = time.perf_counter()
    cpu["started"] = time.process_time()
    window.close()
    print(json.dumps({"marks": marks, "cpu": cpu, "wall": time.time() - time.perf_counter()}))
    app.quit()

QTimer.singleShot(0, settled)
app.exec()
"""

PHASES = (
    ("importing Qt", "python", "qt"),
    ("importing the app", "qt", "app"),
    ("opening the database (schema check)", "app", "open"),
    ("building the window", "open", "window"),
    ("showing it, with Today's tab and first worklist", "window", "today"),
    ("then the Calls and Inbox tabs (counts)", "today", "inbox"),
    ("then unexported marks, background sending", "inbox", "started"),
)
TODAY = "usable: Today's worklist on screen"
STARTED = "start finished"


def one_start(db: Path) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    launched = time.time()
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(db)], env=env, capture_output=True, text=True, check=True
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    marks, cpu = found["marks"], found["cpu"]
    since_launch = {key: found["wall"] + value - launched for key, value in marks.items()}
    times = {"starting Python": since_launch["python"]}
    for name, begin, end in PHASES:
        times[name] = marks[end] - marks[begin]
    times[TODAY] = since_launch["today"]
    times[STARTED] = since_launch["started"]
    times["cpu " + TODAY] = cpu["today"]
    times["cpu " + STARTED] = cpu["started"]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("/tmp/attendance-bench.db"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ensure_demo(args.db)
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        copy = Path(folder) / "school.db"
        shutil.copyfile(args.db, copy)
        one_start(copy)  # warm-up: the disk cache, and the day's worklist saved
        runs = [one_start(copy) for _ in range(args.runs)]
    load = os.getloadavg()[0]
    print(
        f"start-up on a copy of {args.db}: median of {args.runs}; {os.cpu_count()} processors, "
        f"load average {load:.1f} (timings rise on a shared machine)"
    )

    def median_ms(name: str) -> float:
        return statistics.median(r[name] for r in runs) * 1000

    print(f"  {'phase':46} {'wall':>8}")
    for name in ["starting Python", *(name for name, _, _ in PHASES)]:
        print(f"  {name:46} {median_ms(name):6.0f} ms")
    print(f"  {'since launch':46} {'wall':>8} {'processor':>10}  target {TARGET_S * 1000:.0f} ms")
    for name, cpu in ((TODAY, "cpu " + TODAY), (STARTED, "cpu " + STARTED)):
        used = f"{median_ms(cpu):7.0f} ms" if cpu else " " * 10
        verdict = (
            "" if name == STARTED else ("pass" if median_ms(name) <= TARGET_S * 1000 else "FAIL")
        )
        print(f"  {name:46} {median_ms(name):6.0f} ms {used}  {verdict}")


if __name__ == "__main__":
    main()
