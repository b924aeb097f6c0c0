"""How the Today list makes an overdue action stand out, whoever the child is.

At-risk children's rows are written in red; an action whose due day has passed gets its
Due cell filled amber with the words "N school days overdue" and set in bold, so it is
seen even in a long list and without relying on colour alone. A weekend or holiday does not
make anything overdue: only school days passed since the due day count.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTreeWidgetItem

from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.uk_dates import day_text
from attendance_desk.wording import plural

OVERDUE_FILL = QColor("#fbd9a5")
OVERDUE_TEXT = QColor("#6b3a00")


def school_days_late(calendar: SchoolCalendar, due: date, today: date) -> int:
    """School days since `due` up to and including `today` (0 when not yet overdue)."""
    if due >= today:
        return 0
    return calendar.count_school_days(due + timedelta(days=1), today)


def due_text(due: date, late: int) -> str:
    """`Fri 27 Nov 2026`, or `Fri 27 Nov 2026 · 6 school days overdue`."""
    if not late:
        return day_text(due)
    return f"{day_text(due)} · {plural(late, 'school day')} overdue"


def mark_overdue(item: QTreeWidgetItem, column: int) -> None:
    """Fill and embolden the Due cell of an overdue action."""
    item.setBackground(column, QBrush(OVERDUE_FILL))
    item.setForeground(column, QBrush(OVERDUE_TEXT))
    font = QFont(item.font(column))
    font.setBold(True)
    item.setFont(column, font)
