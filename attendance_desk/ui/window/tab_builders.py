"""How each tab is made, importing its module only then (see `tabs.TabShelf`).

A tab's module is the head of a long chain (the Reports tab brings the charts and the
figures, Letters the PDF templates, Settings the importers' fields): importing it here,
inside its builder, keeps that chain out of the window's start.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session, sessionmaker

Builder = Callable[[], QWidget]


def tab_builders(
    factory: sessionmaker[Session],
    today: Callable[[], date],
    now: Callable[[], datetime],
    tab: Callable[[str], QWidget],
) -> dict[str, Builder]:
    """A builder per tab name; `tab(name)` gets another tab (Calls works from Today's list)."""

    def today_tab() -> QWidget:
        from attendance_desk.ui.desk.today_tab import TodayTab

        return TodayTab(factory, now)

    def register() -> QWidget:
        from attendance_desk.ui.register.register_tab import RegisterTab

        return RegisterTab(factory, now)

    def calls() -> QWidget:
        from attendance_desk.ui.desk.calls_tab import CallsTab
        from attendance_desk.ui.desk.today_tab import TodayTab

        worklist = tab("today")
        assert isinstance(worklist, TodayTab)
        return CallsTab(factory, now, worklist.worklist)

    def inbox() -> QWidget:
        from attendance_desk.ui.inbox.inbox_tab import InboxTab

        return InboxTab(factory, now)

    def safeguarding() -> QWidget:
        from attendance_desk.ui.access.acting_user import acting_user
        from attendance_desk.ui.safeguarding.safeguarding_tab import SafeguardingTab

        return SafeguardingTab(factory, now, acting_user)

    def letters() -> QWidget:
        from attendance_desk.ui.letters.letters_tab import LettersTab

        return LettersTab(factory, now)

    def pupils() -> QWidget:
        from attendance_desk.ui.pupils.pupils_tab import PupilsTab

        return PupilsTab(factory, today, now)

    def reports() -> QWidget:
        from attendance_desk.ui.figures.reports_tab import ReportsTab

        return ReportsTab(factory, now)

    def settings() -> QWidget:
        from attendance_desk.ui.school.settings_tab import SettingsTab

        return SettingsTab(factory, now)

    return {
        "today": today_tab,
        "register": register,
        "calls": calls,
        "inbox": inbox,
        "safeguarding": safeguarding,
        "letters": letters,
        "pupils": pupils,
        "reports": reports,
        "settings": settings,
    }
