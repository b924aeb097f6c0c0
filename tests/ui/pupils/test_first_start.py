"""First start: an empty database offers the demo school or a CSV import, all or nothing."""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.auth import office_user
from attendance_desk.models import Pupil, School
from attendance_desk.school import calendar_store
from tests.helpers.builders import CLOSURES, NOW, TERMS, add_pupil
from tests.ui.conftest import OpenWindow


@dataclass(frozen=True)
class FakeSummary:
    school_name: str
    pupils: int


class FakeDemo:
    """Stands in for `attendance_desk.demo.school`: a two-pupil school, reporting progress.

    With `hold`, it stops after the first progress report until the test sets the event.
    """

    def __init__(self, hold: threading.Event | None = None) -> None:
        self.hold = hold
        self.calls: list[dict[str, object]] = []

    def build_demo(
        self,
        session: Session,
        *,
        pupils: int,
        weeks: int,
        seed: int,
        today: date,
        now: object = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> FakeSummary:
        self.calls.append({"pupils": pupils, "weeks": weeks, "seed": seed, "today": today})
        user = office_user(session)
        session.add(School(name="Demo Primary"))
        calendar_store.replace_calendar(session, terms=TERMS, closures=CLOSURES, user=user, now=NOW)
        add_pupil(session, 1, surname="Demo", forename="Dora")
        assert progress is not None
        progress(1, 3)
        if self.hold is not None:
            assert self.hold.wait(10)
        add_pupil(session, 2, surname="Demo", forename="Dan")
        progress(2, 3)
        progress(3, 3)
        return FakeSummary("Demo Primary", 2)


def install(monkeypatch: pytest.MonkeyPatch, fake: FakeDemo) -> None:
    module = types.ModuleType("attendance_desk.demo.school")
    module.build_demo = fake.build_demo  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "attendance_desk.demo.school", module)


def pupil_count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count(Pupil.id))) or 0


def test_empty_database_shows_the_first_start_panel(open_window: OpenWindow):
    """With no pupils the Pupils tab offers the demo school and an import, not an empty table."""
    window = open_window()
    tab = window.pupils_tab
    assert tab.stack.currentWidget() is tab.first_start
    buttons = {b.text() for b in tab.first_start.findChildren(QPushButton)}
    assert buttons == {"Create the demo school", "Import pupils from a CSV file…"}


def test_create_demo_fills_the_table(
    qtbot: QtBot,
    open_window: OpenWindow,
    factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
):
    """Clicking 'Create the demo school' builds it off the UI thread, then lists its pupils."""
    fake = FakeDemo()
    install(monkeypatch, fake)
    window = open_window()
    tab = window.pupils_tab
    qtbot.mouseClick(tab.first_start.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.demo_running(), timeout=10000)
    assert fake.calls == [{"pupils": 300, "weeks": 12, "seed": 1, "today": date(2025, 9, 12)}]
    assert tab.stack.currentWidget() is not tab.first_start
    assert tab.model.rowCount() == 2
    assert window.windowTitle() == "Attendance Desk — Demo Primary"
    assert "Demo Primary is ready with 2 pupils." in window.statusBar().currentMessage()


def test_cancelled_demo_commits_nothing(
    qtbot: QtBot,
    open_window: OpenWindow,
    factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
):
    """Cancel in the progress dialog rolls the demo back: no school, no pupils, panel stays."""
    hold = threading.Event()
    install(monkeypatch, FakeDemo(hold))
    window = open_window()
    tab = window.pupils_tab
    qtbot.mouseClick(tab.first_start.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab._progress is not None and tab._progress.value() == 1)
    assert not tab.first_start.demo_button.isEnabled()
    cancel = tab._progress.findChild(QPushButton)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    hold.set()
    qtbot.waitUntil(lambda: not tab.demo_running(), timeout=10000)
    assert pupil_count(factory) == 0
    with factory() as session:
        assert session.scalar(select(School)) is None
    assert tab.stack.currentWidget() is tab.first_start
    assert tab.first_start.demo_button.isEnabled()
    assert window.windowTitle() == "Attendance Desk"


def test_demo_failure_is_reported(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
):
    """A demo builder that fails shows why and leaves the first-start panel."""
    module = types.ModuleType("attendance_desk.demo.school")

    def broken(session: Session, **_: object) -> None:
        raise ValueError("the calendar does not reach that far")

    module.build_demo = broken  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "attendance_desk.demo.school", module)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    window = open_window()
    tab = window.pupils_tab
    qtbot.mouseClick(tab.first_start.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.demo_running(), timeout=10000)
    assert warnings == ["the calendar does not reach that far\n\nNothing was changed."]
    assert tab.stack.currentWidget() is tab.first_start


@pytest.mark.slow
def test_real_demo_school_fills_the_table(
    qtbot: QtBot, open_window: OpenWindow, factory: sessionmaker[Session]
):
    """The real demo builder, through the button: a titled school with pupils listed."""
    pytest.importorskip(
        "attendance_desk.demo.school", reason="attendance_desk.demo.school is not written yet"
    )
    window = open_window()
    tab = window.pupils_tab
    qtbot.mouseClick(tab.first_start.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.demo_running(), timeout=180000)
    assert pupil_count(factory) > 0
    assert tab.stack.currentWidget() is not tab.first_start
    assert tab.model.rowCount() > 0
    assert window.windowTitle().startswith("Attendance Desk — ")
    assert tab.count_label.text() == f"{tab.model.rowCount()} pupils on roll"
