"""Register benchmark on the 2,000-pupil, 3-year demo school.

Measures, as best of several runs: opening one registration group's week (service and Qt
model), saving a whole session for the group in one transaction, and resident memory after
opening 100 weeks in turn (it should stay flat). Run from the project root:

    python benchmarks/bench_register.py [--db /tmp/attendance-bench.db]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from attendance_desk.access.auth import office_user  # noqa: E402
from attendance_desk.models import Mark, Pupil  # noqa: E402
from attendance_desk.register.marks import MarkEdit, save_marks  # noqa: E402
from attendance_desk.register.sheet import group_choices, load_sheet  # noqa: E402
from attendance_desk.school.calendar_store import load_calendar  # noqa: E402
from attendance_desk.store.db import open_database, transaction  # noqa: E402
from attendance_desk.ui.register.register_model import RegisterModel  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from bench_foundation import ensure_demo  # noqa: E402


def best_of(runs: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("/tmp/attendance-bench.db"))
    args = parser.parse_args()
    ensure_demo(args.db)
    # Work on a copy so the saves below never change the shared benchmark school.
    work_dir = Path(tempfile.mkdtemp())
    db = work_dir / "register.db"
    shutil.copy(args.db, db)
    factory = open_database(db)
    app = QApplication.instance() or QApplication([])
    model = RegisterModel(date.today)

    with factory() as session:
        calendar = load_calendar(session)
        last_day = session.scalar(select(func.max(Mark.date)))
        on_roll = (Pupil.on_roll_from <= last_day) & (
            Pupil.on_roll_to.is_(None) | (Pupil.on_roll_to >= last_day)
        )
        choice = max(
            (c for c in group_choices(session) if c.kind == "reg_group"),
            key=lambda c: session.scalar(
                select(func.count(Pupil.id)).where(Pupil.reg_group_id == c.id, on_roll)
            ),
        )
        monday = last_day - timedelta(days=last_day.weekday())

        def open_week() -> None:
            model.set_sheet(load_sheet(session, choice, monday, monday + timedelta(days=4)))

        open_ms = best_of(20, open_week) * 1000
        pupils = len(model.sheet.rows)

    day = calendar.next_school_day(last_day)
    assert day is not None, "the demo calendar has no school day after its last mark"
    rows = model.sheet.rows
    saves = []
    for attempt in range(5):
        # Each attempt saves a fresh session: a different day, all AM, from empty.
        target = calendar.add_school_days(day, attempt)
        edits = [MarkEdit(r.pupil_id, target, "AM", "/", None) for r in rows if r.on_roll(target)]
        start = time.perf_counter()
        with transaction(factory) as session:
            save_marks(
                session,
                edits=edits,
                user=office_user(session),
                now=datetime.combine(target, datetime.min.time()) + timedelta(hours=9),
            )
        saves.append(time.perf_counter() - start)
    save_ms = min(saves) * 1000

    with factory() as session:
        weeks = calendar.school_weeks(calendar.days[0], last_day)[-100:]
        open_week_at = lambda w: model.set_sheet(  # noqa: E731
            load_sheet(session, choice, w, w + timedelta(days=4))
        )
        for w in weeks[:10]:
            open_week_at(w)
        before = rss_mb()
        for w in weeks:
            open_week_at(w)
        after = rss_mb()
    app.processEvents()
    shutil.rmtree(work_dir)

    print(f"register benchmark on {args.db} (group {choice.label}, {pupils} pupils)")
    print(f"{'measure':44} {'value':>10} {'target':>10} {'ratio':>7}  result")
    lines = [
        ("open a group's week (service + model)", open_ms, 30.0, "ms"),
        ("save a full session for the group", save_ms, 50.0, "ms"),
        ("RSS growth over 100 weeks opened", after - before, 10.0, "MB"),
    ]
    for name, value, target, unit in lines:
        verdict = "pass" if value <= target else "FAIL"
        ratio = value / target
        print(f"{name:44} {value:8.1f}{unit:>2} {target:8.1f}{unit:>2} {ratio:7.2f}  {verdict}")
    print(f"(RSS {before:.0f} MB before, {after:.0f} MB after)")


if __name__ == "__main__":
    main()
