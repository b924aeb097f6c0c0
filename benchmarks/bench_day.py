"""A day's use stays flat: 500 operations in a row in one window, resident memory printed.

On a copy of the 2,000-pupil demo school (the cached benchmark school, `--db`), the main
window is opened (offscreen) and the office's day is played through it, in turn: open a
class's week of the register, save a session for a class (then the window catches up, as
after the Register tab's Save), log a call (the same), open a pupil's file (its timeline),
refresh Today, each from the window's event loop as a click would be. Resident memory
(VmRSS) is printed at 0, 250 and 500 operations; target: growth under 20 MB from 0 to 500
(issue 21).

    python benchmarks/bench_day.py [--db /tmp/attendance-bench.db] [--operations 500]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from attendance_desk.access.permissions import Role  # noqa: E402
from attendance_desk.desk.calls import log_attempt  # noqa: E402
from attendance_desk.models import Contact, Mark, Pupil, RegGroup, User  # noqa: E402
from attendance_desk.register.marks import MarkEdit, save_marks  # noqa: E402
from attendance_desk.register.sheet import GroupChoice, load_sheet  # noqa: E402
from attendance_desk.safeguarding.chronology import chronology  # noqa: E402
from attendance_desk.store.db import open_database, transaction  # noqa: E402
from attendance_desk.ui.access import acting_user  # noqa: E402
from attendance_desk.ui.main_window import MainWindow  # noqa: E402
from attendance_desk.ui.operations.changes import Change  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from bench_foundation import ensure_demo  # noqa: E402

GROWTH_TARGET_MB = 20.0


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise SystemExit("no /proc/self/status: this benchmark needs Linux")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("/tmp/attendance-bench.db"))
    parser.add_argument("--operations", type=int, default=500)
    args = parser.parse_args()
    ensure_demo(args.db)
    app = QApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-day-") as folder:
        copy = Path(folder) / "school.db"
        shutil.copyfile(args.db, copy)
        factory = open_database(copy)
        with factory() as session:
            day = session.scalar(select(func.max(Mark.date)))
            assert day is not None
            head = session.scalars(select(User).where(User.role == Role.HEAD)).one()
            groups = list(session.scalars(select(RegGroup.id).order_by(RegGroup.id)))
            contacts = list(
                session.execute(
                    select(Contact.pupil_id, Contact.id).where(Contact.do_not_contact.is_(False))
                ).all()
            )
            pupils = list(session.scalars(select(Pupil.id).order_by(Pupil.id)))
        acting_user.set_user(head.id)
        clock_now = datetime.combine(day, clock(9, 30))
        window = MainWindow(
            factory, db_path=copy, today=lambda: day, now=lambda: clock_now, send_outbox=False
        )
        window.show()
        # The window finishes starting on its event loop (Today's first list, the Calls and
        # Inbox tabs): the day, and the first reading, begin once it has.
        deadline = time.monotonic() + 60
        while not window.started:
            if time.monotonic() > deadline:
                sys.exit("the window did not finish starting within 60 s")
            app.processEvents()
        rnd = random.Random(1)
        monday = day - timedelta(days=day.weekday())

        def open_week() -> None:
            choice = GroupChoice("reg_group", rnd.choice(groups), "")
            with factory() as session:
                load_sheet(session, choice, monday, monday + timedelta(days=4), today=day)

        def save_session() -> None:
            group = rnd.choice(groups)
            with transaction(factory) as session:
                marks = session.scalars(
                    select(Mark)
                    .join(Pupil, Pupil.id == Mark.pupil_id)
                    .where(Mark.date == day, Mark.session == "PM", Pupil.reg_group_id == group)
                ).all()
                edits = [
                    MarkEdit(m.pupil_id, day, "PM", rnd.choice(("\\", "\\", "N")), m.version)
                    for m in marks
                ]
                save_marks(
                    session, edits=edits, user=head, now=clock_now, amendment_reason="corrected"
                )
            window.changes.announce(Change.MARKS, pupils={e.pupil_id for e in edits})

        def log_call() -> None:
            pupil_id, contact_id = rnd.choice(contacts)
            with transaction(factory) as session:
                log_attempt(
                    session,
                    pupil_id=pupil_id,
                    contact_id=contact_id,
                    outcome="no_answer",
                    user=session.get(User, head.id),  # type: ignore[arg-type]
                    now=clock_now,
                )
            window.changes.announce(Change.CALLS, pupils={pupil_id})

        def open_file() -> None:
            with factory() as session:
                viewer = session.get(User, head.id)
                assert viewer is not None
                chronology(session, pupil_id=rnd.choice(pupils), viewer=viewer, now=clock_now)

        def refresh_today() -> None:
            window.today_tab.refresh_button.click()

        day_of_work = (open_week, save_session, log_call, open_file, refresh_today)
        print(f"a day's use on a copy of {args.db}, {day}; {os.cpu_count()} processors")
        readings = [(0, rss_mb())]
        print(f"{0:4d} operations: {readings[-1][1]:7.1f} MB resident", flush=True)
        started = time.perf_counter()
        done = 0

        def step() -> None:
            """One operation, then back to the event loop (which deletes what the screens
            let go of, as in the app), then the next."""
            nonlocal clock_now, done
            day_of_work[done % len(day_of_work)]()
            done += 1
            clock_now += timedelta(seconds=20)
            if done in (args.operations // 2, args.operations):
                readings.append((done, rss_mb()))
                print(f"{done:4d} operations: {readings[-1][1]:7.1f} MB resident", flush=True)
            if done < args.operations:
                QTimer.singleShot(0, step)
            else:
                app.quit()

        QTimer.singleShot(0, step)
        app.exec()
        growth = readings[-1][1] - readings[0][1]
        verdict = "pass" if growth < GROWTH_TARGET_MB else "FAIL"
        print(
            f"growth {growth:+.1f} MB over {args.operations} operations "
            f"(target under {GROWTH_TARGET_MB:.0f} MB): {verdict}; "
            f"{time.perf_counter() - started:.0f} s"
        )
        window.close()
        factory.kw["bind"].dispose()


if __name__ == "__main__":
    main()
