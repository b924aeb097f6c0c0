"""The 08:50 rush: every class takes its register at once on one shared database.

On a throwaway PostgreSQL server (started as `setup.sh test` starts the test suite's, but
with the server's usual durable settings), 10 client processes each save 6 class registers
of 27 pupils within two minutes (the morning session, at random moments) while 2 more
refresh the whole Today worklist every 5 s, as office PCs would; then the same on one
SQLite file (WAL) with 3 saving processes and the 2 refreshing. Each client opens the
database itself, loads the register as the Register tab does and saves through the same
path (`busy.in_transaction` and `register.save_marks`).

It prints, per database: the save times (p50, p95, max, from the saving process's side,
waiting included), the Today refreshes' times, the errors any client saw, and the lost
marks (a mark a client saved that is not in the register afterwards). Goals (issue 21):
p95 save under 100 ms on PostgreSQL, 0 errors, 0 lost marks.

    python benchmarks/bench_rush.py [--seconds 120] [--savers 10] [--sqlite-savers 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from attendance_desk.access.permissions import Role
from attendance_desk.demo.school import build_demo
from attendance_desk.followup.refresh import DayWorklist
from attendance_desk.models import Mark, Pupil, RegGroup, User
from attendance_desk.register.marks import MarkEdit, save_marks
from attendance_desk.register.sheet import GroupChoice, load_sheet
from attendance_desk.school.calendar_store import load_calendar
from attendance_desk.store.busy import in_transaction
from attendance_desk.store.db import open_database

REGISTERS_EACH, CLASS_SIZE, REFRESHERS, REFRESH_EVERY_S = 6, 27, 2, 5.0
P95_TARGET_MS = 100.0
TODAY = date(2026, 3, 18)  # the demo's "today": the rush is that morning's register
DEMO_PUPILS, DEMO_WEEKS = 2400, 4  # enough classes of 27 for 60 registers


@contextmanager
def postgres(folder: Path) -> Iterator[str]:
    """A PostgreSQL server of its own in `folder` (a Unix socket only), stopped at the end."""

    def binary(name: str) -> str:
        found = shutil.which(name) or max(
            (str(p) for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")), default=None
        )
        if found is None:
            raise SystemExit(f"{name} not found: install PostgreSQL (as setup.sh test does)")
        return found

    as_owner: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        if subprocess.run(["id", "postgres"], capture_output=True).returncode:
            subprocess.run(["useradd", "--system", "postgres"], check=True)
        shutil.chown(folder, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    subprocess.run(
        [*as_owner, binary("initdb"), "-D", str(data), "-U", "attendance_bench", "--auth=trust"]
        + ["-E", "UTF8", "--locale=C.UTF-8"],
        check=True,
        capture_output=True,
    )
    options = f"-k {folder} -c listen_addresses='' -p 5432 -c max_connections=60"
    pg_ctl = binary("pg_ctl")
    log = folder / "server.log"
    subprocess.run(
        [*as_owner, pg_ctl, "-D", str(data), "-l", str(log), "-w", "start", "-o", options],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://attendance_bench@/postgres?host={folder}&port=5432"
    finally:
        subprocess.run(
            [*as_owner, pg_ctl, "-D", str(data), "-m", "fast", "stop"], capture_output=True
        )


def prepare(address: str, classes: int) -> tuple[date, list[list[int]]]:
    """The demo school; the rush day and `classes` classes of `CLASS_SIZE` pupils."""
    factory = open_database(address)
    with factory() as session:
        build_demo(session, pupils=DEMO_PUPILS, weeks=DEMO_WEEKS, seed=1, today=TODAY)
        session.commit()
        calendar = load_calendar(session)
        last = session.scalar(select(func.max(Mark.date)))
        assert last is not None
        day = calendar.next_school_day(last)
        assert day is not None
        groups = []
        for group in session.scalars(select(RegGroup).order_by(RegGroup.id)):
            on_roll = session.scalars(
                select(Pupil.id)
                .where(Pupil.reg_group_id == group.id, Pupil.on_roll_from <= day)
                .where((Pupil.on_roll_to.is_(None)) | (Pupil.on_roll_to >= day))
                .order_by(Pupil.id)
            ).all()
            if len(on_roll) >= CLASS_SIZE:
                groups.append(group.id)
    factory.kw["bind"].dispose()
    if len(groups) < classes:
        raise SystemExit(f"the demo has {len(groups)} classes of {CLASS_SIZE}, not {classes}")
    return day, [groups[i : i + REGISTERS_EACH] for i in range(0, classes, REGISTERS_EACH)]


def ready() -> float:
    """Say this client is open and wait for the rush's start (every client is open by then)."""
    print(json.dumps({"ready": True}), flush=True)
    return float(sys.stdin.readline())


def saver(address: str, day: date, groups: list[int], seconds: float) -> None:
    """One office PC or classroom: saves its classes' morning registers at random moments."""
    rnd = random.Random(os.getpid())
    factory = open_database(address)
    moments = sorted(rnd.uniform(0, seconds) for _ in groups)
    with factory() as session:
        user = session.scalars(select(User).where(User.role == Role.ADMIN)).first()
        assert user is not None
        user_id = user.id
    start = ready()
    for group_id, moment in zip(groups, moments, strict=True):
        time.sleep(max(0.0, start + moment - time.time()))
        now = datetime.combine(day, clock(8, 50)) + timedelta(seconds=moment)
        with factory() as session:  # the register tab opens the class
            sheet = load_sheet(session, GroupChoice("reg_group", group_id, ""), day, day)
            pupils = [row.pupil_id for row in sheet.rows][:CLASS_SIZE]
        codes = {p: rnd.choices(("/", "N", "I"), (92, 5, 3))[0] for p in pupils}
        edits = [MarkEdit(p, day, "AM", code, None) for p, code in codes.items()]
        began = time.perf_counter()
        error = None
        try:
            in_transaction(
                factory,
                lambda s, e=edits, n=now: save_marks(s, edits=e, user=s.get(User, user_id), now=n),
            )
        except Exception as exc:  # what the office would see
            error = f"{type(exc).__name__}: {exc}"[:300]
        took = time.perf_counter() - began
        print(json.dumps({"save": took, "error": error, "marks": codes}), flush=True)
    factory.kw["bind"].dispose()


def refresher(address: str, day: date, seconds: float) -> None:
    """An office PC with Today open, refreshing it every few seconds."""
    factory = open_database(address)
    worklist = DayWorklist()
    with factory() as session:
        user = session.scalars(select(User).where(User.role == Role.ADMIN)).first()
        assert user is not None
        user_id = user.id
    start = ready()
    while time.time() < start + seconds:
        now = datetime.combine(day, clock(8, 50)) + timedelta(seconds=time.time() - start)
        began = time.perf_counter()
        error = None
        try:
            in_transaction(
                factory, lambda s, n=now: worklist.refresh(s, user=s.get(User, user_id), now=n)
            )
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        print(json.dumps({"refresh": time.perf_counter() - began, "error": error}), flush=True)
        time.sleep(REFRESH_EVERY_S)
    factory.kw["bind"].dispose()


def rush(address: str, savers: int, seconds: float) -> dict[str, Any]:
    """Run the clients at once; gather their reports and count the lost marks."""
    day, classes = prepare(address, savers * REGISTERS_EACH)
    me = [sys.executable, __file__, "--address", address, "--day", day.isoformat()]
    me += ["--seconds", str(seconds), "--child"]
    lines = [["saver", "--groups", ",".join(map(str, groups))] for groups in classes]
    lines += [["refresher"]] * REFRESHERS
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "text": True}
    clients = [subprocess.Popen([*me, *line], **pipes) for line in lines]  # type: ignore[call-overload]
    for client in clients:  # all started and open before the rush begins
        assert client.stdout is not None and "ready" in client.stdout.readline()
    start = time.time() + 0.5
    for client in clients:
        assert client.stdin is not None
        client.stdin.write(f"{start}\n")
        client.stdin.flush()
    reports = [json.loads(line) for c in clients for line in c.communicate()[0].splitlines()]
    saves = [r for r in reports if "save" in r]
    saved = {int(p): code for r in saves if not r["error"] for p, code in r["marks"].items()}
    factory = open_database(address)
    with factory() as session:
        stored = dict(
            session.execute(
                select(Mark.pupil_id, Mark.code).where(Mark.date == day, Mark.session == "AM")
            ).all()
        )
    factory.kw["bind"].dispose()
    return {
        "day": day,
        "saves": sorted(r["save"] for r in saves),
        "refreshes": sorted(r["refresh"] for r in reports if "refresh" in r),
        "errors": [r["error"] for r in reports if r["error"]],
        "lost": sum(stored.get(p) != code for p, code in saved.items()),
        "expected_saves": len(classes) * REGISTERS_EACH,
        "failed_clients": sum(c.returncode != 0 for c in clients),
    }


def show(name: str, result: dict[str, Any], target_ms: float | None) -> None:
    saves, refreshes = result["saves"], result["refreshes"]
    ms = [s * 1000 for s in saves]
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[-1] if len(ms) > 1 else ms[0]
    verdict = "" if target_ms is None else ("  pass" if p95 <= target_ms else "  FAIL")
    goal = "" if target_ms is None else f" (target p95 {target_ms:.0f} ms)"
    print(f"{name}, register of {result['day']}:")
    print(
        f"  saves {len(saves)} of {result['expected_saves']}: p50 {statistics.median(ms):.0f} ms, "
        f"p95 {p95:.0f} ms, max {max(ms):.0f} ms{goal}{verdict}"
    )
    if refreshes:
        print(
            f"  Today refreshes {len(refreshes)}: median {statistics.median(refreshes) * 1000:.0f}"
            f" ms, max {max(refreshes) * 1000:.0f} ms"
        )
    errors = result["errors"]
    print(f"  errors {len(errors)} (target 0){''.join(f'; {e}' for e in errors[:3])}")
    failed = result["failed_clients"]
    print(f"  lost marks {result['lost']} (target 0); clients that failed {failed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=120.0, help="the rush's length")
    parser.add_argument("--savers", type=int, default=10, help="saving processes on PostgreSQL")
    parser.add_argument("--sqlite-savers", type=int, default=3, help="saving processes on SQLite")
    parser.add_argument("--child", choices=("saver", "refresher"), help=argparse.SUPPRESS)
    parser.add_argument("--address", help=argparse.SUPPRESS)
    parser.add_argument("--day", type=date.fromisoformat, help=argparse.SUPPRESS)
    parser.add_argument("--groups", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "saver":
        groups = [int(g) for g in args.groups.split(",")]
        return saver(args.address, args.day, groups, args.seconds)
    if args.child == "refresher":
        return refresher(args.address, args.day, args.seconds)
    print(f"08:50 rush: {os.cpu_count()} processors, {args.seconds:.0f} s rush", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-rush-") as folder:
        with postgres(Path(folder)) as address:
            result = rush(address, args.savers, args.seconds)
        show(f"PostgreSQL, {args.savers} saving + {REFRESHERS} refreshing", result, P95_TARGET_MS)
        result = rush(str(Path(folder) / "school.db"), args.sqlite_savers, args.seconds)
        show(f"SQLite (WAL), {args.sqlite_savers} saving + {REFRESHERS} refreshing", result, None)


if __name__ == "__main__":
    main()
