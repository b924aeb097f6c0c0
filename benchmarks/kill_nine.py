"""`kill -9` during imports, restores and upgrades: how many databases would not open?

    python benchmarks/kill_nine.py [--runs 40] [--seed N]

Runs `--runs` killed runs of each kind (an import of a marks file, a restore of a backup,
an upgrade from schema 0008), each killed (SIGKILL) at a random moment of its work, then
opens each file as the next start of the app would and runs the checks restore uses
(SQLite's integrity check, the schema, the audit hash chain). Prints one line per kind
and the totals; exits 1 if any database would not open, failed a check, or held part of
a change. POSIX only (SIGKILL). About 2 s a run on the office-PC-sized test machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.store.kill_runs import KINDS, kill_runs  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="killed runs of each kind")
    parser.add_argument("--seed", type=int, default=random.randrange(1_000_000))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"kill -9 runs, seed {args.seed}, {args.runs} of each kind")
    print(
        f"{'kind':<8} {'runs':>5} {'killed':>7} {'all':>5} {'none':>5} {'opened':>7} "
        f"{'problems':>9} {'partial':>8} {'seconds':>8}"
    )
    totals: Counter[str] = Counter()
    for kind in KINDS:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix=f"kill-{kind}-") as folder:
            outcomes = kill_runs(kind, args.runs, Path(folder), rng)
        counts = Counter(
            runs=len(outcomes),
            killed=sum(not o.finished for o in outcomes),
            all=sum(o.held == "after" for o in outcomes),
            none=sum(o.held == "before" for o in outcomes),
            opened=sum(o.opened for o in outcomes),
            problems=sum(bool(o.problems) for o in outcomes),
            partial=sum(o.held == "neither" for o in outcomes),
        )
        totals.update(counts)
        print(
            f"{kind:<8} {counts['runs']:>5} {counts['killed']:>7} {counts['all']:>5} "
            f"{counts['none']:>5} {counts['opened']:>7} {counts['problems']:>9} "
            f"{counts['partial']:>8} {time.perf_counter() - started:>8.0f}"
        )
        for outcome in outcomes:
            if not outcome.sound:
                print(f"  BROKEN after {outcome.killed_after:.2f} s: {outcome}")
    not_opened = totals["runs"] - totals["opened"]
    print(
        f"total: {totals['runs']} runs, {totals['killed']} killed mid-way, {not_opened} "
        f"would not open, {totals['problems']} failed a check, {totals['partial']} half-written"
    )
    return 0 if not_opened == totals["problems"] == totals["partial"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
