"""Command-line start-up: `--version`, and `stats` over the whole three-year demo school
against a plain SQLite `GROUP BY` over the same marks, each timed as a whole process.

Uses the 2,000-pupil, 114-school-week school of `bench_foundation.py` (built at --db when
missing). Runs each command once to warm the file cache, then `--runs` times; the two
`stats` commands run in turn (A B A B …) so that a change in the machine's speed hits both,
and the ratio is taken pair by pair. Prints medians against the targets: `--version` under
0.15 s, `stats` within 1.3x the plain `GROUP BY`.

    python benchmarks/bench_cli_start.py [--db /tmp/attendance-bench.db] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

VERSION_TARGET_S = 0.15
STATS_RATIO_TARGET = 1.3
LOGIN = {"ATTENDANCE_DESK_USER": "attendance", "ATTENDANCE_DESK_PASSWORD": "demo-school"}

#: The baseline: the same per-pupil counts `stats` reports, in one GROUP BY over the marks
#: (no code filter, so SQLite reads the covering date index, as `stats` does).
PLAIN_SQL = r"""
SELECT pupil_id,
       SUM(CASE WHEN code IN ('/', '\', 'L') THEN 1 ELSE 0 END),
       SUM(CASE WHEN code IN ('K', 'V', 'P', 'W', 'B') THEN 1 ELSE 0 END),
       SUM(CASE WHEN code IN ('C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E')
                THEN 1 ELSE 0 END),
       SUM(CASE WHEN code IN ('G', 'N', 'O', 'U') THEN 1 ELSE 0 END),
       SUM(CASE WHEN code = 'L' THEN 1 ELSE 0 END)
FROM marks WHERE date BETWEEN ? AND ? GROUP BY pupil_id
"""
#: The baseline as a process of its own: Python with nothing but sqlite3, printing each row.
PLAIN_SCRIPT = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute(sys.argv[2], (sys.argv[3], sys.argv[4])):
    print(*row)
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and processor seconds of one run of `command` (its output thrown away)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def mark_range(db: Path) -> tuple[str, str]:
    with sqlite3.connect(db) as conn:
        first, last = conn.execute("SELECT min(date), max(date) FROM marks").fetchone()
    return str(first), str(last)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/attendance-bench.db"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.db.exists():
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_foundation import ensure_demo

        ensure_demo(args.db)
    env = {**os.environ, **LOGIN}
    app = [sys.executable, "-m", "attendance_desk"]
    first, last = mark_range(args.db)

    version = [timed([*app, "--version"], env) for _ in range(args.runs + 1)][1:]
    stats_cmd = [*app, "--db", str(args.db), "stats", "--from", first, "--to", last]
    plain_cmd = [sys.executable, "-c", PLAIN_SCRIPT, str(args.db), PLAIN_SQL, first, last]
    timed(stats_cmd, env), timed(plain_cmd, env)  # warm the file cache
    pairs = [(timed(stats_cmd, env), timed(plain_cmd, env)) for _ in range(args.runs)]

    version_s = statistics.median(w for w, _ in version)
    stats_s = statistics.median(a[0] for a, _ in pairs)
    plain_s = statistics.median(b[0] for _, b in pairs)
    ratio = statistics.median(a[0] / b[0] for a, b in pairs)
    cpu_ratio = statistics.median(a[1] / b[1] for a, b in pairs)
    print(f"command-line start-up on {args.db}: stats {first} to {last}, {args.runs} runs each")
    print(f"{'measure':40} {'median':>9} {'target':>8}  result")
    rows = [
        ("--version, whole process", version_s, VERSION_TARGET_S, "s"),
        ("stats / plain GROUP BY, wall (pairs)", ratio, STATS_RATIO_TARGET, "x"),
    ]
    for name, value, target, unit in rows:
        verdict = "pass" if value <= target else "FAIL"
        print(f"{name:40} {value:7.3f} {unit} {target:6.2f} {unit}  {verdict}")
    print(
        f"(stats {stats_s:.2f} s, plain GROUP BY {plain_s:.2f} s; "
        f"processor time ratio {cpu_ratio:.2f}x)"
    )


if __name__ == "__main__":
    main()
