"""The main window: a tab per part of the office's day, menus, the database in the status bar.

Each tab is built by its own module, the first time it is needed (`window/tabs.py`); the
menus, the status bar, the dialogs and the database's restore have modules of their own in
`window/`. This module wires them together and says in what order the window starts: on
screen first, then Today's worklist, then the counts in the other tabs' titles, then the
background sending and fetching.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QTabWidget, QWidget
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk import __version__
from attendance_desk.pupils import directory as pupil_directory
from attendance_desk.school import settings
from attendance_desk.store.db import Location, describe, location_of
from attendance_desk.ui.access.acting_user import set_user as set_acting_user
from attendance_desk.ui.access.acting_user import user_id as acting_user_id
from attendance_desk.ui.access.idle_lock import IdleLock
from attendance_desk.ui.operations.catch_up import CatchUp, Listener
from attendance_desk.ui.operations.changes import EVERYTHING, Change, DataChanges
from attendance_desk.ui.operations.run import read
from attendance_desk.ui.outbox.outbox_status import OutboxStatus
from attendance_desk.ui.store.instance_warning import claim_database
from attendance_desk.ui.widgets import window_memory
from attendance_desk.ui.window.database import Backups, file_of
from attendance_desk.ui.window.dialogs import Dialogs
from attendance_desk.ui.window.menus import build_menus
from attendance_desk.ui.window.status_bar import StatusLine
from attendance_desk.ui.window.tab_builders import tab_builders
from attendance_desk.ui.window.tabs import TAB_NAMES, TABS, TabShelf
from attendance_desk.ui.window.wiring import wire

if TYPE_CHECKING:
    from attendance_desk.ui.desk.calls_tab import CallsTab
    from attendance_desk.ui.desk.today_tab import TodayTab
    from attendance_desk.ui.figures.reports_tab import ReportsTab
    from attendance_desk.ui.inbox.inbox_tab import InboxTab
    from attendance_desk.ui.letters.letters_tab import LettersTab
    from attendance_desk.ui.pupils.pupils_tab import PupilsTab
    from attendance_desk.ui.register.register_tab import RegisterTab
    from attendance_desk.ui.safeguarding.safeguarding_tab import SafeguardingTab
    from attendance_desk.ui.school.settings_tab import SettingsTab
    from attendance_desk.ui.workers.inbox_fetcher import InboxFetcher

__all__ = ["APP_NAME", "TABS", "TAB_NAMES", "MainWindow"]

APP_NAME = "Attendance Desk"
#: What the window does once it is on screen, in order, one step per turn of the event loop
#: (so it paints and answers between them): the worklist, then the tabs whose counts are in
#: their titles.
FIRST_TABS = ("today", "calls", "inbox")


def _clock_from(today: Callable[[], date]) -> Callable[[], datetime]:
    """The time of day from the system clock on the (possibly pinned) date `today` gives."""
    return lambda: datetime.combine(today(), datetime.now().time())


class _Tabs(Mapping[str, QWidget]):
    """`window.tab_widgets[name]`: the tab, built when first asked for."""

    def __init__(self, shelf: TabShelf) -> None:
        self._shelf = shelf

    def __getitem__(self, name: str) -> QWidget:
        if name not in TAB_NAMES:
            raise KeyError(name)
        return self._shelf.get(name)

    def __iter__(self) -> Iterator[str]:
        return iter(TAB_NAMES)

    def __len__(self) -> int:
        return len(TAB_NAMES)


class MainWindow(QMainWindow):
    """Tabs, menus with a shortcut for every action, and the database path at the bottom.

    Args:
        factory: the session factory from `db.open_database`.
        today: the clock for dates (tests pin it).
        now: the clock for times; by default the system time on `today()`'s date.
        db_path: shown in the status bar; by default the factory's database (a file, or a
            server's address).
        send_outbox: False for a window drawn only to be looked at (`shot`): it shows the
            outbox's counts but sends nothing, and fetches no mail.
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] | None = None,
        db_path: Location | None = None,
        send_outbox: bool = True,
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self._factory = factory
        self._today = today
        self._now = now or _clock_from(today)
        self.db_path: Location = db_path or location_of(factory.kw["bind"])
        self.sending = send_outbox
        self._locked = False
        self.started = False  # True once the first tabs are built and the workers running
        self.inbox_fetcher: InboxFetcher | None = None

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Sections")
        self.changes = DataChanges(self)
        self.catch_up = CatchUp(self.changes, self.tabs, [])
        self.shelf = TabShelf(self.tabs, tab_builders(factory, today, self._now, self._tab))
        self.shelf.built.connect(lambda name, _widget: wire(self, name))
        self.tab_widgets: Mapping[str, QWidget] = _Tabs(self.shelf)
        self.setCentralWidget(self.tabs)

        self.dialogs = Dialogs(self, factory, self._now)
        self.backups = Backups(self, factory, self._now, self.db_path)
        self.outbox_status = OutboxStatus(factory, self._now, self)
        self.outbox_status.open_settings.connect(lambda: self.show_tab("settings"))
        self.actions_by_name: dict[str, QAction] = build_menus(self, APP_NAME)
        self.status_line = StatusLine(
            self.statusBar(), factory, self._now, self.db_path, self.outbox_status
        )
        self.db_label = self.status_line.db_label
        self.user_label = self.status_line.user_label
        self.changes_label = self.status_line.changes_label
        self.catch_up.listen(
            Listener(self.changes_label, frozenset({Change.MARKS}), self.show_unexported, True)
        )
        self.show_user()
        on_file = file_of(self.db_path)  # a server is shared by design: no lock file
        self.instance_lock = claim_database(self, on_file) if on_file is not None else None
        minutes = read(factory, lambda session: settings.get(session, settings.AUTO_LOCK_MINUTES))
        self.idle = IdleLock(self, minutes=minutes)
        self.idle.locked.connect(self.lock)
        self.refresh_title()
        self.resize(1180, 760)
        window_memory.restore_window(self)  # this PC's size and place from last time
        # A new school starts where pupils come in; a working one on the day's worklist.
        if read(factory, pupil_directory.is_empty):
            self.show_tab("pupils")
        self._steps: list[Callable[[], object]] = [
            *(lambda name=name: self._tab(name) for name in FIRST_TABS),
            self.show_unexported,
            self._start_workers,
        ]
        QTimer.singleShot(0, self, self._next_step)

    # --- starting ----------------------------------------------------------------------
    def _next_step(self) -> None:
        """One step of the start (see `FIRST_TABS`), then the next on the next turn."""
        if self._steps:
            self._steps.pop(0)()
            QTimer.singleShot(0, self, self._next_step)
        else:
            self.started = True

    def _start_workers(self) -> None:
        """Send texts and emails and fetch the inbox in the background (unless only drawn)."""
        if not self.sending:
            return
        from attendance_desk.ui.workers.inbox_fetcher import InboxFetcher

        self.inbox_fetcher = InboxFetcher(self._factory, self._now, self)
        self.inbox_fetcher.finished.connect(
            lambda result: self.inbox_tab.show_fetched(result, self._now())
        )
        self.inbox_tab.fetch_requested.connect(self.inbox_fetcher.fetch_now)
        # a text queued or released on Calls, or messages waiting for Settings → Messaging,
        # go at once, not at the next minute
        self.changes.changed.connect(self._outbox_changed)
        self.outbox_status.start()
        self.inbox_fetcher.start()

    def _outbox_changed(self, kinds: frozenset[Change], _origin: object) -> None:
        if Change.OUTBOX in kinds:
            self.outbox_status.send_now()

    # --- tabs --------------------------------------------------------------------------
    def _tab(self, name: str) -> QWidget:
        return self.shelf.get(name)

    @property
    def today_tab(self) -> TodayTab:
        return cast("TodayTab", self._tab("today"))

    @property
    def register_tab(self) -> RegisterTab:
        return cast("RegisterTab", self._tab("register"))

    @property
    def calls_tab(self) -> CallsTab:
        return cast("CallsTab", self._tab("calls"))

    @property
    def inbox_tab(self) -> InboxTab:
        return cast("InboxTab", self._tab("inbox"))

    @property
    def safeguarding_tab(self) -> SafeguardingTab:
        return cast("SafeguardingTab", self._tab("safeguarding"))

    @property
    def letters_tab(self) -> LettersTab:
        return cast("LettersTab", self._tab("letters"))

    @property
    def pupils_tab(self) -> PupilsTab:
        return cast("PupilsTab", self._tab("pupils"))

    @property
    def reports_tab(self) -> ReportsTab:
        return cast("ReportsTab", self._tab("reports"))

    @property
    def settings_tab(self) -> SettingsTab:
        return cast("SettingsTab", self._tab("settings"))

    def say(self, text: str) -> None:
        """A message in the status bar for a while (an import's, a report's)."""
        self.statusBar().showMessage(text, 15000)

    def _built(self, name: str) -> bool:
        return self.shelf.built_tab(name) is not None

    def show_tab(self, name: str) -> QWidget:
        """Bring the tab called `name` (one of `TAB_NAMES`) to the front and return it."""
        if name not in TAB_NAMES:
            raise ValueError(f"there is no '{name}' tab; choose one of {', '.join(TAB_NAMES)}")
        self.tabs.setCurrentIndex(TAB_NAMES.index(name))  # built, if new, once in front
        return self._tab(name)

    def current_tab_name(self) -> str:
        return self.shelf.current_name()

    def set_count(self, name: str, count: int) -> None:
        """The tab called `name` titled with how many wait there (none: just its title)."""
        title = dict(TABS)[name]
        self.tabs.setTabText(TAB_NAMES.index(name), f"{title} ({count})" if count else title)

    def open_calls_for(self, pupil_id: int) -> None:
        """The Calls panel with this child's calls on screen (from the Today worklist)."""
        self.show_tab("calls")
        if not self.calls_tab.select_pupil(pupil_id):
            self.statusBar().showMessage("That call is no longer due: the list has changed.", 8000)

    def open_check_for(self, pupil_id: int) -> None:
        """The Safe and well tab on this child, their check open for the DSL (from Today)."""
        self.show_tab("safeguarding")
        self.safeguarding_tab.open_for(pupil_id)

    def open_pupil(self, pupil_id: int) -> None:
        """Show one pupil's file (from a list elsewhere)."""
        self.show_tab("pupils")
        if not self.pupils_tab.select_pupil(pupil_id):
            self.pupils_tab.search_edit.clear()  # a search may hide them: show everyone
            self.pupils_tab.refresh()
            self.pupils_tab.select_pupil(pupil_id)

    def find_pupil(self) -> None:
        self.show_tab("pupils")
        self.pupils_tab.focus_search()

    # --- refreshing --------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the current tab and the title: another office PC may have changed them."""
        name = self.current_tab_name()
        if name == "pupils":
            self.pupils_tab.refresh()
        elif name == "calls":
            self.calls_tab.reload()
        elif name == "register":
            register = self.register_tab
            if not register.has_unsaved() or register.confirm_discard():
                register.reload()
        elif name in ("inbox", "today", "safeguarding", "reports"):
            getattr(self, f"{name}_tab").reload()
        self.refresh_title()

    def refresh_title(self) -> None:
        school = read(self._factory, pupil_directory.school_title)
        self.setWindowTitle(f"{APP_NAME} — {school}" if school else APP_NAME)

    def data_changed(self) -> None:
        """New pupils (demo or import): every tab that lists them loads again."""
        self.refresh_title()
        if self._built("register"):
            self.register_tab.refresh_choices()
        self.changes.announce(*EVERYTHING)

    def pupils_changed(self) -> None:
        """Pupils came in or left the roll (an import, an admission, a removal)."""
        if self._built("pupils"):
            self.pupils_tab.refresh()
        self.data_changed()

    def show_unexported(self) -> None:
        self.status_line.show_unexported()

    def show_user(self) -> None:
        self.status_line.show_user()

    # --- the database ------------------------------------------------------------------
    def restore_database(self, backup_file: Path) -> Path | None:
        """Put a checked backup in place of this window's database file (see `Backups`)."""
        return self.backups.restore(backup_file)

    # --- who is working ---------------------------------------------------------------
    def lock(self) -> None:
        """Hide everything behind the login; unsaved work stays in the window."""
        if self.isHidden() or not acting_user_id() or self._locked:
            return  # closed, nobody logged in, or the login is on screen already
        from attendance_desk.ui.access.login_dialog import LoginDialog

        self._locked = True
        self.idle.pause()  # one login at a time, however long it stays up
        self.tabs.setVisible(False)
        dialog = LoginDialog(
            self._factory,
            datetime.now,
            parent=self,
            hint="The screen was locked. Log in to carry on; nothing has been lost.",
        )
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self._locked = False
        if accepted and dialog.user_id is not None:
            someone_else = dialog.user_id != acting_user_id()
            set_acting_user(dialog.user_id)
            self.show_user()
            register = self.shelf.built_tab("register")
            if someone_else and register is not None and not self.register_tab.has_unsaved():
                self.register_tab.refresh_choices()  # a class teacher gets their own classes
            self.tabs.setVisible(True)
            self.idle.restart()
            self.changes.announce(*EVERYTHING)  # catch up quietly: unsaved edits are kept
        elif not self.close():  # closing was cancelled (unsaved work): lock again
            self.lock()

    def change_password(self) -> None:
        from attendance_desk.ui.access.login_dialog import ChangePasswordDialog

        ChangePasswordDialog(self._factory, datetime.now, self).exec()

    # --- help and closing --------------------------------------------------------------
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
        if self._built("register") and self.register_tab.has_unsaved():
            self.show_tab("register")
            if not self.register_tab.confirm_discard():
                event.ignore()
                return
        if self._built("letters") and self.letters_tab.template_editor.is_dirty():
            self.show_tab("letters")
            self.letters_tab.pages.setCurrentWidget(self.letters_tab.template_editor)
            if not self.letters_tab.template_editor.confirm_leave():
                event.ignore()
                return
        if self._built("pupils"):
            self.pupils_tab.cancel_demo()
        self._steps.clear()  # closed before it finished starting: start nothing more
        self.outbox_status.stop()
        if self.inbox_fetcher is not None:
            self.inbox_fetcher.stop()
        window_memory.save_window(self)
        if self.instance_lock is not None:
            self.instance_lock.release()
        event.accept()
