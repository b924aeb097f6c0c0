"""The audit trail's hash chain: intact as written, broken visibly by any edit or deletion
made around the app (file or server access), and one chain when two PCs write at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access import audit, audit_chain
from attendance_desk.models import AuditEvent, User

START = datetime(2025, 9, 8, 9, 0)


@pytest.fixture
def trail(session: Session) -> list[int]:
    """Ten audit rows written by the app; their ids in the order written."""
    user = User(username="rita", full_name="Rita Reception", position="Office", role="reception")
    session.add(user)
    session.flush()
    for n in range(10):
        audit.record(
            session,
            user=user,
            now=START + timedelta(minutes=n),
            action="amend",
            entity="mark",
            entity_id=n,
            old="N",
            new="I",
        )
        session.commit()
    return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.chain_seq)))


def around_the_app(session: Session, *statements: str) -> None:
    """Change the table as someone with the file (or the server) in hand would: with the
    append-only triggers out of the way."""
    conn: Connection = session.connection()
    postgresql = conn.dialect.name == "postgresql"
    if postgresql:
        conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
    else:
        conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
        conn.exec_driver_sql("DROP TRIGGER audit_events_no_delete")
    for statement in statements:
        conn.execute(text(statement))
    if postgresql:
        conn.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER USER")
    session.commit()
    session.expire_all()


def test_a_trail_written_by_the_app_checks_out(session: Session, trail: list[int]) -> None:
    """Ten rows, places 1 to 10, every hash right, the head at the last."""
    assert audit_chain.problems(session) == []
    seqs = list(session.scalars(select(AuditEvent.chain_seq).order_by(AuditEvent.id)))
    assert seqs == list(range(1, 11))


def test_an_edited_row_is_named(session: Session, trail: list[int]) -> None:
    """A detail changed in the file breaks that row's hash, and only that row is named."""
    around_the_app(session, f"UPDATE audit_events SET detail = '{{}}' WHERE id = {trail[4]}")
    [line] = audit_chain.problems(session)
    assert f"audit row {trail[4]} " in line and "changed after it was written" in line


def test_a_deleted_row_is_found(session: Session, trail: list[int]) -> None:
    """A row deleted from the middle leaves a gap before the next one."""
    around_the_app(session, f"DELETE FROM audit_events WHERE id = {trail[3]}")
    [line] = audit_chain.problems(session)
    assert "1 row(s) missing from the chain" in line and f"audit row {trail[4]} " in line


def test_rows_cut_off_the_end_are_found(session: Session, trail: list[int]) -> None:
    """Deleting the newest rows leaves the head pointing past the end."""
    around_the_app(session, f"DELETE FROM audit_events WHERE id IN ({trail[8]}, {trail[9]})")
    assert audit_chain.problems(session) == [
        "audit: the newest 2 row(s) of the chain are missing: deleted from the file"
    ]


def test_a_row_slipped_in_is_found(session: Session, trail: list[int]) -> None:
    """A row inserted by hand has no place in the chain."""
    around_the_app(
        session,
        "INSERT INTO audit_events (at, user_name, action, entity, detail) "
        "VALUES ('2025-09-08 12:00:00', 'Nobody', 'view', 'pupil', '')",
    )
    assert audit_chain.problems(session) == [
        "audit: 1 row(s) have no place in the hash chain: they were written into the file "
        "by something other than Attendance Desk"
    ]


def test_two_writers_at_once_make_one_chain(
    factory: sessionmaker[Session], session: Session, trail: list[int]
) -> None:
    """Four threads (as four PCs) each writing 25 audited changes: 110 links, no fork."""
    errors: list[BaseException] = []

    def writer(number: int) -> Callable[[], None]:
        def run() -> None:
            try:
                for n in range(25):
                    with factory() as mine, mine.begin():
                        user = mine.scalars(select(User)).first()
                        assert user is not None
                        audit.record(
                            mine,
                            user=user,
                            now=START + timedelta(hours=number, minutes=n),
                            action="view",
                            entity="pupil",
                            entity_id=number,
                        )
            except BaseException as exc:
                errors.append(exc)

        return run

    threads = [threading.Thread(target=writer(n)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 110
    assert audit_chain.problems(session) == []
