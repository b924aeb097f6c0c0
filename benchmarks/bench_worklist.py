"""Today's worklist and the morning's call list on the 2,000-pupil, 3-year demo school.

Target (issue 5): the whole school's worklist in under 200 ms. Best of five runs each, on the
last day the demo has marks for. The Today tab's refresh also saves what was raised
(`raise_actions`, rolled back after each run so every run saves the day afresh). Run from
the project root:

    python benchmarks/bench_worklist.py [--db /tmp/attendance-bench.db]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from datetime import time as clock
from pathlib import Path

from sqlalchemy import func, select

from attendance_desk.access.auth import office_user
from attendance_desk.desk.calls import call_list
from attendance_desk.followup.rules import actions_for_day, raise_actions
from attendance_desk.models import Mark
from attendance_desk.store.db import open_database

sys.path.insert(0, str(Path(__file__).parent))
from bench_foundation import ensure_demo  # noqa: E402


def best_of(runs: int, work) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("/tmp/attendance-bench.db"))
    args = parser.parse_args()
    ensure_demo(args.db)
    with open_database(args.db)() as session:
        day = session.scalar(select(func.max(Mark.date)))
        worklist, actions = best_of(5, lambda: actions_for_day(session, day))
        now = datetime.combine(day, clock(9, 40))

        def refresh() -> object:
            raised = raise_actions(session, day=day, user=office_user(session), now=now)
            session.rollback()
            return raised

        saved, _ = best_of(5, refresh)
        calls, rows = best_of(5, lambda: call_list(session, datetime.combine(day, clock(9, 40))))
    print(f"worklist benchmark on {args.db}, {day}")
    print(f"{'measure':36} {'value':>9} {'target':>9} {'ratio':>6}  result")
    for name, seconds, target in (
        (f"Today worklist ({len(actions)} actions)", worklist, 0.200),  # type: ignore[arg-type]
        ("Today refresh, saving what was raised", saved, 0.400),
        (f"Calls list ({len(rows)} pupils)", calls, 0.200),  # type: ignore[arg-type]
    ):
        verdict = "pass" if seconds <= target else "FAIL"
        print(
            f"{name:36} {seconds * 1000:7.1f}ms {target * 1000:7.1f}ms "
            f"{seconds / target:6.2f}  {verdict}"
        )


if __name__ == "__main__":
    main()
