"""Letters benchmark: 200 letters (100 pupils, two parents each) rendered, logged and batched.

The target: 200 letters in under 10 s. Builds a small school in a temporary folder
with every pupil below the attendance target, then times, as best of several runs:
working out the letters due, sending them (rendered one PDF per letter and logged, in one
transaction that is rolled back so each run starts afresh), and the batch PDF for printing.
Run from the project root:

    python benchmarks/bench_letters.py [--pupils 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.orm import Session  # noqa: E402

from attendance_desk.access.auth import office_user  # noqa: E402
from attendance_desk.letters.sending import batch_pdf, send_letters  # noqa: E402
from attendance_desk.pathway.due import letters_due  # noqa: E402
from attendance_desk.store.db import open_database  # noqa: E402
from tests.helpers.builders import add_pupil, build_school  # noqa: E402
from tests.letters.scenarios import LETTER_DAY, attend, give_addresses  # noqa: E402

TARGET_SECONDS = 10.0
FOR_200 = 200


def build(session: Session, pupils: int) -> None:
    _, user = build_school(session)
    for serial in range(1, pupils + 1):
        pupil = add_pupil(session, serial, surname=f"Family{serial:03d}", forename="Sam")
        give_addresses(pupil)
        attend(session, pupil, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        factory = open_database(Path(folder) / "letters.db")
        with factory() as session:
            build(session, args.pupils)
        now = datetime.combine(LETTER_DAY, datetime.min.time()).replace(hour=10)
        best = {"due": float("inf"), "send": float("inf"), "batch": float("inf")}
        letters = 0
        for _ in range(args.runs):
            with factory() as session:
                start = time.perf_counter()
                due = letters_due(session, LETTER_DAY)
                best["due"] = min(best["due"], time.perf_counter() - start)
                user = office_user(session)
                start = time.perf_counter()
                sent = send_letters(session, due, day=LETTER_DAY, user=user, now=now)
                best["send"] = min(best["send"], time.perf_counter() - start)
                start = time.perf_counter()
                pdf = batch_pdf(sent, printed_at=now)
                best["batch"] = min(best["batch"], time.perf_counter() - start)
                letters = len(sent)
                session.rollback()  # the next run sends the same letters again
    total = best["due"] + best["send"]
    scaled = total * FOR_200 / letters
    print(f"letters due:       {len(due)} pupils in {best['due'] * 1000:.0f} ms")
    print(f"send (render+log): {letters} letters in {best['send']:.2f} s")
    print(
        f"batch PDF:         {letters} letters, {len(pdf) / 1024:.0f} KB in {best['batch']:.2f} s"
    )
    print(
        f"200 letters: {scaled:.2f} s against the {TARGET_SECONDS:.0f} s target "
        f"(ratio {scaled / TARGET_SECONDS:.2f}; below 1 is within target)"
    )


if __name__ == "__main__":
    main()
