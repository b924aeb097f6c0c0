"""The big fuzz run: thousands of broken import files, each imported into a copy of a
small school's database, then `check`ed when it was accepted.

Files are pupils, contacts and marks as MIS exports, calendars and CTFs, each broken in
one to three ways (see `tests/helpers/broken_imports.py`). Every file must either be
refused with nothing written, or import and leave a database that `attendance-desk check`
passes; no traceback, and no import that runs past its deadline. Prints the figures per
kind and exits 1 if any file crashed, hung, half-wrote or failed the check. Run from the
project root:

    python benchmarks/fuzz_imports.py [--cases 2500] [--seed 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.orm import sessionmaker  # noqa: E402

from attendance_desk.access.auth import office_user  # noqa: E402
from attendance_desk.store import db_check  # noqa: E402
from attendance_desk.store.db import make_engine, open_database  # noqa: E402
from tests.helpers.broken_imports import (  # noqa: E402
    HANG_SECONDS,
    KINDS,
    fuzz_school,
    make_case,
    run_case,
)

FAILURES = ("crashed", "hung", "half-written", "fails check")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="save each failing file into this folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fuzz-imports-"))
    base, work = folder / "base.db", folder / "work.db"
    factory = open_database(base)
    with factory() as session:
        fuzz_school(session)
    factory.kw["bind"].dispose()
    rng = random.Random(args.seed)
    figures: Counter[tuple[str, str]] = Counter()
    started = time.perf_counter()
    for n in range(args.cases):
        kind = KINDS[n % len(KINDS)]
        case = make_case(rng, kind)
        shutil.copyfile(base, work)
        engine = make_engine(work)
        with sessionmaker(bind=engine)() as session:
            outcome = run_case(session, case, folder, office_user(session), deadline=HANG_SECONDS)
            result = outcome.result
            if result == "imported":
                session.commit()
                problems = db_check.check(work)
                if problems or outcome.check_problems:
                    result, outcome.detail = "fails check", "\n".join(problems[:5])
            else:
                session.rollback()
        engine.dispose()
        figures[(kind, result)] += 1
        if result in FAILURES:
            print(f"case {n} ({kind}, {', '.join(case.breakages)}): {result}")
            print("  " + outcome.detail.strip().replace("\n", "\n  ")[-2000:])
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / f"case-{n}-{kind}.{'xml' if kind == 'ctf' else 'csv'}").write_bytes(
                    case.data
                )
    took = time.perf_counter() - started
    shutil.rmtree(folder)
    columns = ("imported", "refused", *FAILURES)
    print(
        f"\n{args.cases} broken files (seed {args.seed}) in {took:.0f} s; "
        f"deadline {HANG_SECONDS} s per import"
    )
    print(f"{'kind':<10}" + "".join(f"{c:>14}" for c in columns))
    for kind in (*KINDS, "all"):
        counts = [
            sum(v for (k, r), v in figures.items() if r == c and kind in (k, "all"))
            for c in columns
        ]
        print(f"{kind:<10}" + "".join(f"{v:>14}" for v in counts))
    failed = sum(v for (_, r), v in figures.items() if r in FAILURES)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
