"""The Letters tab's Due page on the 2,000-pupil, 3-year demo school: shown whole (cold), and
refreshed after a class register is saved, when only that class's letters are worked out
again (issue 21: under 50 ms). The figures cover the whole panel: working the letters out,
composing their copies and filling the list. Best of five, wall and processor time; the
saves run on a copy of the school, on the last day the demo has marks for.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_due_panel.py [--db /tmp/attendance-bench.db]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import datetime
from datetime import time as clock
from pathlib import Path

from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from attendance_desk.access.auth import office_user
from attendance_desk.models import Mark, Pupil
from attendance_desk.store.db import open_database
from attendance_desk.ui.letters.due_panel import DuePanel

sys.path.insert(0, str(Path(__file__).parent))
from bench_foundation import ensure_demo  # noqa: E402
from bench_worklist import (  # noqa: E402
    COLD_TARGET,
    REFRESH_TARGET,
    best_of,
    class_register_saver,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("/tmp/attendance-bench.db"))
    args = parser.parse_args()
    ensure_demo(args.db)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-due-") as folder:
        copy = Path(folder) / "school.db"
        shutil.copyfile(args.db, copy)
        factory = open_database(copy)
        with factory() as session:
            day = session.scalar(select(func.max(Mark.date)))
            assert day is not None
            now = datetime.combine(day, clock(10, 0))
            panel = DuePanel(factory, lambda: now)
            figures = []
            wall, cpu, _ = best_of(5, panel.reload)
            shown = len(panel.due_items())
            figures.append((f"Due page, whole ({shown} letters)", wall, cpu, COLD_TARGET))
            group = session.scalars(select(Pupil.reg_group_id).limit(1)).one()
            user = office_user(session)
            touched: list[int] = []
            register = class_register_saver(session, group, user=user, now=now, touched=touched)

            wall, cpu, _ = best_of(5, lambda: panel.reload(pupils=touched), before=register)
            figures.append(("Due page after a class register saved", wall, cpu, REFRESH_TARGET))
        factory.kw["bind"].dispose()
    del app
    print(f"due page benchmark on {args.db}, {day}; {os.cpu_count()} processors")
    print(f"{'measure':44} {'wall':>9} {'processor':>9} {'target':>8}  result")
    for name, wall, cpu, target in figures:
        verdict = "pass" if wall <= target else ("pass (processor)" if cpu <= target else "FAIL")
        print(
            f"{name:44} {wall * 1000:7.1f}ms {cpu * 1000:7.1f}ms {target * 1000:6.0f}ms  {verdict}"
        )


if __name__ == "__main__":
    main()
