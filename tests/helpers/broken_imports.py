"""Broken import files, generated from a seed, and what importing each one did.

`make_case` gives a broken file of any kind (`broken_csv`, `broken_ctf`); `run_case`
imports it and reports one outcome: imported (and then `check`'s own problems, which must
be none), refused with nothing written, half-written, crashed (a traceback) or hung. Used by
the seeded run in the test suite and by `benchmarks/fuzz_imports.py` for the big run.
"""

from __future__ import annotations

import random
import signal
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from attendance_desk.interop import ImportFailed, import_calendar
from attendance_desk.interop.ctf_import import import_ctf
from attendance_desk.interop.mis_import import import_mis_file
from attendance_desk.models import (
    AuditEvent,
    CaseNote,
    Closure,
    Contact,
    Mark,
    MarkAmendment,
    Pupil,
    Term,
    User,
)
from attendance_desk.store import db_check
from tests.helpers.broken_csv import Case, make_csv_case
from tests.helpers.broken_ctf import make_ctf_case
from tests.helpers.builders import add_pupil, build_school, mark_days

NOW = datetime(2026, 1, 10, 12, 0)
KINDS = ("pupils", "contacts", "marks", "calendar", "ctf")
#: Seconds an import may take before it counts as hung.
HANG_SECONDS = 60


def fuzz_school(session: Session) -> User:
    """Adams and Brown (3A, from 3 Sep) marked 8-12 Sep 2025, Clarke (4B, from 15 Sep)."""
    _, user = build_school(session)
    adams = add_pupil(session, 1, surname="Adams", forename="Amy")
    brown = add_pupil(session, 2, surname="Brown", forename="Ben", admission_number="0002")
    add_pupil(
        session,
        3,
        surname="Clarke",
        forename="Cara",
        year="4",
        group="4B",
        on_roll_from=date(2025, 9, 15),
    )
    week = [date(2025, 9, d) for d in range(8, 13)]
    for pupil in (adams, brown):
        mark_days(
            session,
            pupil,
            user,
            {(d, s): "/" if s == "AM" else "\\" for d in week for s in ("AM", "PM")},
        )
    session.commit()
    return user


def make_case(rng: random.Random, kind: str) -> Case:
    """A broken file of `kind`, changed in one to three ways chosen by `rng`."""
    return make_ctf_case(rng) if kind == "ctf" else make_csv_case(rng, kind)


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def hung(_signum: int, _frame: Any) -> None:
        raise TimeoutError(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    """What importing a case did: `imported`, `refused`, `half-written`, `crashed` or `hung`,
    and for an import `check`'s problems afterwards (which must be none)."""

    result: str
    detail: str = ""
    check_problems: list[str] = field(default_factory=list)


def _rows(session: Session) -> tuple[int, ...]:
    """How many rows the tables an import writes to hold."""
    tables = (Pupil, Contact, Mark, MarkAmendment, Term, Closure, AuditEvent, CaseNote)
    return tuple(session.scalar(select(func.count()).select_from(t)) or 0 for t in tables)


def run_case(
    session: Session, case: Case, folder: Path, user: User, *, deadline: int | None = None
) -> Outcome:
    """Import the case's file in `session` (the caller rolls back) and say what happened.

    A refusal that left anything written in the session counts as `half-written`. With a
    `deadline` (seconds; it uses SIGALRM, so not under pytest-timeout's signal method) an
    import that runs longer counts as `hung`.
    """
    path = folder / ("broken.xml" if case.kind == "ctf" else "broken.csv")
    path.write_bytes(case.data)
    before = _rows(session)
    try:
        with _deadline(deadline) if deadline else nullcontext():
            if case.kind == "ctf":
                import_ctf(session, path, user=user, now=NOW)
            elif case.kind == "calendar":
                import_calendar(session, path, user=user, now=NOW)
            else:
                import_mis_file(session, path, kind=case.kind, user=user, now=NOW, legacy=True)
    except ImportFailed as failed:
        if session.new or session.dirty or session.deleted or _rows(session) != before:
            return Outcome("half-written", "\n".join(failed.errors[:3]))
        return Outcome("refused", failed.errors[0] if failed.errors else "")
    except TimeoutError as exc:
        return Outcome("hung", str(exc))
    except Exception:
        return Outcome("crashed", traceback.format_exc())
    session.flush()
    return Outcome("imported", check_problems=db_check.app_problems(session))
