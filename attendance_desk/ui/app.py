"""Starting the window: the Qt application, the database, the main window."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk import __version__, auth, pupil_directory
from attendance_desk.db import DatabaseError, default_path, open_database
from attendance_desk.demo_users import demo_login_hint
from attendance_desk.ui.acting_user import set_user as set_acting_user
from attendance_desk.ui.backup_scheduler import attach as attach_backups
from attendance_desk.ui.login_dialog import FirstAdminDialog, LoginDialog
from attendance_desk.ui.main_window import APP_NAME, MainWindow

ORGANISATION = "Attendance Desk"


def application(argv: list[str] | None = None) -> QApplication:
    """The running QApplication, created and named on first use."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv if argv is None else argv)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationVersion(__version__)
    assert isinstance(app, QApplication)
    return app


def sign_in(factory: sessionmaker[Session]) -> int | None:
    """The user for this window: the first administrator on a new database, otherwise a
    login. None when the person cancels (the app then closes without opening anything)."""
    with factory() as session:
        first = auth.needs_first_admin(session)
        school = pupil_directory.school_title(session) or ""
        hint = demo_login_hint(session)
    dialog: FirstAdminDialog | LoginDialog
    if first:
        dialog = FirstAdminDialog(factory, datetime.now)
    else:
        dialog = LoginDialog(factory, datetime.now, school=school, hint=hint)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.user_id


def run(
    db_path: Path | None,
    *,
    argv: list[str] | None = None,
    today: Callable[[], date] = date.today,
) -> int:
    """Open the database at `db_path` (default: `db.default_path()`) in the window.

    Returns the application's exit code, or 2 when the database cannot be opened (the
    reason is shown in a message box first).
    """
    app = application(argv)
    path = Path(db_path) if db_path else default_path()
    try:
        factory = open_database(path)
    except DatabaseError as exc:
        QMessageBox.critical(None, f"{APP_NAME}: cannot open the database", str(exc))
        return 2
    user_id = sign_in(factory)
    if user_id is None:
        return 0
    set_acting_user(user_id)
    window = MainWindow(factory, today=today, db_path=path)
    window.backups = attach_backups(window, factory, datetime.now)  # kept: its signals live on
    settings = QSettings()
    geometry = settings.value("main_window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    app.aboutToQuit.connect(
        lambda: settings.setValue("main_window/geometry", window.saveGeometry())
    )
    window.show()
    return app.exec()
