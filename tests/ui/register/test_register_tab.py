"""The register grid driven by real key presses: take, save, reopen, amend, undo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.auth import office_user
from attendance_desk.models import Mark, Pupil, User
from attendance_desk.register.marks import MarkEdit, save_marks
from attendance_desk.register.sheet import mark_history
from attendance_desk.store.db import Location, open_database, transaction
from attendance_desk.ui.register.register_model import RegisterModel
from attendance_desk.ui.register.register_tab import RegisterTab
from tests.helpers.builders import add_pupil, add_staff, build_school, mark_days
from tests.helpers.modal import answering

MON = date(2025, 9, 8)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def pupils(session: Session) -> list[int]:
    _, user = build_school(session)
    ids = [
        add_pupil(session, n, surname=s).id for n, s in ((1, "Adams"), (2, "Brown"), (3, "Clark"))
    ]
    session.commit()
    return ids


def open_tab(qtbot: QtBot, factory: sessionmaker[Session], clock: Clock) -> RegisterTab:
    tab = RegisterTab(factory, clock)
    qtbot.addWidget(tab)
    tab.resize(1200, 500)
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)  # shortcuts reach only the active window
    return tab


def codes_in(session: Session) -> dict[tuple[int, str], str]:
    return {(m.pupil_id, m.session): m.code for m in session.scalars(select(Mark))}


def type_reason(qtbot: QtBot, text: str) -> Callable[[QInputDialog], None]:
    """An answer for `answering`: type `text` into the input dialog and press Enter."""

    def fill(dialog: QInputDialog) -> None:
        dialog.setTextValue(text)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    return fill


def test_opens_on_todays_session(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int]
) -> None:
    """At 08:55 on Monday the grid opens on Monday AM, first pupil."""
    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 8, 55)))
    assert tab.model.slot_at(tab.grid.currentIndex().column()) == (MON, "AM")
    assert tab.grid.currentIndex().row() == 0


def test_type_codes_save_and_reopen(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int], session: Session
) -> None:
    """Typing / N / moves down the column; Ctrl+S saves; a new tab shows the same marks."""
    clock = Clock(datetime(2025, 9, 8, 8, 55))
    tab = open_tab(qtbot, factory, clock)
    for key in "/n/":
        qtbot.keyClicks(tab.grid, key)
    assert tab.model.pending_count() == 3
    assert "3 unsaved changes" in tab.pending_label.text()
    qtbot.keyClick(tab.grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert tab.model.pending_count() == 0
    assert codes_in(session) == {
        (pupils[0], "AM"): "/",
        (pupils[1], "AM"): "N",
        (pupils[2], "AM"): "/",
    }
    again = open_tab(qtbot, factory, clock)
    column = again.model.slot_column((MON, "AM"))
    assert [again.model.index(r, column).data() for r in range(3)] == ["/", "N", "/"]


def test_unknown_code_is_refused_with_the_list(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int]
) -> None:
    """H is not a 2024 code: nothing is entered and the valid codes are listed."""
    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 8, 55)))
    qtbot.keyClicks(tab.grid, "h")
    assert tab.model.pending_count() == 0
    assert "'H' is not an attendance code" in tab.status.text()
    assert "Y7" in tab.status.text()


def test_a_valid_code_after_a_refusal_clears_it(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int]
) -> None:
    """H is refused in red; the / typed next goes in and the refusal leaves the status line."""
    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 8, 55)))
    normal = tab.status.text()
    qtbot.keyClicks(tab.grid, "h")
    assert "not an attendance code" in tab.status.text()
    qtbot.keyClicks(tab.grid, "/")
    assert tab.model.pending_count() == 1
    assert tab.status.text() == normal and "not an attendance code" not in normal
    assert tab.status.styleSheet() == ""


def test_year_to_date_sits_beside_the_week(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, pupils: list[int]
) -> None:
    """On Monday morning the week's % is a dash, the year's shows last week's attendance."""
    marks = {(date(2025, 9, d), s): "/" for d in (3, 4, 5) for s in ("AM", "PM")}
    marks[(date(2025, 9, 5), "PM")] = "O"
    adams = session.get(Pupil, pupils[0])
    mark_days(session, adams, office_user(session), marks)
    session.commit()
    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 8, 55)))
    model = tab.model
    assert model.headerData(model.totals_column(), Qt.Orientation.Horizontal, 0) == "Week\n%"
    assert model.headerData(model.year_column(), Qt.Orientation.Horizontal, 0) == "Year\n%"
    assert model.index(0, model.totals_column()).data() == "—"
    assert model.index(0, model.year_column()).data() == "83.3"  # 5 of 6 sessions


def test_the_sessions_share_the_grid_width(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int]
) -> None:
    """No empty third of the grid: the columns fill the view's width."""
    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 8, 55)))
    grid = tab.grid
    used = sum(grid.columnWidth(c) for c in range(tab.model.columnCount()))
    assert used >= grid.viewport().width() - 2


def test_two_character_code_and_reason(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int]
) -> None:
    """Y then 7 asks for the reason Y7 needs, and enters it with the code."""
    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 8, 55)))
    with answering(qtbot, QInputDialog, type_reason(qtbot, "flooded road")):
        qtbot.keyClicks(tab.grid, "y7")
    qtbot.waitUntil(lambda: tab.model.pending_count() == 1)
    (edit,) = tab.model.pending_edits()
    assert (edit.code, edit.code_reason) == ("Y7", "flooded road")


def test_all_unmarked_present_and_undo(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int]
) -> None:
    """Ctrl+P fills the rest of the session with /; Ctrl+Z takes it back."""
    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 8, 55)))
    qtbot.keyClicks(tab.grid, "n")
    qtbot.keyClick(tab.grid, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert sorted(e.code for e in tab.model.pending_edits()) == ["/", "/", "N"]
    qtbot.keyClick(tab.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [e.code for e in tab.model.pending_edits()] == ["N"]


def test_selection_takes_one_code(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int]
) -> None:
    """Selecting a block and typing V puts V in every selected cell."""
    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 14, 0)))
    am, pm = tab.model.slot_column((MON, "AM")), tab.model.slot_column((MON, "PM"))
    selection = tab.grid.selectionModel()
    selection.select(tab.model.index(0, am), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    for r, c in ((0, pm), (1, am), (1, pm)):
        selection.select(tab.model.index(r, c), QItemSelectionModel.SelectionFlag.Select)
    qtbot.keyClicks(tab.grid, "v")
    assert [e.code for e in tab.model.pending_edits()] == ["V"] * 4


def test_amendment_after_close_asks_reason(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int], session: Session
) -> None:
    """At 09:30 changing a saved N to I asks for a reason and stores the history."""
    mark_days(session, session.get(Pupil, pupils[0]), office_user(session), {(MON, "AM"): "N"})
    session.commit()
    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 9, 30)))
    assert tab.grid.currentIndex().row() == 0
    qtbot.keyClicks(tab.grid, "i")
    with answering(qtbot, QInputDialog, type_reason(qtbot, "Dad rang at 09:20: ill")):
        qtbot.keyClick(tab.grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tab.model.pending_count() == 0)
    (entry,) = mark_history(session, pupils[0])
    assert (entry.old_code, entry.new_code, entry.reason) == ("N", "I", "Dad rang at 09:20: ill")
    column = tab.model.slot_column((MON, "AM"))
    assert tab.model.index(0, column).data(RegisterModel.AmendedRole)
    assert "Dad rang" in tab.model.index(0, column).data(Qt.ItemDataRole.ToolTipRole)


def test_future_and_off_roll_cells_take_nothing(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int]
) -> None:
    """Tuesday's cells on Monday are disabled, so a typed code enters nothing."""
    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 8, 55)))
    tuesday = tab.model.slot_column((date(2025, 9, 9), "AM"))
    assert not tab.model.flags(tab.model.index(0, tuesday)) & Qt.ItemFlag.ItemIsEnabled
    for _ in range(3):  # arrow right from Monday AM past Monday PM: never onto Tuesday
        qtbot.keyClick(tab.grid, Qt.Key.Key_Right)
        assert tab.grid.currentIndex().column() != tuesday
    assert tab.model.apply_code([tab.model.index(0, tuesday)], "/") == 0
    assert tab.model.pending_count() == 0


def test_parent_report_is_proposed_in_the_grid(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int], session: Session
) -> None:
    """A report logged on Friday for Monday shows Monday's cells filled, unsaved, to check."""
    from attendance_desk.desk.absence_reports import log_report

    log_report(
        session,
        pupil_id=pupils[1],
        start=MON,
        end=MON,
        code="M",
        reason="orthodontist",
        reported_by="Dad",
        channel="email",
        user=office_user(session),
        now=datetime(2025, 9, 5, 15),
    )
    session.commit()
    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 8, 50)))
    column = tab.model.slot_column((MON, "AM"))
    assert tab.model.index(1, column).data() == "M"
    assert tab.model.index(1, column).data(RegisterModel.PendingRole)
    assert "filled from parents' reports" in tab.status.text()
    qtbot.keyClick(tab.grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert codes_in(session)[(pupils[1], "AM")] == "M"


def test_cancelling_a_week_change_keeps_the_edits_and_the_toolbar(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int]
) -> None:
    """Next week with unsaved edits asks (in the singular for one); Cancel keeps the edits."""
    from PySide6.QtWidgets import QMessageBox

    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 8, 55)))
    qtbot.keyClicks(tab.grid, "/")
    asked: list[str] = []

    def cancel(box: QMessageBox) -> None:
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    with answering(qtbot, QMessageBox, cancel):
        qtbot.keyClick(tab.grid, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert asked == ["1 register change is not saved. Save it now?"]
    assert tab.model.pending_count() == 1
    assert tab.week() == MON
    tab.model.set_sheet(tab.model.sheet)  # discard, so closing asks nothing


def test_slash_typed_in_an_afternoon_cell_is_saved_as_a_backslash(
    qtbot: QtBot, factory: sessionmaker[Session], pupils: list[int], session: Session
) -> None:
    """At 12:50 the grid is on Monday PM: "/" typed there shows, saves and reads back as
    "\\", Present (PM)."""
    tab = open_tab(qtbot, factory, Clock(datetime(2025, 9, 8, 12, 50)))
    column = tab.model.slot_column((MON, "PM"))
    assert tab.grid.currentIndex().column() == column
    qtbot.keyClicks(tab.grid, "/")
    cell = tab.model.index(0, column)
    assert cell.data() == "\\"
    assert "Present (PM)" in cell.data(Qt.ItemDataRole.ToolTipRole)
    qtbot.keyClick(tab.grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert codes_in(session) == {(pupils[0], "PM"): "\\"}
    tooltip = tab.model.index(0, column).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("\\: Present (PM)") and "(AM)" not in tooltip


def test_two_pcs_saving_the_empty_session_at_once(
    qtbot: QtBot, factory: sessionmaker[Session], db_path: Location, session: Session
) -> None:
    """This PC types N and / into the empty session; the other PC's save lands between this
    save's check and its write. Ctrl+S shows "changed by Reception at 08:55", keeps nothing
    of this PC's edits, and the grid reloads with the other PC's mark."""
    build_school(session)
    amy = add_pupil(session, 1, surname="Adams").id
    add_pupil(session, 2, surname="Brown")
    staff = add_staff(session, pat="admin", reception="receptionist")
    session.commit()
    this_pc = open_database(db_path)
    tab = open_tab(qtbot, this_pc, Clock(datetime(2025, 9, 8, 8, 56)))
    qtbot.keyClicks(tab.grid, "n/")
    assert tab.model.pending_count() == 2

    def other_pc_saves(*_args: object) -> None:
        with transaction(factory) as other:
            save_marks(
                other,
                user=other.get(User, staff["reception"].id),  # type: ignore[arg-type]
                now=datetime(2025, 9, 8, 8, 55),
                edits=[MarkEdit(amy, MON, "AM", "/", None)],
            )

    event.listen(this_pc, "before_flush", other_pc_saves, once=True)
    seen: list[str] = []

    def read_and_close(box: QMessageBox) -> None:
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    try:
        with answering(qtbot, QMessageBox, read_and_close):
            qtbot.keyClick(tab.grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert len(seen) == 1 and "changed by Reception at 08:55" in seen[0]
        assert tab.model.pending_count() == 0
        column = tab.model.slot_column((MON, "AM"))
        assert [tab.model.index(r, column).data() for r in range(2)] == ["/", ""]
        session.expire_all()
        assert codes_in(session) == {(amy, "AM"): "/"}
    finally:
        this_pc.kw["bind"].dispose()
