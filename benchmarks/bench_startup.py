"""Where the window's start-up time goes, on the 2,000-pupil demo school.

Each run is a fresh Python process on the offscreen Qt platform, launched and timed from
here to the moment the main window is shown and its event loop runs (the window usable),
and split into: starting Python, importing Qt, importing the app, opening the database (the
schema check when nothing needs upgrading), building the window (of which Today's first
worklist and the Register tab's first class), and showing it. Median of 5 runs after one
warm-up, on a copy of the cached school (`--db`; the first start of a day saves the day's
worklist). Target (issue 21): usable in under 1.2 s.

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
from attendance_desk.ui import register_tab, today_tab
from attendance_desk.ui.main_window import MainWindow
marks["app"] = time.perf_counter()
spent = {"today": 0.0, "register": 0.0}

def timed(cls, name, key):
    original = getattr(cls, name)
    def run(self, *args, **kwargs):
        began = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - began
    setattr(cls, name, run)

timed(today_tab.TodayTab, "reload", "today")
timed(register_tab.RegisterTab, "refresh_choices", "register")
app = QApplication([])
factory = open_database(Path(sys.argv[1]))
marks["open"] = time.perf_counter()
window = MainWindow(factory, db_path=Path(sys.argv[1]))
marks["window"] = time.perf_counter()
window.show()

def shown():
    marks["shown"] = time.perf_counter()
    print(json.dumps({"marks": marks, "spent": spent, "wall": time.time()}), flush=True)
    app.quit()

QTimer.singleShot(0, shown)
app.exec()
"""

PHASES = (
    ("starting Python", None),
    ("importing Qt", "qt"),
    ("importing the app", "app"),
    ("opening the database (schema check)", "open"),
    ("building the window", "window"),
    ("showing it (first paint)", "shown"),
)


def one_start(db: Path) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    launched = time.time()
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(db)], env=env, capture_output=True, text=True, check=True
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    marks, spent = found["marks"], found["spent"]
    total = found["wall"] - launched
    times = {"total": total}
    times["starting Python"] = total - (marks["shown"] - marks["python"])
    previous = marks["python"]
    for name, key in PHASES[1:]:
        times[name] = marks[key] - previous
        previous = marks[key]
    times["  of which Today's first worklist"] = spent["today"]
    times["  of which the Register tab's first class"] = spent["register"]
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
    print(f"start-up on a copy of {args.db}: median of {args.runs}; {os.cpu_count()} processors")
    order = [name for name, _ in PHASES[:4]] + [
        PHASES[4][0],
        "  of which Today's first worklist",
        "  of which the Register tab's first class",
        PHASES[5][0],
    ]
    for name in order:
        print(f"  {name:44} {statistics.median(r[name] for r in runs) * 1000:7.0f} ms")
    total = statistics.median(r["total"] for r in runs)
    verdict = "pass" if total <= TARGET_S else "FAIL"
    print(f"  {'usable (launch to a running window)':44} {total * 1000:7.0f} ms")
    print(f"  target {TARGET_S * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
