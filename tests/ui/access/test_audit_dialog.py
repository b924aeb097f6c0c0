"""The audit viewer: filtering by typing, choosing from the lists, exporting, refusing."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access import audit
from attendance_desk.access.permissions import Role
from attendance_desk.models import User
from attendance_desk.store.audit_log import AuditRow
from attendance_desk.ui.access.audit_dialog import AuditDialog, AuditTableModel, Column

NOW = datetime(2025, 9, 12, 15, 0)


@pytest.fixture
def staff(session: Session) -> dict[str, int]:
    """A head, a receptionist and a few days of their audit trail; the users' ids."""
    head = User(username="head", full_name="Helen Head", position="Head", role=Role.HEAD)
    rita = User(
        username="rita", full_name="Rita Reception", position="Office", role=Role.RECEPTIONIST
    )
    session.add_all([head, rita])
    session.flush()
    for user, hour, action, entity in (
        (rita, 9, "sign_in", "pupil"),
        (rita, 10, "amend", "mark"),
        (head, 11, "change", "setting"),
        (head, 12, "login", "user"),
    ):
        audit.record(
            session,
            user=user,
            now=NOW.replace(hour=hour),
            action=action,
            entity=entity,
            entity_id=7,
            old="N",
            new="I",
        )
    session.commit()
    return {"head": head.id, "rita": rita.id}


def open_dialog(qtbot: QtBot, factory: sessionmaker[Session], user_id: int) -> AuditDialog:
    dialog = AuditDialog(factory, lambda: NOW, lambda session: session.get(User, user_id))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def names(dialog: AuditDialog) -> list[str]:
    return [dialog.proxy.index(row, Column.USER).data() for row in range(dialog.proxy.rowCount())]


def test_opens_on_the_last_thirty_days_newest_first(
    qtbot: QtBot, factory: sessionmaker[Session], staff: dict[str, int]
) -> None:
    """The head sees every event, newest first, with readable cells."""
    dialog = open_dialog(qtbot, factory, staff["head"])
    assert dialog.proxy.rowCount() == 4
    first = [dialog.proxy.index(0, c).data() for c in Column]
    assert first == ["Fri 12 Sep 2025 12:00", "Helen Head", "login", "user 7", "new: I; old: N"]
    assert dialog.summary.text() == "4 events."


def test_typing_a_name_filters(
    qtbot: QtBot, factory: sessionmaker[Session], staff: dict[str, int]
) -> None:
    """Typing part of a name narrows the rows once typing pauses; clearing it brings them back."""
    dialog = open_dialog(qtbot, factory, staff["head"])
    qtbot.keyClicks(dialog.who_edit, "recep")
    qtbot.waitUntil(lambda: names(dialog) == ["Rita Reception", "Rita Reception"])
    dialog.who_edit.selectAll()
    qtbot.keyClick(dialog.who_edit, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: dialog.proxy.rowCount() == 4)


def test_choosing_an_action_filters(
    qtbot: QtBot, factory: sessionmaker[Session], staff: dict[str, int]
) -> None:
    """The action list holds the trail's actions; choosing one shows only those events."""
    dialog = open_dialog(qtbot, factory, staff["head"])
    items = [dialog.action_box.itemText(i) for i in range(dialog.action_box.count())]
    assert items == ["Any action", "amend", "change", "login", "sign in"]
    dialog.action_box.setCurrentIndex(1)
    dialog.action_box.activated.emit(1)
    assert [dialog.proxy.index(0, Column.ACTION).data()] == ["amend"]
    assert dialog.proxy.rowCount() == 1


def test_export_writes_the_rows_shown(
    qtbot: QtBot,
    factory: sessionmaker[Session],
    staff: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Export CSV asks for a file and writes the filtered rows; the export is audited."""
    target = tmp_path / "audit.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "CSV files (*.csv)")
    )
    dialog = open_dialog(qtbot, factory, staff["head"])
    qtbot.keyClicks(dialog.who_edit, "rita")
    qtbot.waitUntil(lambda: dialog.proxy.rowCount() == 2)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    with target.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["action"] for r in rows] == ["amend", "sign_in"]
    assert dialog.summary.text() == f"Wrote 2 events to {target}."
    dialog.who_edit.clear()
    dialog.reload()
    assert dialog.proxy.index(0, Column.ACTION).data() == "export"


def test_a_receptionist_is_refused(
    qtbot: QtBot, factory: sessionmaker[Session], staff: dict[str, int]
) -> None:
    """A receptionist sees no rows, the reason, and no way to export."""
    dialog = open_dialog(qtbot, factory, staff["rita"])
    assert dialog.proxy.rowCount() == 0
    assert "cannot do that: it is for Headteacher, Administrator" in dialog.summary.text()
    assert not dialog.export_button.isEnabled()


def test_the_model_sorts_by_the_raw_moment(qtbot: QtBot) -> None:
    """The sort role gives the ISO moment, so dates sort in time order, not by weekday name."""
    model = AuditTableModel()
    model.set_rows([AuditRow(1, NOW, "A", "login", "user", None, "")])
    index = model.index(0, Column.AT)
    assert model.data(index, AuditTableModel.SortRole) == "2025-09-12T15:00:00"
    assert model.data(model.index(0, Column.RECORD)) == "user"
    assert model.rowCount(index) == 0
