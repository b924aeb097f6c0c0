"""Signing out and back in at the desk changes the on-site list and the evacuation PDF."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk import cli
from attendance_desk.store.db import Location
from attendance_desk.ui.desk.on_site_dialog import OnSiteDialog
from tests.helpers.builders import add_pupil, add_staff, build_school, mark_days
from tests.helpers.cli import log_in_as
from tests.printing.pdftext import pages

MON = date(2025, 9, 8)


def test_sign_out_and_back(qtbot: QtBot, factory: sessionmaker[Session], session: Session) -> None:
    """Amy leaves for the dentist: she drops off the list and the PDF lists her as out."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    ben = add_pupil(session, 2, surname="Baker", forename="Ben")
    mark_days(session, amy, user, {(MON, "AM"): "/"})
    mark_days(session, ben, user, {(MON, "AM"): "L"})
    session.commit()
    clock = {"now": datetime(2025, 9, 8, 10, 30)}
    dialog = OnSiteDialog(factory, lambda: clock["now"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.summary.text() == "On site at 10:30: 2 pupils in 1 group"
    qtbot.keyClicks(dialog.name_edit, "amy")
    qtbot.keyClicks(dialog.reason_edit, "dentist")
    qtbot.keyClicks(dialog.collected_edit, "Mum")
    qtbot.mouseClick(dialog.out_button, Qt.MouseButton.LeftButton)
    assert "Amy Adams signed out at 10:30" in dialog.message.text()
    assert dialog.summary.text().startswith("On site at 10:30: 1 pupil ")
    text = "".join(pages(dialog.evacuation_pdf()))
    assert "Signed out" in text and "dentist" in text
    clock["now"] = datetime(2025, 9, 8, 11, 45)
    dialog.out_list.setCurrentRow(0)
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text().startswith("On site at 11:45: 2 pupils")


def test_dialog_pdf_and_json_agree_before_a_register_is_taken(
    qtbot: QtBot,
    factory: sessionmaker[Session],
    session: Session,
    db_path: Location,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """09:30 with 3A's register taken and 1B's not: the dialog warns about 1B and lists its
    children "register not taken"; the printed list and `on-site --json` say the same."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    ben = add_pupil(session, 2, surname="Baker", forename="Ben")
    add_pupil(session, 3, surname="Das", forename="Dev", year="1", group="1B")
    add_pupil(session, 4, surname="Ellis", forename="Eve", year="1", group="1B")
    mark_days(session, amy, user, {(MON, "AM"): "L"})
    mark_days(session, ben, user, {(MON, "AM"): "N"})
    add_staff(session, pat="admin", rita="receptionist")
    session.commit()
    log_in_as(monkeypatch, "rita")
    dialog = OnSiteDialog(factory, lambda: datetime(2025, 9, 8, 9, 30))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.summary.text() == "On site at 09:30: 3 pupils in 2 groups"
    assert dialog.warning.isVisible() and "Register not taken yet: 1B." in dialog.warning.text()
    shown = {
        dialog.tree.topLevelItem(i).text(0): [
            (item.text(0), item.text(1))
            for item in (
                dialog.tree.topLevelItem(i).child(j)
                for j in range(dialog.tree.topLevelItem(i).childCount())
            )
        ]
        for i in range(dialog.tree.topLevelItemCount())
    }
    assert shown == {
        "1B — 2 on site · register not taken": [
            ("Dev Das", "register not taken"),
            ("Eve Ellis", "register not taken"),
        ],
        "3A — 1 on site": [("Amy Adams", "late")],
    }
    printed = " ".join(" ".join(pages(dialog.evacuation_pdf())).split())
    assert "On site at 09:30: 3 pupils in 2 groups" in printed
    assert "Register not taken yet: 1B." in printed
    assert "1B — 2 on site · register not taken" in printed
    assert "Dev Das register not taken" in printed and "Eve Ellis register not taken" in printed
    assert "Amy Adams late L" in printed and "Ben Baker" not in printed
    assert cli.main(["--db", str(db_path), "on-site", "--at", "2025-09-08T09:30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["total"], out["not_taken"]) == (3, ["1B"])
    assert {g["group"]: [(p["name"], p["status"]) for p in g["pupils"]] for g in out["groups"]} == {
        "1B": [("Dev Das", "register not taken"), ("Eve Ellis", "register not taken")],
        "3A": [("Amy Adams", "late")],
    }
