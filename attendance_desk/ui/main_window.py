"""The main window: a tab per part of the office's day, menus, the database in the status bar.

Each tab is built by its own module; the window wires them together.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QProcess, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk import __version__
from attendance_desk.access import audit
from attendance_desk.access.permissions import ROLE_LABELS, Permission, Role, allowed
from attendance_desk.interop.changes_export import count_unexported
from attendance_desk.pupils import directory as pupil_directory
from attendance_desk.school import settings
from attendance_desk.store import backup, restoring
from attendance_desk.store.db import NotAFile, describe, location_of, transaction
from attendance_desk.store.restore_audit import record_restore
from attendance_desk.ui.access.acting_user import acting_user
from attendance_desk.ui.access.acting_user import set_user as set_acting_user
from attendance_desk.ui.access.acting_user import user_id as acting_user_id
from attendance_desk.ui.access.audit_dialog import AuditDialog
from attendance_desk.ui.access.idle_lock import IdleLock
from attendance_desk.ui.access.login_dialog import ChangePasswordDialog, LoginDialog
from attendance_desk.ui.access.users_dialog import UsersDialog
from attendance_desk.ui.desk.absence_report_dialog import ReportDialog
from attendance_desk.ui.desk.calls_tab import CallsTab
from attendance_desk.ui.desk.late_desk_dialog import LateDeskDialog
from attendance_desk.ui.desk.leave_dialog import LeaveDialog
from attendance_desk.ui.desk.on_site_dialog import OnSiteDialog
from attendance_desk.ui.desk.today_tab import TodayTab
from attendance_desk.ui.figures.reports_tab import ReportsTab
from attendance_desk.ui.inbox.inbox_tab import InboxTab
from attendance_desk.ui.interop.changes_export_dialog import ChangesExportDialog
from attendance_desk.ui.interop.import_wizard import ImportWizard
from attendance_desk.ui.letters.letters_tab import LettersTab
from attendance_desk.ui.operations.catch_up import WORKLIST, CatchUp, Listener
from attendance_desk.ui.operations.changes import EVERYTHING, Change, DataChanges
from attendance_desk.ui.outbox.outbox_status import OutboxStatus
from attendance_desk.ui.pupils.pupil_file_dialog import PupilFileDialog
from attendance_desk.ui.pupils.pupils_tab import PupilsTab
from attendance_desk.ui.register.n_codes_dialog import NCodesDialog
from attendance_desk.ui.register.register_tab import RegisterTab
from attendance_desk.ui.register.register_times_dialog import RegisterTimesDialog
from attendance_desk.ui.roll.admission_dialog import AdmissionDialog
from attendance_desk.ui.roll.removal_dialog import RemovalDialog
from attendance_desk.ui.safeguarding.safeguarding_tab import SafeguardingTab
from attendance_desk.ui.school.settings_tab import SettingsTab
from attendance_desk.ui.store.backup_passphrase_dialog import BackupPassphraseDialog
from attendance_desk.ui.store.instance_warning import claim_database
from attendance_desk.ui.widgets import window_memory
from attendance_desk.ui.widgets.help_guide import PAGE_OF_TAB, HelpGuide
from attendance_desk.ui.widgets.style import muted, tab_icon
from attendance_desk.ui.workers.inbox_fetcher import InboxFetcher

APP_NAME = "Attendance Desk"

#: The tabs in order: the name `show_tab` takes, and the title on the tab.
TABS: tuple[tuple[str, str], ...] = (
    ("today", "Today"),
    ("register", "Register"),
    ("calls", "Calls"),
    ("inbox", "Inbox"),
    ("safeguarding", "Safe and well"),
    ("letters", "Letters"),
    ("pupils", "Pupils"),
    ("reports", "Reports"),
    ("settings", "Settings"),
)
TAB_NAMES = tuple(name for name, _ in TABS)


def _clock_from(today: Callable[[], date]) -> Callable[[], datetime]:
    """The time of day from the system clock on the (possibly pinned) date `today` gives."""
    return lambda: datetime.combine(today(), datetime.now().time())


class MainWindow(QMainWindow):
    """Tabs, menus with a shortcut for every action, and the database path at the bottom.

    Args:
        factory: the session factory from `db.open_database`.
        today: the clock for dates (tests pin it).
        now: the clock for times; by default the system time on `today()`'s date.
        db_path: shown in the status bar; by default the factory's database file.
        send_outbox: False for a window drawn only to be looked at (`shot`): it shows the
            outbox's counts but sends nothing.
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] | None = None,
        db_path: Path | str | None = None,
        send_outbox: bool = True,
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self._factory = factory
        self._today = today
        self._now = now or _clock_from(today)
        self.db_path = db_path or location_of(factory.kw["bind"])  # a file, or a server

        self.pupils_tab = PupilsTab(factory, self._today, self._now)
        self.register_tab = RegisterTab(factory, self._now)
        self.today_tab = TodayTab(factory, self._now)
        self.calls_tab = CallsTab(factory, self._now, self.today_tab.worklist)
        self.inbox_tab = InboxTab(factory, self._now)
        self.safeguarding_tab = SafeguardingTab(factory, self._now, acting_user)
        self.reports_tab = ReportsTab(factory, self._now)
        self.letters_tab = LettersTab(factory, self._now)
        self.settings_tab = SettingsTab(factory, self._now)
        self.tab_widgets: dict[str, QWidget] = {name: self._tab(name) for name in TAB_NAMES}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Sections")
        for index, (name, title) in enumerate(TABS):
            self.tabs.addTab(self.tab_widgets[name], tab_icon(name), title)
            self.tabs.setTabToolTip(index, f"{title} (Ctrl+{index + 1})")
        self.setCentralWidget(self.tabs)

        self.actions_by_name: dict[str, QAction] = {}
        self.outbox_status = OutboxStatus(factory, self._now, self)
        self.outbox_status.open_settings.connect(lambda: self.show_tab("settings"))
        self._build_menus()
        self.db_label = muted(QLabel(f"Database: {describe(self.db_path)}"))
        self.db_label.setObjectName("db_path")
        self.db_label.setAccessibleName("Database file")
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.db_label)

        self.user_label = QLabel()
        self.user_label.setObjectName("acting_user")
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addWidget(self.outbox_status)
        self.changes_label = muted(QLabel(accessibleName="Changes not yet exported"))
        self.statusBar().addWidget(self.changes_label)
        self.show_unexported()
        self.show_user()
        on_file = isinstance(self.db_path, Path)  # a server is shared by design: no lock file
        self.instance_lock = claim_database(self, self.db_path) if on_file else None
        self.today_tab.counts_changed.connect(self._count_today)
        self.calls_tab.count_changed.connect(self._count_calls)
        self.today_tab.open_calls.connect(self.open_calls_for)
        self.today_tab.open_check.connect(self.open_check_for)
        self.today_tab.open_n_codes.connect(self.open_n_codes)
        self.today_tab.open_letters.connect(lambda: self.show_tab("letters"))
        self.changes = DataChanges(self)
        self._catch_up = CatchUp(self.changes, self.tabs, self._listeners())
        self._count_calls(self.calls_tab.waiting)
        self._wire_inbox(fetch=send_outbox)
        self.reports_tab.open_pupil.connect(self.open_pupil)
        self.pupils_tab.table.doubleClicked.connect(lambda _index: self.open_pupil_file())
        self.reports_tab.message.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self._count_today(len(self.today_tab.visible_actions()))
        self._locked = False
        self.idle = IdleLock(self, minutes=self._auto_lock_minutes())
        self.idle.locked.connect(self.lock)
        self.pupils_tab.data_changed.connect(self._data_changed)
        # the first-start panel's import button opens the wizard, as File → Import does
        self.pupils_tab.first_start.import_requested.connect(self.open_import)
        self.pupils_tab.message.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.refresh_title()
        self.resize(1180, 760)
        window_memory.restore_window(self)  # this PC's size and place from last time
        if send_outbox:
            self._start_outbox()
        with factory() as session:
            empty = pupil_directory.is_empty(session)
        # A new school starts where pupils come in; a working one on the day's worklist.
        self.show_tab("pupils" if empty else "today")

    def _listeners(self) -> list[Listener]:
        """What each tab shows, for reloading it when that changes (see `catch_up`)."""
        m, p = Change.MARKS, Change.PUPILS
        return [
            # Today and Calls from one working-out of the worklist, their counts in the titles.
            Listener(
                self.today_tab, WORKLIST, self._reload_worklists, always=True, skip_origin=False
            ),
            Listener(self.changes_label, frozenset({m}), self.show_unexported, always=True),
            Listener(self.register_tab, frozenset({m, p}), self._reload_register),
            Listener(
                self.safeguarding_tab, WORKLIST - {Change.LETTERS}, self.safeguarding_tab.reload
            ),
            Listener(
                self.letters_tab,
                frozenset({m, p, Change.LETTERS, Change.ACTIONS}),
                lambda: self.letters_tab.due_panel.reload(pupils=self.changes.pupils),
            ),
            Listener(self.pupils_tab, frozenset({m, p}), self.pupils_tab.reload),
            # its count is in its title; a lock and a new login change who may read it
            Listener(self.inbox_tab, frozenset({p, Change.INBOX}), self.inbox_tab.reload, True),
        ]

    def _reload_worklists(self) -> None:
        self.today_tab.reload(pupils=self.changes.pupils)  # only theirs, when known
        self.calls_tab.reload(self.today_tab.worklist)

    def _reload_register(self) -> None:
        """Catch up with marks saved elsewhere, but never over unsaved edits."""
        if not self.register_tab.has_unsaved():
            self.register_tab.reload()

    def _tab(self, name: str) -> QWidget:
        built = {
            "today": self.today_tab,
            "register": self.register_tab,
            "calls": self.calls_tab,
            "inbox": self.inbox_tab,
            "safeguarding": self.safeguarding_tab,
            "pupils": self.pupils_tab,
            "reports": self.reports_tab,
            "letters": self.letters_tab,
            "settings": self.settings_tab,
        }
        return built[name]

    # --- menus -------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(
            self._action("import", "&Import from your MIS…", "Ctrl+I", self.open_import)
        )
        file_menu.addAction(
            self._action(
                "export_changes",
                "&Export changes for the MIS…",
                "Ctrl+Shift+E",
                self.open_changes_export,
            )
        )
        file_menu.addAction(
            self._action(
                "register_times", "Register &times…", "Ctrl+Shift+T", self.open_register_times
            )
        )
        file_menu.addAction(self._action("users", "&Users…", "Ctrl+Shift+M", self.open_users))
        file_menu.addAction(
            self._action("restore", "&Restore from a backup…", "Ctrl+Shift+R", self.ask_restore)
        )
        file_menu.addAction(
            self._action(
                "backup_passphrase",
                "&Backup passphrase…",
                "Ctrl+Shift+B",
                self.open_backup_passphrase,
            )
        )
        file_menu.addSeparator()
        file_menu.addAction(self._action("lock", "&Lock the screen", "Ctrl+Shift+L", self.lock))
        file_menu.addAction(
            self._action("password", "Change my &password…", "Ctrl+Shift+P", self.change_password)
        )
        file_menu.addSeparator()
        file_menu.addAction(self._action("quit", "&Quit", "Ctrl+Q", self.close))

        desk = self.menuBar().addMenu("&Desk")
        for name, text, shortcut, slot in (
            ("late_desk", "&Late arrivals…", "Ctrl+L", self.open_late_desk),
            ("report", "Parent's absence &report…", "Ctrl+R", self.open_report),
            ("n_codes", "&N codes to resolve…", "Ctrl+Shift+N", self.open_n_codes),
            ("leave", "Leave of &absence…", "Ctrl+Shift+A", self.open_leave),
            ("on_site", "On site and &evacuation list…", "Ctrl+E", self.open_on_site),
            ("admit", "A&dmit a pupil…", "Ctrl+Shift+D", self.open_admission),
            ("remove_from_roll", "Remove from r&oll…", "Ctrl+Shift+X", self.open_removal),
            ("audit", "A&udit log…", "Ctrl+Shift+U", self.open_audit),
            ("outbox", "Out&box: texts and emails…", "Ctrl+Shift+O", self.outbox_status.open_list),
        ):
            desk.addAction(self._action(name, text, shortcut, slot))

        view_menu = self.menuBar().addMenu("&View")
        for index, (name, title) in enumerate(TABS):
            view_menu.addAction(
                self._action(
                    f"show_{name}",
                    title,
                    f"Ctrl+{index + 1}",
                    lambda _checked=False, name=name: self.show_tab(name),
                )
            )
        view_menu.addSeparator()
        view_menu.addAction(self._action("find", "&Find a pupil", "Ctrl+F", self.find_pupil))
        view_menu.addAction(
            self._action("pupil_file", "The chosen pupil's &file…", "Ctrl+O", self.open_pupil_file)
        )
        view_menu.addAction(self._action("refresh", "&Refresh", "F5", self.refresh))

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("guide", "&Guide…", "F1", self.open_guide))
        help_menu.addAction(
            self._action("about", f"&About {APP_NAME}", "Shift+F1", self.show_about)
        )

    def _action(self, name: str, text: str, shortcut: str, slot: Callable[..., object]) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"action_{name}")
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        plain = text.replace("&", "").rstrip("…")
        action.setToolTip(f"{plain} ({shortcut})")
        # QAction has no accessible name of its own: screen readers read the menu item's
        # text and shortcut, so the text stays plain words.
        action.setStatusTip(plain)
        action.triggered.connect(slot)
        self.addAction(action)
        self.actions_by_name[name] = action
        return action

    # --- tabs --------------------------------------------------------------------------
    def show_tab(self, name: str) -> QWidget:
        """Bring the tab called `name` (one of `TAB_NAMES`) to the front and return it."""
        try:
            widget = self.tab_widgets[name]
        except KeyError:
            raise ValueError(
                f"there is no '{name}' tab; choose one of {', '.join(TAB_NAMES)}"
            ) from None
        self.tabs.setCurrentWidget(widget)
        return widget

    def current_tab_name(self) -> str:
        current = self.tabs.currentWidget()
        return next(name for name, widget in self.tab_widgets.items() if widget is current)

    def open_pupil(self, pupil_id: int) -> None:
        """Show one pupil's file (from a list elsewhere)."""
        self.show_tab("pupils")
        if not self.pupils_tab.select_pupil(pupil_id):
            self.pupils_tab.search_edit.clear()  # a search may hide them: show everyone
            self.pupils_tab.refresh()
            self.pupils_tab.select_pupil(pupil_id)

    def open_pupil_file(self) -> QDialog | None:
        """The chronology and notes of the pupil chosen on the Pupils tab."""
        row = self.pupils_tab.selected_pupil()
        if row is None:
            self.show_tab("pupils")
            self.statusBar().showMessage("Choose a pupil on the Pupils tab first.", 8000)
            return None
        return self._dialog(
            PupilFileDialog(self._factory, self._now, pupil_id=row.pupil_id, parent=self)
        )

    def find_pupil(self) -> None:
        self.show_tab("pupils")
        self.pupils_tab.focus_search()

    def open_import(self) -> QDialog:
        """The import wizard; once it has imported, every tab that lists pupils reloads."""
        wizard = ImportWizard(self._factory, self._now, parent=self)
        wizard.imported.connect(self._imported)
        return self._dialog(wizard)

    def _imported(self, message: str) -> None:
        self.pupils_tab.refresh()
        self._data_changed()
        self.statusBar().showMessage(message, 15000)

    # --- refreshing --------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the current tab and the title: another office PC may have changed them."""
        current = self.tabs.currentWidget()
        if current is self.pupils_tab:
            self.pupils_tab.refresh()
        elif current is self.calls_tab:
            self.calls_tab.reload()
        elif current is self.inbox_tab:
            self.inbox_tab.reload()
        elif current is self.today_tab:
            self.today_tab.reload()
        elif current is self.safeguarding_tab:
            self.safeguarding_tab.reload()
        elif current is self.reports_tab:
            self.reports_tab.reload()
        elif current is self.register_tab and (
            not self.register_tab.has_unsaved() or self.register_tab.confirm_discard()
        ):
            self.register_tab.reload()
        self.refresh_title()

    def refresh_title(self) -> None:
        with self._factory() as session:
            school = pupil_directory.school_title(session)
        self.setWindowTitle(f"{APP_NAME} — {school}" if school else APP_NAME)

    def _data_changed(self) -> None:
        """New pupils (demo or import): every tab that lists them loads again."""
        self.refresh_title()
        self.register_tab.refresh_choices()
        self.changes.announce(*EVERYTHING)

    # --- the desk's dialogs -------------------------------------------------------------
    def _dialog(self, dialog: QDialog) -> QDialog:
        """Open a desk dialog; when it closes, the worklists catch up with what it changed."""
        dialog.finished.connect(lambda _result: self._after_desk_work())
        dialog.show()
        return dialog

    def _after_desk_work(self) -> None:
        """A desk dialog closed: whatever it may have changed, the tabs catch up."""
        self.changes.announce(*EVERYTHING)

    def open_late_desk(self) -> QDialog:
        return self._dialog(LateDeskDialog(self._factory, self._now, self))

    def open_report(self) -> QDialog:
        return self._dialog(ReportDialog(self._factory, self._now, self))

    def open_n_codes(self) -> QDialog:
        return self._dialog(NCodesDialog(self._factory, self._now, self))

    def open_leave(self) -> QDialog:
        return self._dialog(LeaveDialog(self._factory, self._now, self))

    def open_users(self) -> QDialog:
        return self._dialog(UsersDialog(self._factory, self._now, self))

    def open_backup_passphrase(self) -> QDialog | None:
        """The administrator's dialog for the passphrase that encrypts backups."""
        with self._factory() as session:
            may = allowed(acting_user(session), Permission.CHANGE_SETTINGS)
        if not may:
            QMessageBox.information(self, "Backup passphrase", "Only the administrator can set it.")
            return None
        return self._dialog(BackupPassphraseDialog(self._factory, self._now, self))

    def ask_restore(self) -> None:
        """Choose a backup, confirm, restore it, and restart on the restored database."""
        if isinstance(self.db_path, str):
            QMessageBox.information(self, "Restore", str(NotAFile()))
            return
        with self._factory() as session:
            user = acting_user(session)
            may = allowed(user, Permission.CHANGE_SETTINGS)
            folder = backup.backup_folder(session, self.db_path)
        if not may:
            QMessageBox.information(self, "Restore", "Only the administrator can restore.")
            return
        name, _ = QFileDialog.getOpenFileName(
            self, "Restore from a backup", str(folder), "Attendance Desk backups (*.db *.enc)"
        )
        if not name:
            return
        answer = QMessageBox.question(
            self,
            "Restore from a backup",
            f"Replace the school's database with {Path(name).name}?\n\nThe current database is "
            "kept beside it, not deleted. Attendance Desk then restarts.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            aside = self.restore_database(Path(name))
        except (backup.BackupError, OSError) as exc:
            QMessageBox.warning(self, "Not restored", str(exc))
            return
        QMessageBox.information(
            self, "Restored", f"Restored. The previous database is kept as {aside}."
        )
        QProcess.startDetached(sys.executable, sys.argv)
        self.close()

    def restore_database(self, backup_file: Path) -> Path | None:
        """Close every connection, then put the checked backup in place (audited in the
        kept-aside database before, and in the restored one after)."""
        with transaction(self._factory) as session:
            user = acting_user(session)
            username = user.username
            audit.record(
                session,
                user=user,
                now=self._now(),
                action="restore",
                entity="database",
                backup=str(backup_file),
            )
        self._factory.kw["bind"].dispose()
        aside = restoring.restore(
            backup_file, self.db_path, self._now(), passphrase=lambda: self._ask_passphrase()
        )
        record_restore(
            self.db_path, backup_file=backup_file, username=username, aside=aside, now=self._now()
        )
        return aside

    def _ask_passphrase(self) -> str | None:
        """The backup passphrase for an encrypted backup (None when the person cancels)."""
        text, ok = QInputDialog.getText(
            self,
            "Encrypted backup",
            "This backup is encrypted. Type the backup passphrase (it is on the school's "
            "recovery sheet):",
            QLineEdit.EchoMode.Password,
        )
        return text if ok and text else None

    def open_audit(self) -> QDialog:
        return self._dialog(AuditDialog(self._factory, self._now, acting_user, self))

    def open_register_times(self) -> QDialog:
        return self._dialog(RegisterTimesDialog(self._factory, self._now, self))

    def open_admission(self) -> QDialog:
        return self._roll_dialog(AdmissionDialog(self._factory, self._now, self))

    def open_removal(self) -> QDialog:
        return self._roll_dialog(RemovalDialog(self._factory, self._now, self))

    def _roll_dialog(self, dialog: QDialog) -> QDialog:
        """Admissions and removals change who is on roll: the lists load again after."""
        dialog.finished.connect(lambda _result: (self.pupils_tab.refresh(), self._data_changed()))
        return self._dialog(dialog)

    def open_changes_export(self) -> QDialog:
        return self._dialog(ChangesExportDialog(self._factory, self._now, self))

    def show_unexported(self) -> None:
        """After an outage: how many marks changed since the last export for the MIS."""
        with self._factory() as session:
            count = count_unexported(session)
        self.changes_label.setText(
            f"{count} mark change{'s' * (count != 1)} not yet exported to the MIS" if count else ""
        )

    def open_on_site(self) -> QDialog:
        return self._dialog(OnSiteDialog(self._factory, self._now, self))

    def _wire_inbox(self, *, fetch: bool) -> None:
        """The Inbox tab: its count in the title, and (unless the window is only drawn) the
        background fetch. An accepted report reaches Today and Calls by its announcement."""
        self.inbox_tab.count_changed.connect(self._count_inbox)
        self._count_inbox(self.inbox_tab.waiting)
        self.inbox_fetcher: InboxFetcher | None = None
        if fetch:
            self.inbox_fetcher = InboxFetcher(self._factory, self._now, self)
            self.inbox_fetcher.finished.connect(
                lambda result: self.inbox_tab.show_fetched(result, self._now())
            )
            self.inbox_tab.fetch_requested.connect(self.inbox_fetcher.fetch_now)
            self.inbox_fetcher.start()

    def _count_inbox(self, count: int) -> None:
        self.tabs.setTabText(TAB_NAMES.index("inbox"), f"Inbox ({count})" if count else "Inbox")

    def _count_today(self, count: int) -> None:
        self.tabs.setTabText(TAB_NAMES.index("today"), f"Today ({count})" if count else "Today")

    def _count_calls(self, count: int) -> None:
        self.tabs.setTabText(TAB_NAMES.index("calls"), f"Calls ({count})" if count else "Calls")

    def open_calls_for(self, pupil_id: int) -> None:
        """The Calls panel with this child's calls on screen (from the Today worklist)."""
        self.show_tab("calls")
        if not self.calls_tab.select_pupil(pupil_id):
            self.statusBar().showMessage("That call is no longer due: the list has changed.", 8000)

    def open_check_for(self, pupil_id: int) -> None:
        """The Safe and well tab on this child, their check open for the DSL (from Today)."""
        self.show_tab("safeguarding")
        self.safeguarding_tab.open_for(pupil_id)

    # --- who is working ---------------------------------------------------------------
    def show_user(self) -> None:
        with self._factory() as session:
            user = acting_user(session)
            self.user_label.setText(f"{user.full_name} ({ROLE_LABELS[Role(user.role)]})")

    def _auto_lock_minutes(self) -> int:
        with self._factory() as session:
            return settings.get(session, settings.AUTO_LOCK_MINUTES)

    def lock(self) -> None:
        """Hide everything behind the login; unsaved work stays in the window."""
        if self.isHidden() or not acting_user_id() or self._locked:
            return  # closed, nobody logged in, or the login is on screen already
        self._locked = True
        self.idle.pause()  # one login at a time, however long it stays up
        self.centralWidget().setVisible(False)
        dialog = LoginDialog(
            self._factory,
            datetime.now,
            parent=self,
            hint="The screen was locked. Log in to carry on; nothing has been lost.",
        )
        accepted = dialog.exec() == QDialog.DialogCode.Accepted and dialog.user_id is not None
        self._locked = False
        if accepted:
            someone_else = dialog.user_id != acting_user_id()
            set_acting_user(dialog.user_id)
            self.show_user()
            if someone_else and not self.register_tab.has_unsaved():
                self.register_tab.refresh_choices()  # a class teacher gets their own classes
            self.centralWidget().setVisible(True)
            self.idle.restart()
            self._after_desk_work()  # catch up quietly: unsaved register edits are kept
        elif not self.close():  # closing was cancelled (unsaved work): lock again
            self.lock()

    def change_password(self) -> None:
        ChangePasswordDialog(self._factory, datetime.now, self).exec()

    def _start_outbox(self) -> None:
        """Send texts and emails in the background; a text queued or released on Calls, the
        summary email, or messages waiting for Settings → Messaging go at once, not at the
        next minute."""
        for asked in (
            self.settings_tab.summary_button.clicked,
            self.settings_tab.save_button.clicked,
        ):
            asked.connect(self.outbox_status.send_now)
        self.changes.changed.connect(self._outbox_changed)
        self.outbox_status.start()

    def _outbox_changed(self, kinds: frozenset[Change], _origin: object) -> None:
        if Change.OUTBOX in kinds:
            self.outbox_status.send_now()

    # --- help and closing --------------------------------------------------------------
    def open_guide(self) -> QDialog:
        """The guide, open at the page for the tab on screen."""
        name = self.current_tab_name()
        guide = HelpGuide(self, page=PAGE_OF_TAB.get(name, name))
        guide.show()
        return guide

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>The school office's attendance tool: the register, absence follow-up "
            "and safeguarding, working offline.</p>"
            f"<p>Database: {describe(self.db_path)}</p>",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.register_tab.has_unsaved():
            self.show_tab("register")
            if not self.register_tab.confirm_discard():
                event.ignore()
                return
        if self.letters_tab.template_editor.is_dirty():
            self.show_tab("letters")
            self.letters_tab.pages.setCurrentWidget(self.letters_tab.template_editor)
            if not self.letters_tab.template_editor.confirm_leave():
                event.ignore()
                return
        self.pupils_tab.cancel_demo()
        self.outbox_status.stop()
        if self.inbox_fetcher is not None:
            self.inbox_fetcher.stop()
        window_memory.save_window(self)
        if self.instance_lock is not None:
            self.instance_lock.release()
        event.accept()
