"""A busy database waits: a save that meets another PC's write lands once the other is done,
and never shows a database error (what the 08:50 rush needs)."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import Mark, Pupil, User
from attendance_desk.register.marks import MarkEdit, save_marks
from attendance_desk.store.busy import in_transaction
from attendance_desk.store.db import Location, open_database
from tests.helpers.builders import add_pupil, add_staff, build_school

MON = date(2025, 9, 8)
AT = datetime(2025, 9, 8, 8, 50)


@pytest.fixture
def two_pcs(db_path: Location) -> Iterator[tuple[sessionmaker[Session], sessionmaker[Session]]]:
    """A school with two pupils, opened separately by two PCs."""
    setup = open_database(db_path)
    with setup() as session:
        build_school(session)
        add_pupil(session, 1, surname="Adams", forename="Amy")
        add_pupil(session, 2, surname="Brown", forename="Ben")
        add_staff(session, pat="admin", reception="receptionist")
        session.commit()
    setup.kw["bind"].dispose()
    pcs = open_database(db_path), open_database(db_path)
    yield pcs
    for pc in pcs:
        pc.kw["bind"].dispose()


def _save(pc: sessionmaker[Session], errors: list[BaseException]) -> None:
    def work(session: Session) -> None:
        user = session.scalars(select(User).where(User.username == "reception")).one()
        amy, ben = session.scalars(select(Pupil.id).order_by(Pupil.id))
        edits = [MarkEdit(amy, MON, "AM", "/", None), MarkEdit(ben, MON, "AM", "N", None)]
        save_marks(session, edits=edits, user=user, now=AT)

    try:
        in_transaction(pc, work)
    except BaseException as exc:  # the thread's error, for the test to show
        errors.append(exc)


@pytest.mark.sqlite_only("another program holding the file's write lock")
def test_a_save_waits_for_the_file_another_pc_is_writing(
    two_pcs: tuple[sessionmaker[Session], sessionmaker[Session]], db_path: Path
) -> None:
    """While another PC holds the SQLite file's write lock, a register save waits, then lands."""
    pc_a, _ = two_pcs
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the other PC is in the middle of its own save
    other.execute("UPDATE pupils SET preferred_forename = 'Benny' WHERE legal_forename = 'Ben'")
    errors: list[BaseException] = []
    saver = threading.Thread(target=_save, args=(pc_a, errors))
    saver.start()
    saver.join(timeout=0.5)
    assert saver.is_alive(), "the save did not wait for the other PC's write"
    other.execute("COMMIT")
    other.close()
    saver.join(timeout=30)
    assert not saver.is_alive() and errors == []
    with pc_a() as session:
        codes = {p: c for p, c in session.execute(select(Mark.pupil_id, Mark.code))}
        names = set(session.scalars(select(Pupil.preferred_forename)))
    assert sorted(codes.values()) == ["/", "N"] and "Benny" in names


def test_two_pcs_writing_the_same_rows_in_turn_both_land(
    two_pcs: tuple[sessionmaker[Session], sessionmaker[Session]],
) -> None:
    """Two PCs change the same two pupils in opposite orders at once: the server may stop one
    (a deadlock), which is run again; both changes are kept and neither shows an error."""
    ready = threading.Barrier(2)
    errors: list[BaseException] = []
    runs: list[str] = []

    def change(pc: sessionmaker[Session], first: int, second: int, name: str) -> None:
        def work(session: Session) -> None:
            runs.append(name)
            for pupil_id in (first, second):
                session.execute(
                    update(Pupil)
                    .where(Pupil.id == pupil_id)
                    .values(preferred_forename=f"{name}{pupil_id}")
                )
                if pupil_id == first and runs.count(name) == 1:
                    # Both hold their first row before reaching for the other's (a file has
                    # one writer: there the other PC is waiting, and the barrier breaks).
                    with contextlib.suppress(threading.BrokenBarrierError):
                        ready.wait(timeout=1)

        try:
            in_transaction(pc, work)
        except BaseException as exc:
            errors.append(exc)

    pc_a, pc_b = two_pcs
    with pc_a() as session:
        amy, ben = session.scalars(select(Pupil.id).order_by(Pupil.id))
    threads = [
        threading.Thread(target=change, args=(pc_a, amy, ben, "a")),
        threading.Thread(target=change, args=(pc_b, ben, amy, "b")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with pc_a() as session:
        names = list(session.scalars(select(Pupil.preferred_forename).order_by(Pupil.id)))
    # Each pupil carries one PC's whole change: both transactions ran to the end.
    assert names in ([f"a{amy}", f"a{ben}"], [f"b{amy}", f"b{ben}"])
    assert sorted(set(runs)) == ["a", "b"]


def test_a_real_error_is_not_run_again(two_pcs: tuple) -> None:
    """Work that fails for a reason of its own (a duplicate) is run once and its error shown."""
    pc_a, _ = two_pcs
    runs: list[int] = []

    def duplicate(session: Session) -> None:
        runs.append(1)
        pupil = session.scalars(select(Pupil).order_by(Pupil.id)).first()
        assert pupil is not None
        session.add(Pupil(**{c: getattr(pupil, c) for c in ("upn", "legal_surname")}))
        session.flush()

    with pytest.raises(IntegrityError):
        in_transaction(pc_a, duplicate)
    assert runs == [1]
