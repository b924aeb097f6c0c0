"""Screens read and change the record through one helper: acting user, clock, one
transaction, one refusal message, and the change announced to the window."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access import auth
from attendance_desk.models import AuditEvent, LoginFailure, User
from attendance_desk.school.setup import school_name
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.operations.changes import Change, DataChanges
from attendance_desk.ui.operations.run import Done, Refused, change, keep, read
from tests.helpers.builders import STAFF_PASSWORD, add_staff, build_school

NOW = datetime(2025, 9, 8, 9, 0)


@pytest.fixture
def window(qtbot: QtBot, factory: sessionmaker[Session]) -> QWidget:
    """A window with its announcement board and an administrator logged in."""
    with factory() as session:
        build_school(session)
        admin = add_staff(session, pat="admin")["pat"]
        session.commit()
        set_user(admin.id)
    widget = QWidget()
    DataChanges(widget)
    qtbot.addWidget(widget)
    yield widget
    set_user(None)


def _users(factory: sessionmaker[Session]) -> int:
    return read(factory, lambda s: s.scalar(select(func.count(User.id))) or 0)


def _new_user(password: str):
    def add(session: Session, by: User, now: datetime) -> str:
        return auth.create_user(
            session,
            username="rita",
            full_name="Rita",
            position="Office",
            role="receptionist",
            password=password,
            now=now,
            by=by,
        ).full_name

    return add


def test_a_change_runs_as_the_logged_in_user_and_is_announced(
    window: QWidget, factory: sessionmaker[Session], qtbot: QtBot
):
    """A change that goes through is kept, returns its value, and the window hears of it."""
    board = window.findChild(DataChanges)
    with qtbot.waitSignal(board.changed, timeout=2000) as heard:
        done = change(
            window, factory, lambda: NOW, _new_user(STAFF_PASSWORD), changes=[Change.PUPILS]
        )
    assert done == Done("Rita")
    assert heard.args[0] == frozenset({Change.PUPILS})
    with factory() as session:
        rita = session.scalar(select(User).where(User.username == "rita"))
        made = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == rita.id)).all()
        assert [(e.user_name, e.at) for e in made if e.action == "create"] == [("Pat", NOW)]


def test_a_refused_change_says_why_and_keeps_nothing(
    window: QWidget, factory: sessionmaker[Session]
):
    """A refusal reaches the screen as one message and leaves the record as it was."""
    before = _users(factory)
    said: list[str] = []
    done = change(
        window,
        factory,
        lambda: NOW,
        _new_user("short"),
        refusals=(auth.UserError,),
        changes=[Change.PUPILS],
        say=said.append,
    )
    assert isinstance(done, Refused)
    assert said == [done.message] and "password" in done.message
    assert _users(factory) == before


def test_keep_holds_an_audited_refusal(window: QWidget, factory: sessionmaker[Session]):
    """A wrong password is refused and still counted (the failure row is kept)."""
    with pytest.raises(auth.LoginFailed):
        keep(
            factory,
            lambda s: auth.login(s, username="pat", password="wrong", now=NOW),
            also_on=(auth.LoginFailed,),
        )
    assert read(factory, lambda s: s.scalar(select(func.count(LoginFailure.id)))) == 1
    assert read(factory, school_name) == "Hillside Primary"
