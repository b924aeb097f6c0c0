"""A long change on a worker thread runs as the logged-in user, all of it or none of it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access import auth
from attendance_desk.models import AuditEvent, User
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.operations.background import change_in_thread
from attendance_desk.ui.operations.run import read
from tests.helpers.builders import STAFF_PASSWORD, add_staff, build_school

NOW = datetime(2025, 9, 8, 9, 0)


@pytest.fixture
def logged_in(factory: sessionmaker[Session]) -> Iterator[None]:
    """An administrator, Pat, logged in."""
    with factory() as session:
        build_school(session)
        set_user(add_staff(session, pat="admin")["pat"].id)
        session.commit()
    yield
    set_user(None)


def _add(name: str, *, then_fail: bool = False):
    def work(session: Session, by: User, now: datetime) -> str:
        for number in range(2):
            auth.create_user(
                session,
                username=f"{name}{number}",
                full_name=name,
                position="Office",
                role="receptionist",
                password=STAFF_PASSWORD,
                now=now,
                by=by,
            )
            session.flush()
            if then_fail:
                raise RuntimeError("stopped half way")
        return by.full_name

    return work


def _on_a_thread(factory: sessionmaker[Session], work) -> list[object]:
    """What `change_in_thread` returned or raised, run on a thread of its own."""
    out: list[object] = []

    def run() -> None:
        try:
            out.append(change_in_thread(factory, NOW, work))
        except Exception as exc:  # handed back as the worker would
            out.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    return out


def _users(factory: sessionmaker[Session], name: str) -> int:
    return read(
        factory, lambda s: s.scalar(select(func.count(User.id)).where(User.full_name == name))
    )


def test_the_work_is_kept_as_the_logged_in_user_at_the_given_time(
    logged_in: None, factory: sessionmaker[Session]
) -> None:
    """Run on a worker thread, every row is kept and audited as Pat at the moment given."""
    assert _on_a_thread(factory, _add("Rita")) == ["Pat"]
    assert _users(factory, "Rita") == 2
    with factory() as session:
        ritas = select(User.id).where(User.full_name == "Rita")
        made = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "create", AuditEvent.entity_id.in_(ritas))
        ).all()
        assert [(e.user_name, e.at) for e in made] == [("Pat", NOW), ("Pat", NOW)]


def test_a_failure_half_way_keeps_nothing_and_reaches_the_worker(
    logged_in: None, factory: sessionmaker[Session]
) -> None:
    """An exception after the first row rolls that row back and is raised to the worker."""
    (raised,) = _on_a_thread(factory, _add("Sam", then_fail=True))
    assert isinstance(raised, RuntimeError) and str(raised) == "stopped half way"
    assert _users(factory, "Sam") == 0
