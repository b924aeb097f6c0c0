"""The welcome wizard's calendar pages: the year's term dates and the register times.

Both start from the typical values `school_profile` drafts and are checked by the wizard's
dry run, like the other pages.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from attendance_desk.school import profile as school_profile
from attendance_desk.school.calendar import Period
from attendance_desk.school.profile import PhaseTimes
from attendance_desk.school.register_times import Window
from attendance_desk.school.term_dates import academic_year_name
from attendance_desk.ui.school.welcome_pages import WARNING, ProfilePage, wrapped
from attendance_desk.ui.widgets.date_editors import date_edit
from attendance_desk.ui.widgets.style import muted
from attendance_desk.uk_dates import day_text, full_day


class DateDelegate(QStyledItemDelegate):
    """Dates as "Mon 1 Sep 2025", edited as 01/09/2025 with a calendar to pick from."""

    def displayText(self, value: object, locale: object) -> str:  # noqa: N802 (Qt override)
        if isinstance(value, QDate):
            value = value.toPython()
        if isinstance(value, date):
            return day_text(value)
        return super().displayText(value, locale)  # type: ignore[arg-type]

    def createEditor(self, parent: QWidget, option: object, index: object) -> QWidget:  # noqa: N802
        return date_edit(parent=parent)


def _date_item(day: date) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setData(Qt.ItemDataRole.EditRole, QDate(day))
    return item


class PeriodTable(QTableWidget):
    """Named date ranges (half-terms or closures); dates edit with a date box (F2)."""

    def __init__(self, what: str, name: str) -> None:
        super().__init__(0, 3)
        self.what = what
        self.setObjectName(name)
        self.setAccessibleName(what)
        self.setHorizontalHeaderLabels([what, "First day", "Last day"])
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)  # Tab leaves the table, as in the rest of the wizard
        self._dates = DateDelegate(self)
        for column in (1, 2):
            self.setItemDelegateForColumn(column, self._dates)
            self.setColumnWidth(column, 130)

    def set_periods(self, periods: tuple[Period, ...]) -> None:
        self.setRowCount(0)
        for period in periods:
            self.add(period)

    def add(self, period: Period) -> None:
        row = self.rowCount()
        self.insertRow(row)
        self.setItem(row, 0, QTableWidgetItem(period.name))
        self.setItem(row, 1, _date_item(period.start))
        self.setItem(row, 2, _date_item(period.end))

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        """A cell's item (every row is added with all three)."""
        item = self.item(row, column)
        assert item is not None, f"row {row} has no column {column}"
        return item

    def periods(self) -> tuple[Period, ...]:
        """The rows as periods; `ValueError` names the row that does not make sense."""
        out = []
        for row in range(self.rowCount()):
            name = self._cell(row, 0).text().strip()
            start, end = (
                self._cell(row, c).data(Qt.ItemDataRole.EditRole).toPython() for c in (1, 2)
            )
            if end < start:
                raise ValueError(
                    f"{self.what} '{name or row + 1}' ends ({full_day(end)}) before it starts "
                    f"({full_day(start)})."
                )
            out.append(Period(start, end, name))
        return tuple(sorted(out, key=lambda p: p.start))


class TermsPage(ProfilePage):
    """The year's half-terms and closures, pre-filled, each date editable."""

    def __init__(self) -> None:
        super().__init__(
            "Term dates",
            "A typical England year with its bank holidays. Check it against your local "
            "authority's dates: select a date and press F2 to change it.",
        )
        self.year = QComboBox(accessibleName="Academic year", objectName="academic_year")
        self.terms = PeriodTable("Half-term", "terms_table")
        self.closures = PeriodTable("Closure (INSET day, bank holiday)", "closures_table")
        add = QPushButton("&Add a closure", objectName="add_closure")
        remove = QPushButton("&Remove the chosen closure", objectName="remove_closure")
        add.clicked.connect(self._add_closure)
        remove.clicked.connect(self._remove_closure)
        top = QHBoxLayout()
        top.addWidget(QLabel("Academic &year"))
        top.itemAt(0).widget().setBuddy(self.year)  # type: ignore[union-attr]
        top.addWidget(self.year)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        buttons.addWidget(muted(QLabel("Bank holidays in the school holidays need no closure.")))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.terms, 3)
        layout.addWidget(self.closures, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.year.activated.connect(self._typical_year)

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        profile = self.welcome().profile
        first = profile.terms[0].start.year if profile.terms else date.today().year
        self.year.clear()
        for start_year in (first, first + 1):
            self.year.addItem(academic_year_name(start_year), start_year)
        self.terms.set_periods(profile.terms)
        self.closures.set_periods(profile.closures)
        self.terms.setFocus()

    def _typical_year(self) -> None:
        terms, closures = school_profile.typical_year(int(self.year.currentData()))
        self.terms.set_periods(terms)
        self.closures.set_periods(closures)

    def _add_closure(self) -> None:
        day = self.terms.periods()[0].start if self.terms.rowCount() else date.today()
        self.closures.add(Period(day, day, "Closure"))
        self.closures.setCurrentCell(self.closures.rowCount() - 1, 0)
        self.closures.setFocus()
        if (cell := self.closures.item(self.closures.rowCount() - 1, 0)) is not None:
            self.closures.editItem(cell)

    def _remove_closure(self) -> None:
        if self.closures.currentRow() >= 0:
            self.closures.removeRow(self.closures.currentRow())

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        wizard = self.welcome()
        try:
            terms, closures = self.terms.periods(), self.closures.periods()
        except ValueError as exc:
            self.say(str(exc))
            return False
        wizard.profile = replace(wizard.profile, terms=terms, closures=closures)
        return wizard.verify(self, {"terms"})


def _time_edit(value: object, name: str) -> QTimeEdit:
    edit = QTimeEdit(QTime(value), accessibleName=name)
    edit.setDisplayFormat("HH:mm")
    return edit


class TimesPage(ProfilePage):
    """Register windows by group of years, with a warning for any open past the limit."""

    COLUMNS = ("Morning opens", "Morning closes", "Afternoon opens", "Afternoon closes")

    def __init__(self, longest: int) -> None:
        super().__init__(
            "Register times",
            "The register opens when the session starts. A pupil who arrives after it opens "
            "is late (L); after it closes, U.",
        )
        self.longest = longest
        self.grid = QGridLayout()
        self.rows: list[tuple[str, list[QTimeEdit]]] = []
        self.warning = wrapped("")
        self.warning.setObjectName("times_warning")
        self.warning.setStyleSheet(WARNING)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addWidget(self.warning)
        layout.addStretch(1)
        layout.addWidget(
            muted(wrapped("You can change these later in File → Register times (Ctrl+Shift+T)."))
        )
        layout.addWidget(self.message)
        self._holder = QWidget()  # keeps the previous phase's edits alive until replaced

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        profile = self.welcome().profile
        if [g for g, _ in self.rows] == [t.group for t in profile.times]:
            return  # Back and Next again: keep what was typed
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(self._holder)
        for column, title in enumerate(self.COLUMNS, start=1):
            self.grid.addWidget(muted(QLabel(title)), 0, column)
        self.rows = []
        for row, times in enumerate(profile.times, start=1):
            edits = [
                _time_edit(value, f"{times.label}: {title}")
                for value, title in zip(
                    (times.am.opens, times.am.closes, times.pm.opens, times.pm.closes),
                    self.COLUMNS,
                    strict=True,
                )
            ]
            self.grid.addWidget(QLabel(times.label), row, 0)
            for column, edit in enumerate(edits, start=1):
                self.grid.addWidget(edit, row, column)
                edit.timeChanged.connect(self._warn)
            self.rows.append((times.group, edits))
        self._warn()
        if self.rows:
            self.rows[0][1][0].setFocus()

    def times(self) -> tuple[PhaseTimes, ...]:
        out = []
        for group, edits in self.rows:
            am_open, am_close, pm_open, pm_close = (e.time().toPython() for e in edits)
            out.append(
                PhaseTimes(group, Window("AM", am_open, am_close), Window("PM", pm_open, pm_close))  # type: ignore[arg-type]
            )
        return tuple(out)

    def _warn(self) -> None:
        lines = []
        for times in self.times():
            for label, window in (("morning", times.am), ("afternoon", times.pm)):
                minutes = window.minutes_open()
                if minutes > self.longest:
                    lines.append(
                        f"⚠ {times.label}: the {label} register is open {minutes} minutes; the "
                        f"2024 regulations allow at most {self.longest}."
                    )
        self.warning.setText("\n".join(lines))

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        wizard = self.welcome()
        wizard.profile = replace(wizard.profile, times=self.times())
        return wizard.verify(self, {"register_times"})
