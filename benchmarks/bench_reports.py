"""Reports benchmark on the 2,000-pupil, 3-year demo school (~2.2 M marks).

Measures opening the Reports tab (offscreen): the service call (`figures.report.load_report`)
and filling the headline, charts and tables, for "this year" and for the latest full academic
year (the largest range a head normally asks for), against the 1 s target; and, for
information, rendering the weekly SLT pack. Best of several runs, plus the first (cold) run.
Uses the demo school cached by `bench_foundation.ensure_demo`. Run from the project root:

    python benchmarks/bench_reports.py [--db /tmp/attendance-bench.db] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QDate  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from attendance_desk.figures.report import load_report  # noqa: E402
from attendance_desk.figures.slt_pack import weekly_pack  # noqa: E402
from attendance_desk.models import Mark, User  # noqa: E402
from attendance_desk.school.calendar_store import load_calendar  # noqa: E402
from attendance_desk.school.term_dates import year_start  # noqa: E402
from attendance_desk.store.db import open_database  # noqa: E402
from attendance_desk.ui.figures.reports_tab import ReportsTab  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from bench_foundation import ensure_demo  # noqa: E402

TAB_TARGET_S = 1.0


def timed(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """(first run, best run) in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times[0], min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("/tmp/attendance-bench.db"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ensure_demo(args.db)
    factory = open_database(args.db)
    app = QApplication.instance() or QApplication([])

    with factory() as session:
        last_day = session.scalar(select(func.max(Mark.date)))
        assert last_day is not None, "the benchmark school has no marks"
        calendar = load_calendar(session)
        today = calendar.next_school_day(last_day) or last_day + timedelta(days=1)
        this_year = (year_start(calendar, today), today)
        # July of the year before: inside the previous academic year's last term.
        previous = year_start(calendar, date(this_year[0].year, 7, 1))
        full_year = (previous, this_year[0] - timedelta(days=1))
        head = session.scalars(select(User).where(User.role == "head")).first()
    now = datetime.combine(today, clock(15, 30))

    tab = ReportsTab(factory, lambda: now)
    tab.resize(1400, 900)
    tab.show()
    app.processEvents()

    def open_range(start: date, end: date) -> Callable[[], None]:
        def work() -> None:
            for edit, day in ((tab.from_edit, start), (tab.to_edit, end)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
            tab.reload()
            app.processEvents()  # lay out and paint what was filled

        return work

    lines = []
    for label, (start, end) in (("this year", this_year), ("latest full year", full_year)):
        first, best = timed(args.runs, open_range(start, end))
        with factory() as session:
            _, service = timed(
                args.runs, lambda s=start, e=end: load_report(session, s, e, now=now, viewer=head)
            )
        lines.append((f"open Reports tab: {label} ({start} to {end})", first, best, service))

    with factory() as session:
        monday = last_day - timedelta(days=last_day.weekday())
        pack_first, pack_best = timed(3, lambda: weekly_pack(session, monday, now, viewer=head))
    app.processEvents()

    print(f"reports benchmark on {args.db} (today taken as {today})")
    print(f"{'measure':62} {'first':>8} {'best':>8} {'target':>8} {'ratio':>6}  result")
    for name, first, best, service in lines:
        verdict = "pass" if best <= TAB_TARGET_S else "FAIL"
        print(
            f"{name:62} {first:7.3f}s {best:7.3f}s {TAB_TARGET_S:7.1f}s "
            f"{best / TAB_TARGET_S:6.2f}  {verdict}"
        )
        print(f"{'  of which the service call (load_report)':62} {'':8} {service:7.3f}s")
    print(
        f"{'weekly SLT pack for the week of ' + str(monday):62} {pack_first:7.3f}s "
        f"{pack_best:7.3f}s {'—':>8} {'':6}  (information)"
    )


if __name__ == "__main__":
    main()
