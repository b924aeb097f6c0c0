"""The shared table model: rows under fixed headers, shown by a real table view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from attendance_desk.ui.widgets.row_table_model import Index, RowTableModel


@dataclass(frozen=True)
class Visit:
    name: str
    minutes: int


class VisitModel(RowTableModel[Visit]):
    """The smallest table on the base: only what a cell shows."""

    def __init__(self) -> None:
        super().__init__(["Name", "Minutes"], ["Who came", None])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        visit = self.row_at(index.row())
        return visit.name if index.column() == 0 else str(visit.minutes)


def test_rows_headers_and_tips_reach_a_table_view(qtbot: QtBot) -> None:
    """Set rows show in a view under the headers; a header's tooltip only where one is given;
    setting rows again replaces them (the view is told), and nothing hangs below a row."""
    model = VisitModel()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    assert (model.rowCount(), model.columnCount()) == (0, 2)

    with qtbot.waitSignal(model.modelReset, timeout=1000):
        model.set_rows([Visit("Amy", 5), Visit("Ben", 12)])
    view.show()
    assert view.model().index(1, 1).data() == "12"
    assert model.row_at(0) == Visit("Amy", 5) and model.rows() == [
        Visit("Amy", 5),
        Visit("Ben", 12),
    ]
    header = view.horizontalHeader().model()
    horizontal = Qt.Orientation.Horizontal
    assert [header.headerData(c, horizontal) for c in range(2)] == ["Name", "Minutes"]
    assert model.headerData(0, horizontal, Qt.ItemDataRole.ToolTipRole) == "Who came"
    assert model.headerData(1, horizontal, Qt.ItemDataRole.ToolTipRole) is None
    assert model.headerData(2, horizontal) is None  # past the last column
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.rowCount(model.index(0, 0)) == model.columnCount(model.index(0, 0)) == 0

    model.set_rows([Visit("Cal", 1)])
    assert model.rowCount() == view.model().rowCount(QModelIndex()) == 1
    assert model.index(0, 0).data() == "Cal"
