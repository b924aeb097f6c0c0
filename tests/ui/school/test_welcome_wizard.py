"""First launch: the welcome wizard sets the school up from the keyboard, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access import auth
from attendance_desk.models import Pupil, School, Term, User, YearGroup
from attendance_desk.school import settings
from attendance_desk.store.db import open_database
from attendance_desk.ui import app as app_module
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.main_window import MainWindow
from attendance_desk.ui.school.welcome_wizard import WelcomeWizard
from tests.helpers.modal import TIMEOUT_MS
from tests.helpers.welcome import fill, focused, press, type_text, walk
from tests.ui.pupils.test_first_start import FakeDemo, install

TODAY = date(2025, 9, 12)
NOW = datetime(2025, 9, 12, 8, 0)


@pytest.fixture(autouse=True)
def logged_out() -> Iterator[None]:
    yield
    set_user(None)


def open_wizard(qtbot: QtBot, factory: sessionmaker[Session]) -> WelcomeWizard:
    wizard = WelcomeWizard(factory, now=lambda: NOW, today=lambda: TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


def run_app(path: Path, drive: Callable[[WelcomeWizard], None]) -> list[MainWindow]:
    """`app.run` on `path`, driving the wizard when it appears; the windows it opened."""
    seen: list[MainWindow] = []
    failed: list[BaseException] = []

    waited = [0]

    def start() -> None:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, WelcomeWizard):
            waited[0] += 20
            if waited[0] > TIMEOUT_MS:  # never came: end run() and say so
                failed.append(AssertionError("the welcome wizard never came up"))
                QCoreApplication.exit(1)
                return
            QTimer.singleShot(20, start)
            return
        try:
            drive(wizard)
        except BaseException as exc:  # close the wizard so run() returns, then report it
            failed.append(exc)
            wizard.reject()

    def look_then_quit() -> None:
        if failed:
            return
        windows = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.db_path == path and w.isVisible()
        ]
        if not windows:
            waited[0] += 20
            if waited[0] > 2 * TIMEOUT_MS:
                failed.append(AssertionError("no main window came up after the wizard"))
                QCoreApplication.exit(1)
                return
            QTimer.singleShot(20, look_then_quit)
            return
        seen.extend(windows)
        QCoreApplication.exit(0)

    QTimer.singleShot(0, start)
    QTimer.singleShot(0, look_then_quit)
    status = app_module.run(path, today=lambda: TODAY)
    if failed:
        raise failed[0]
    assert status == 0
    return seen


def test_keyboard_walk_reaches_the_main_window_with_everything_stored(qtbot: QtBot, db_path: Path):
    """From an empty database to the main window by keys alone; the school, its six
    half-terms, the year groups' register times, the target, the preset and the
    administrator are all stored, and the administrator is the one logged in."""
    (window,) = run_app(db_path, lambda wizard: walk(qtbot, wizard, pupils="later"))
    assert window.windowTitle() == "Attendance Desk — Oakfield Primary"
    assert window.user_label.text() == "Pat Morgan (Administrator)"
    assert window.current_tab_name() == "pupils"  # the first-start panel: import or demo
    window.close()
    with open_database(db_path)() as session:
        school = session.scalar(select(School))
        assert (school.name, school.urn, school.la_number, school.estab_number) == (
            "Oakfield Primary",
            "123456",
            "201",
            "2000",
        )
        assert session.scalar(select(func.count(Term.id))) == 6
        years = {y.code: y for y in session.scalars(select(YearGroup))}
        assert set(years) == {"N1", "N2", "R", "1", "2", "3", "4", "5", "6"}
        assert (years["R"].pm_open, years["R"].pm_close) == (time(12, 30), time(12, 35))
        assert settings.get(session, settings.ATTENDANCE_TARGET) == 95.5
        assert settings.get(session, settings.POLICY_PRESET) == "ap_centre"
        (admin,) = session.scalars(select(User).where(User.password_hash.is_not(None)))
        assert (admin.username, admin.full_name, admin.role) == ("pat", "Pat Morgan", "admin")


def test_each_page_says_what_is_wrong_where_it_can_be_fixed(
    qtbot: QtBot, factory: sessionmaker[Session]
):
    """A five-digit URN, a register that closes before it opens and two different
    passwords each keep the person on that page with the reason; a long register is
    allowed with a warning."""
    wizard = open_wizard(qtbot, factory)
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "Oakfield Primary")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "12345")
    press(qtbot, Qt.Key.Key_Return)
    page = wizard.currentPage()
    assert page.title() == "Your school"
    assert page.message.text() == "The URN must be 6 digits, not '12345'."
    press(qtbot, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # the URN's label
    press(qtbot, Qt.Key.Key_End)
    type_text(qtbot, "6")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Return)  # the typical year as it is
    times = wizard.currentPage()
    assert times.title() == "Register times"
    press(qtbot, Qt.Key.Key_Up)  # Nursery's morning opens an hour later: 09:50
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is times
    assert "Nursery: the morning register must close after it opens" in times.message.text()
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Tab)  # Tab goes through the minutes first, then the next box
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Up)  # Nursery's morning closes at 10:05: open 75 minutes
    assert times.warning.text() == (
        "⚠ Nursery: the morning register is open 75 minutes; the 2024 regulations allow at most 30."
    )
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage().title() == "Target and follow-up"
    press(qtbot, Qt.Key.Key_Return)
    fill(qtbot, ("Pat Morgan", "Office manager", "pat", "long password", "long passwort"))
    press(qtbot, Qt.Key.Key_Return)
    login = wizard.currentPage()
    assert login.title() == "Your login"
    assert login.message.text() == "The two passwords are not the same."
    press(qtbot, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # "Password again"
    focused().clear()
    type_text(qtbot, "long password")
    press(qtbot, Qt.Key.Key_Return)
    pupils = wizard.currentPage()
    assert pupils.title() == "Your pupils"
    assert "Nursery: the morning register stays open 75 minutes" in pupils.warnings.text()
    with factory() as session:
        assert session.scalar(select(func.count(School.id))) == 0  # nothing before Finish


def test_closing_midway_stores_nothing_and_it_starts_again(
    qtbot: QtBot, factory: sessionmaker[Session]
):
    """Escape on the login page keeps nothing; the next launch needs the wizard again."""
    wizard = open_wizard(qtbot, factory)
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "Oakfield Primary")
    for _ in range(4):
        press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage().title() == "Your login"
    press(qtbot, Qt.Key.Key_Escape)
    assert not wizard.isVisible() and wizard.user_id is None
    with factory() as session:
        assert session.scalar(select(func.count(School.id))) == 0
        assert session.scalar(select(func.count(User.id))) == 0
        assert auth.needs_first_admin(session)


def test_demo_choice_builds_the_demo_school(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Choosing the demo school on the last page builds it as soon as the window opens."""
    fake = FakeDemo()
    install(monkeypatch, fake)
    (window,) = run_app(db_path, lambda wizard: walk(qtbot, wizard, pupils="demo"))
    qtbot.waitUntil(lambda: not window.pupils_tab.demo_running(), timeout=10000)
    assert fake.calls == [{"pupils": 300, "weeks": 12, "seed": 1, "today": TODAY}]
    assert window.pupils_tab.model.rowCount() == 2
    window.close()
    with open_database(db_path)() as session:
        assert session.scalar(select(func.count(Pupil.id))) == 2


def test_import_choice_opens_the_import(qtbot: QtBot, db_path: Path):
    """Choosing the import on the last page opens File → Import's importer as the window
    opens, over the Pupils tab."""
    (window,) = run_app(db_path, lambda wizard: walk(qtbot, wizard, pupils="import"))

    def importer() -> QWidget | None:
        return next((d for d in window.findChildren(QDialog) if d.isVisible()), None)

    qtbot.waitUntil(lambda: importer() is not None)
    assert importer().objectName() == "import_wizard"
    importer().reject()
    window.close()


def test_real_demo_after_the_wizard(qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The real demo builder after the wizard's administrator exists fills the school."""
    failures: list[str] = []
    monkeypatch.setattr(
        "attendance_desk.ui.pupils.pupils_tab.QMessageBox.warning",
        lambda _parent, _title, text: failures.append(text),
    )
    (window,) = run_app(db_path, lambda wizard: walk(qtbot, wizard, pupils="demo"))
    qtbot.waitUntil(lambda: not window.pupils_tab.demo_running(), timeout=60000)
    window.close()
    assert failures == []
    assert window.pupils_tab.model.rowCount() > 0
