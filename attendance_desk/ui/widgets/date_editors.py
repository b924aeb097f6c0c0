"""Date editors that read and show dates the UK way (07/12/2026), from one place.

Every QDateEdit and QDateTimeEdit is made here, so none falls back to the system's format
(an office PC set to another language, or a server with none, shows "7 12 2026").
`use_uk_locale` also makes British English Qt's default: calendars start on Monday and
Qt's own dialogs write dates as the office does.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import cast

from PySide6.QtCore import QDate, QDateTime, QLocale
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QTimeEdit, QWidget

from attendance_desk.uk_dates import EDITOR_FORMAT, EDITOR_TIME_FORMAT

UK = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
#: For the few places Qt itself writes a month's name (a chart's date axis, the register's
#: week box): its short names ("Sep") are those `uk_dates` writes, where British English
#: would say "Sept", so a screen never shows both.
MONTH_NAMES = QLocale.c()


def use_uk_locale() -> None:
    """British English for every widget made from now on."""
    QLocale.setDefault(UK)


def date_edit(
    day: date | None = None, *, name: str = "", popup: bool = True, parent: QWidget | None = None
) -> QDateEdit:
    """A date editor showing DD/MM/YYYY, with a Monday-first calendar to pick from."""
    edit = QDateEdit(parent)
    edit.setLocale(UK)
    edit.setDisplayFormat(EDITOR_FORMAT)
    edit.setCalendarPopup(popup)
    if day is not None:
        edit.setDate(QDate(day.year, day.month, day.day))
    if name:
        edit.setAccessibleName(name)
    return edit


def picked_date(edit: QDateEdit) -> date:
    """The date an editor shows, as Python's (the stubs type `toPython` as any object)."""
    return cast(date, edit.date().toPython())


def picked_moment(edit: QDateTimeEdit) -> datetime:
    """The date and time an editor shows, as Python's."""
    return cast(datetime, edit.dateTime().toPython())


def picked_time(edit: QTimeEdit) -> time:
    """The time of day an editor shows, as Python's."""
    return cast(time, edit.time().toPython())


def datetime_edit(moment: datetime | None = None, *, name: str = "") -> QDateTimeEdit:
    """A date-and-time editor showing DD/MM/YYYY HH:MM."""
    edit = QDateTimeEdit()
    edit.setLocale(UK)
    edit.setDisplayFormat(EDITOR_TIME_FORMAT)
    edit.setCalendarPopup(True)
    if moment is not None:
        edit.setDateTime(QDateTime(moment))
    if name:
        edit.setAccessibleName(name)
    return edit
