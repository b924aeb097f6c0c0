"""Starting the window: the Qt application, the database, the main window."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk import __version__, resources
from attendance_desk.access import auth
from attendance_desk.demo.users import demo_login_hint
from attendance_desk.pupils import directory as pupil_directory
from attendance_desk.store.db import DatabaseError, as_location, default_location, open_database
from attendance_desk.store.writers import writing
from attendance_desk.ui.access.acting_user import set_user as set_acting_user
from attendance_desk.ui.access.login_dialog import LoginDialog
from attendance_desk.ui.main_window import APP_NAME, MainWindow
from attendance_desk.ui.operations.run import read
from attendance_desk.ui.school.welcome_wizard import WelcomeWizard
from attendance_desk.ui.widgets.date_editors import use_uk_locale
from attendance_desk.ui.workers.backup_scheduler import attach as attach_backups

ORGANISATION = "Attendance Desk"
#: The app's icon on every window (drawn by packaging/make_icons.py from the SVG beside it).
ICON = resources.ROOT / "icons" / "attendance-desk.png"


def application(argv: list[str] | None = None) -> QApplication:
    """The running QApplication, created and named on first use."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv if argv is None else argv)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationVersion(__version__)
    assert isinstance(app, QApplication)
    app.setWindowIcon(QIcon(str(ICON)))
    use_uk_locale()
    return app


def _who_opens(session: Session) -> tuple[bool, str, str]:
    """Whether the school still needs its first administrator, its name, and the demo
    school's login hint (empty for a real school)."""
    school = pupil_directory.school_title(session) or ""
    return auth.needs_first_admin(session), school, demo_login_hint(session)


def sign_in(
    factory: sessionmaker[Session], today: Callable[[], date] = date.today
) -> tuple[int, str] | None:
    """The user for this window and what to do first (the welcome wizard's pupils choice,
    or "" after a login). A new database gets the welcome wizard, which creates the school
    and its first administrator; otherwise a login. None when the person cancels (the app
    then closes without opening anything)."""
    first, school, hint = read(factory, _who_opens)
    if first:
        wizard = WelcomeWizard(factory, now=datetime.now, today=today)
        if wizard.exec() != QDialog.DialogCode.Accepted or wizard.user_id is None:
            return None
        return wizard.user_id, wizard.choice
    dialog = LoginDialog(factory, datetime.now, school=school, hint=hint)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user_id is None:
        return None
    return dialog.user_id, ""


def first_step(window: MainWindow, choice: str) -> None:
    """After the welcome wizard: open the pupils import (File → Import, whichever importer
    it opens) or build the demo school; "later" leaves the Pupils tab's first-start panel."""
    if choice == "import":
        window.actions_by_name["import"].trigger()
    elif choice == "demo":
        window.show_tab("pupils")
        window.pupils_tab.create_demo()


def run(
    db_path: Path | str | None,
    *,
    argv: list[str] | None = None,
    today: Callable[[], date] = date.today,
) -> int:
    """Open the database at `db_path`, a file or a server's address (default:
    `db.default_location()`), in the window.

    Returns the application's exit code, or 2 when the database cannot be opened (the
    reason is shown in a message box first).
    """
    application(argv)
    notes: list[str] = []
    try:
        path = as_location(db_path) or default_location()
        with writing(path):  # a restore waits until this window closes
            factory = open_database(path, on_notice=notes.append)
            for note in notes:  # an interrupted restore was settled: say how, loudly
                QMessageBox.warning(None, f"{APP_NAME}: an interrupted restore", note)
            return _open_window(factory, path, today)
    except DatabaseError as exc:
        QMessageBox.critical(None, f"{APP_NAME}: cannot open the database", str(exc))
        return 2


def _open_window(
    factory: sessionmaker[Session], path: Path | str, today: Callable[[], date]
) -> int:
    app = application()
    signed_in = sign_in(factory, today)
    if signed_in is None:
        return 0
    user_id, choice = signed_in
    set_acting_user(user_id)
    window = MainWindow(factory, today=today, db_path=path)
    backups = attach_backups(window, factory, datetime.now)  # noqa: F841 (kept while the app runs)
    window.show()  # its size and place come back by themselves (window_memory)
    QTimer.singleShot(0, lambda: first_step(window, choice))
    return app.exec()
