"""Connecting each tab to the window once it is built: its count in its title, what it opens
elsewhere (Today opens Calls, a check, the letters), and the kinds of data it shows, so it
reloads when they change (see `operations/catch_up.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from attendance_desk.ui.operations.catch_up import WORKLIST, Listener
from attendance_desk.ui.operations.changes import Change

if TYPE_CHECKING:
    from attendance_desk.ui.main_window import MainWindow

M, P = Change.MARKS, Change.PUPILS


def wire(window: MainWindow, name: str) -> None:
    """Connect the tab called `name`, just built, to `window`."""
    listen = window.catch_up.listen
    if name == "today":
        today = window.today_tab
        today.counts_changed.connect(lambda count: window.set_count("today", count))
        today.open_calls.connect(window.open_calls_for)
        today.open_check.connect(window.open_check_for)
        today.open_n_codes.connect(window.dialogs.n_codes)
        today.open_letters.connect(lambda: window.show_tab("letters"))
        # Today and Calls from one working-out of the worklist, their counts in the titles.
        listen(Listener(today, WORKLIST, lambda: reload_worklists(window), True, False))
        window.set_count("today", len(today.visible_actions()))
    elif name == "calls":
        calls = window.calls_tab
        calls.count_changed.connect(lambda count: window.set_count("calls", count))
        window.set_count("calls", calls.waiting)
    elif name == "inbox":
        inbox = window.inbox_tab
        inbox.count_changed.connect(lambda count: window.set_count("inbox", count))
        # its count is in its title; a lock and a new login change who may read it
        listen(Listener(inbox, frozenset({P, Change.INBOX}), inbox.reload, True))
        window.set_count("inbox", inbox.waiting)
    elif name == "register":
        listen(Listener(window.register_tab, frozenset({M, P}), lambda: reload_register(window)))
    elif name == "safeguarding":
        tab = window.safeguarding_tab
        listen(Listener(tab, WORKLIST - {Change.LETTERS}, tab.reload))
    elif name == "letters":
        letters = window.letters_tab
        kinds = frozenset({M, P, Change.LETTERS, Change.ACTIONS})
        listen(
            Listener(letters, kinds, lambda: letters.due_panel.reload(pupils=window.changes.pupils))
        )
    elif name == "pupils":
        _wire_pupils(window)
    elif name == "reports":
        window.reports_tab.open_pupil.connect(window.open_pupil)
        window.reports_tab.message.connect(window.say)
    elif name == "settings" and window.sending:
        # messages waiting for Settings → Messaging, or the summary email, go at once
        for asked in (window.settings_tab.summary_button, window.settings_tab.save_button):
            asked.clicked.connect(window.outbox_status.send_now)


def _wire_pupils(window: MainWindow) -> None:
    pupils = window.pupils_tab
    window.catch_up.listen(Listener(pupils, frozenset({M, P}), pupils.reload))
    pupils.data_changed.connect(window.data_changed)
    pupils.table.doubleClicked.connect(lambda _index: window.dialogs.pupil_file())
    # the first-start panel's import button opens the wizard, as File → Import does
    pupils.first_start.import_requested.connect(window.dialogs.import_wizard)
    pupils.message.connect(window.say)


def reload_worklists(window: MainWindow) -> None:
    """Today's list worked out again (only the pupils a change touched, when known), and
    Calls from it when that tab is built."""
    window.today_tab.reload(pupils=window.changes.pupils)
    if window.shelf.built_tab("calls") is not None:
        window.calls_tab.reload(window.today_tab.worklist)


def reload_register(window: MainWindow) -> None:
    """Catch up with marks saved elsewhere, but never over unsaved edits."""
    if not window.register_tab.has_unsaved():
        window.register_tab.reload()
