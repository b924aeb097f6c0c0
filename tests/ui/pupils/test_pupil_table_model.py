"""The pupil table model on its own: columns, raw sort values, persistent-absence colour."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from attendance_desk.pupils.directory import ContactRow, PupilRow
from attendance_desk.ui.pupils.pupil_table_model import (
    PERSISTENT_BACKGROUND,
    SEVERE_BACKGROUND,
    Column,
    PupilTableModel,
)

DISPLAY = Qt.ItemDataRole.DisplayRole
SORT = PupilTableModel.SortRole

MUM = ContactRow(1, "Sarah Adams", "Mother", True, "07700 900001", None, False)
ROW = PupilRow(
    pupil_id=1,
    upn="A201200018001",
    name="Amy Adams",
    legal_name="Amelia Adams",
    year_group="R",
    year_name="Reception",
    year_order=2,
    reg_group="Robins",
    date_of_birth=date(2021, 1, 5),
    flags="CP FSM",
    vulnerable=True,
    social_worker=None,
    attendance_pct=96.25,
    persistent=False,
    severe=False,
    contacts=(MUM,),
    open_flags="FSM",
    open_vulnerable=True,
)


@pytest.fixture
def model(qapp: QApplication) -> PupilTableModel:
    model = PupilTableModel()
    model.set_rows(
        [
            ROW,
            replace(ROW, pupil_id=2, name="Ben Brown", legal_name="Ben Brown", upn="B2",
                    year_group="10", year_name="Year 10", year_order=12, reg_group="10X",
                    flags="", vulnerable=False, attendance_pct=89.95, persistent=True),
            replace(ROW, pupil_id=3, name="Cara Clarke", upn="C3", year_group="3",
                    year_order=5, flags="SEN", vulnerable=False, attendance_pct=None),
            replace(ROW, pupil_id=4, name="Dan Dodd", upn="D4", attendance_pct=40.0,
                    persistent=True, severe=True),
        ]
    )  # fmt: skip
    return model


def cell(model: PupilTableModel, row: int, column: Column, role: int = DISPLAY) -> object:
    return model.index(row, column).data(role)


def test_columns_and_headers(model: PupilTableModel):
    """Six columns in order, and rows only at the top level (a table, not a tree)."""
    headers = [model.headerData(c, Qt.Orientation.Horizontal, DISPLAY) for c in Column]
    assert headers == ["Name", "UPN", "Year", "Group", "Flags", "Attendance %"]
    assert (model.rowCount(), model.columnCount()) == (4, 6)
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0


def test_display_text(model: PupilTableModel):
    """A row reads as the office says it; attendance to 1 dp (half up), a dash for none."""
    assert [cell(model, 0, c) for c in Column] == [
        "Amy Adams",
        "A201200018001",
        "R",
        "Robins",
        "Vulnerable CP FSM",
        "96.3%",
    ]
    assert cell(model, 1, Column.ATTENDANCE) == "90.0%"
    assert cell(model, 2, Column.ATTENDANCE) == "—"
    assert cell(model, 0, Column.NAME, Qt.ItemDataRole.ToolTipRole) == "Legal name: Amelia Adams"


def test_sort_role_gives_raw_values(model: PupilTableModel):
    """Sorting uses numbers: the service's name order, NC year order, the exact percentage."""
    assert [cell(model, r, Column.NAME, SORT) for r in range(4)] == [0, 1, 2, 3]
    assert cell(model, 1, Column.YEAR, SORT) == 12
    assert cell(model, 1, Column.ATTENDANCE, SORT) == pytest.approx(89.95)
    assert cell(model, 2, Column.ATTENDANCE, SORT) == -1.0
    assert cell(model, 0, Column.FLAGS, SORT) > cell(model, 2, Column.FLAGS, SORT)


def test_proxy_sorts_years_in_curriculum_order(model: PupilTableModel):
    """Reception sorts before Year 3 and Year 10, not alphabetically after them."""
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT)
    proxy.sort(Column.YEAR, Qt.SortOrder.AscendingOrder)
    years = [proxy.index(r, Column.YEAR).data() for r in range(proxy.rowCount())]
    assert years == ["R", "R", "3", "10"]
    proxy.sort(Column.ATTENDANCE, Qt.SortOrder.AscendingOrder)
    names = [proxy.index(r, Column.NAME).data() for r in range(proxy.rowCount())]
    assert names == ["Cara Clarke", "Dan Dodd", "Ben Brown", "Amy Adams"]


def test_persistent_absence_is_coloured_and_said(model: PupilTableModel):
    """Below 90 % the cell turns red, darker when severe, and says why in words."""
    background = Qt.ItemDataRole.BackgroundRole
    assert cell(model, 0, Column.ATTENDANCE, background) is None
    assert cell(model, 1, Column.ATTENDANCE, background) == PERSISTENT_BACKGROUND
    assert cell(model, 3, Column.ATTENDANCE, background) == SEVERE_BACKGROUND
    assert cell(model, 1, Column.NAME, background) is None
    spoken = cell(model, 1, Column.ATTENDANCE, Qt.ItemDataRole.AccessibleTextRole)
    assert "persistent absence" in str(spoken)
    assert "severe absence" in str(cell(model, 3, Column.ATTENDANCE, Qt.ItemDataRole.ToolTipRole))


def test_flags_explained_in_tooltip(model: PupilTableModel):
    """Hovering the flags spells out each abbreviation."""
    tip = cell(model, 0, Column.FLAGS, Qt.ItemDataRole.ToolTipRole)
    assert tip == "On the vulnerable list\nChild protection plan\nFree school meals"
    assert cell(model, 1, Column.FLAGS, Qt.ItemDataRole.ToolTipRole) is None


def test_set_rows_resets_the_model(qtbot: QtBot, model: PupilTableModel):
    """New rows replace the old ones with one reset, and carry the pupil id."""
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset]):
        model.set_rows([replace(ROW, pupil_id=9)])
    assert model.rowCount() == 1
    assert cell(model, 0, Column.UPN, PupilTableModel.PupilIdRole) == 9
    assert model.data(QModelIndex()) is None
