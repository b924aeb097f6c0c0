"""A change asked to wait on a busy database (the register's save at 08:50) runs again
instead of showing the office a database error; one not asked to lets the error through."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import User
from attendance_desk.school import settings
from attendance_desk.ui.operations.run import Done, change, read
from tests.helpers.builders import build_school

NOW = datetime(2025, 9, 8, 8, 50)


@pytest.fixture
def widget(qtbot: QtBot, factory: sessionmaker[Session]) -> Iterator[QWidget]:
    with factory() as session:
        build_school(session)
        session.commit()
    shown = QWidget()
    qtbot.addWidget(shown)
    yield shown


def busy_once(runs: list[int]):
    """Work that finds the database locked on its first run, and sets the phone on the next."""

    def work(session: Session, user: User, now: datetime) -> str:
        runs.append(1)
        settings.put(session, settings.SCHOOL_PHONE, f"run {len(runs)}", user=user, now=now)
        if len(runs) == 1:
            raise OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))
        return "saved"

    return work


def test_a_busy_database_is_waited_for(widget: QWidget, factory: sessionmaker[Session]) -> None:
    """Locked on the first run: run again, and only the second run's work is kept."""
    runs: list[int] = []
    done = change(widget, factory, lambda: NOW, busy_once(runs), retry_busy=True)
    assert done == Done("saved") and len(runs) == 2
    assert read(factory, lambda s: settings.get(s, settings.SCHOOL_PHONE)) == "run 2"


def test_without_retry_the_busy_error_goes_through(
    widget: QWidget, factory: sessionmaker[Session]
) -> None:
    """Not asked to wait: the database error reaches the caller and nothing is kept."""
    runs: list[int] = []
    with pytest.raises(OperationalError):
        change(widget, factory, lambda: NOW, busy_once(runs))
    assert len(runs) == 1
    assert read(factory, lambda s: settings.get(s, settings.SCHOOL_PHONE)) == ""
