"""What the Pathways page shows of the chosen case: every step so far, and its penalty
notices with the buttons that issue, settle or withdraw one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from attendance_desk.letters.views import CaseView
from attendance_desk.pathway.periods import uk_date
from attendance_desk.uk_dates import day_text

HISTORY_HEADERS = ["Step", "Stage", "Reached", "Done", "Outcome", "Period", "Meeting", "Notes"]


def history_tree() -> QTreeWidget:
    """The case's steps, one row each; the notes take what width is left."""
    tree = QTreeWidget(accessibleName="Case history")
    tree.setHeaderLabels(HISTORY_HEADERS)
    tree.setRootIsDecorated(False)
    for column, width in enumerate((250, 45, 80, 80, 150, 190, 190)):
        tree.setColumnWidth(column, width)
    tree.header().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
    return tree


def fill_history(tree: QTreeWidget, view: CaseView) -> None:
    tree.clear()
    for line in view.steps:
        period = f"{uk_date(line.period[0])} to {uk_date(line.period[1])}" if line.period else ""
        item = QTreeWidgetItem(
            [
                line.label,
                str(line.stage),
                day_text(line.entered_on),
                day_text(line.done_on) if line.done_on else "",
                line.outcome,
                period,
                line.meeting,
                line.notes.replace("\n", " · "),
            ]
        )
        item.setToolTip(7, line.notes)
        tree.addTopLevelItem(item)


def fill_penalties(
    box: QGroupBox,
    rows: QVBoxLayout,
    view: CaseView,
    *,
    issue: Callable[[int], object],
    paid: Callable[[int], object],
    withdraw: Callable[[int], object],
) -> None:
    """Who a notice may be issued to (or why not), and the notices issued; `rows` is empty."""
    box.setVisible(bool(view.penalty_options or view.notices))
    for option in view.penalty_options:
        row = QHBoxLayout()
        row.addWidget(QLabel(f"{option.parent_name}: {option.explanation}", wordWrap=True), 1)
        if option.allowed:
            button = QPushButton(f"Issue to {option.parent_name}…")
            button.clicked.connect(lambda _=False, c=option.contact_id: issue(c))
            row.addWidget(button)
        rows.addLayout(row)
    for notice in view.notices:
        row = QHBoxLayout()
        row.addWidget(
            QLabel(
                f"{day_text(notice.issued_on)} {notice.parent_name}: {notice.amount} "
                f"({notice.rate}), {notice.status}"
            ),
            1,
        )
        if notice.status == "unpaid":
            settled = QPushButton("Paid")
            settled.clicked.connect(lambda _=False, n=notice.notice_id: paid(n))
            gone = QPushButton("Withdraw…")
            gone.clicked.connect(lambda _=False, n=notice.notice_id: withdraw(n))
            row.addWidget(settled)
            row.addWidget(gone)
        rows.addLayout(row)


def clear_layout(layout: QHBoxLayout | QVBoxLayout) -> None:
    """Remove every button, label and row a layout holds (before the next case is shown)."""
    while layout.count():
        child = layout.takeAt(0)
        if child is None:
            continue
        if (widget := child.widget()) is not None:
            widget.deleteLater()
        elif isinstance(inner := child.layout(), QHBoxLayout | QVBoxLayout):
            clear_layout(inner)
