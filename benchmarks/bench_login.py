"""A wrong password for a real user name against one for an unknown name (issue 17).

The two must take about as long, or the time taken tells an attacker which names are real.
Median of 15 wrong-password logins each (a fresh name each time, so the slow-down after
three failures never applies), on a temporary database. Run from the project root:

    python benchmarks/bench_login.py
"""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from attendance_desk.access import auth
from attendance_desk.store.db import open_database

RUNS = 15
NOW = datetime(2026, 1, 5, 8, 0)


def timed_failures(session, names: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for i, name in enumerate(names):
        start = time.perf_counter()
        with contextlib.suppress(auth.LoginFailed):
            auth.login(session, username=name, password="wrong guess", now=NOW + timedelta(i))
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        open_database(Path(folder) / "login.db")() as session,
    ):
        names = [f"staff{i}" for i in range(RUNS)]
        boss = auth.create_user(
            session,
            username="boss",
            full_name="Boss",
            position="Office",
            role="admin",
            password="long password",
            now=NOW,
        )
        for name in names:
            auth.create_user(
                session,
                username=name,
                full_name=name,
                position="Office",
                role="receptionist",
                password="long password",
                now=NOW,
                by=boss,
            )
        real = statistics.median(timed_failures(session, names))
        unknown = statistics.median(timed_failures(session, [f"no{i}" for i in range(RUNS)]))
    print(f"{'wrong password for':24} {'median':>9}")
    print(f"{'a real user name':24} {real * 1000:7.1f}ms")
    print(f"{'an unknown user name':24} {unknown * 1000:7.1f}ms")
    ratio = unknown / real
    verdict = "pass" if 0.8 <= ratio <= 1.25 else "FAIL"
    print(f"unknown / real = {ratio:.2f} (target 0.8 to 1.25)  {verdict}")


if __name__ == "__main__":
    main()
