"""The import wizard, driven with keys and clicks: an MIS-style file mapped, a bad file's
problem shown and refused, a good file imported into the database."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.interop.row_verdicts import Status
from attendance_desk.models import Pupil
from attendance_desk.resources import SAMPLES
from attendance_desk.ui.interop.import_preview_model import (
    ERROR_BACKGROUND,
    WARNING_BACKGROUND,
    ImportPreviewModel,
)
from attendance_desk.ui.interop.import_wizard import (
    MAPPING,
    PREVIEW,
    RESULT,
    SOURCE,
    SUMMARY,
    ImportWizard,
)
from attendance_desk.ui.main_window import MainWindow
from tests.helpers.builders import build_school
from tests.ui.conftest import OpenWindow

MIS = Path(__file__).parents[2] / "interop" / "mis"
#: The MIS's names for the sample's columns; "Preferred" is one the wizard cannot guess.
MIS_NAMES = {
    "upn": "UPN",
    "legal_surname": "Legal Surname",
    "legal_forename": "Legal Forename",
    "date_of_birth": "DOB",
    "year_group": "NC Year",
    "reg_group": "Reg Group",
    "preferred_forename": "Preferred",
    "sex": "Gender",
    "social_worker": "Social Worker",
    "on_roll_from": "Admission Date",
    "on_roll_to": "Leaving Date",
}


def mis_file(folder: Path, name: str, *, bad_dob_line: int | None = None) -> Path:
    """The sample pupils file with the MIS's headers; optionally one date of birth as an MIS
    might write it (DD/MM/YYYY), which is a problem."""
    with (SAMPLES / "pupils.csv").open(encoding="utf-8", newline="") as sample:
        rows = list(csv.reader(sample))
    rows[0] = [MIS_NAMES.get(column, column.upper()) for column in rows[0]]
    if bad_dob_line is not None:
        rows[bad_dob_line - 1][3] = "31/11/2020"
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def pupil_count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Pupil)) or 0


def next_page(qtbot: QtBot, wizard: ImportWizard) -> None:
    """Return, wherever the focus is, presses the wizard's default button (Next)."""
    qtbot.keyClick(QApplication.focusWidget() or wizard, Qt.Key.Key_Return)


def back_to_source(qtbot: QtBot, wizard: ImportWizard) -> None:
    while wizard.currentId() != SOURCE:
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)


def open_wizard(qtbot: QtBot, window: MainWindow) -> ImportWizard:
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    wizard = window.findChild(ImportWizard)
    assert wizard is not None
    return shown(qtbot, wizard)


def shown(qtbot: QtBot, wizard: ImportWizard) -> ImportWizard:
    """The wizard as the active window, so that its Alt+letter buttons answer."""
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


def choose_file(qtbot: QtBot, wizard: ImportWizard, path: Path) -> None:
    edit = wizard.source_page.path_edit
    edit.selectAll()
    qtbot.keyClicks(edit, str(path))
    next_page(qtbot, wizard)


@pytest.fixture
def school(session: Session) -> None:
    build_school(session, name="Oakfield Primary")


def test_walk_the_wizard_from_a_bad_file_to_an_imported_one(
    qtbot: QtBot,
    open_window: OpenWindow,
    school: None,
    factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    """Ctrl+I; a file with a bad date of birth shows it in red and Import stays disabled;
    the corrected file, with one column matched by keyboard, imports every pupil."""
    window = open_window()
    wizard = open_wizard(qtbot, window)
    assert wizard.source_page.kinds.checkedButton().objectName() == "kind_pupils"

    choose_file(qtbot, wizard, mis_file(tmp_path, "bad.csv", bad_dob_line=3))
    assert wizard.currentId() == MAPPING
    combos = wizard.mapping_page.combos
    assert QApplication.focusWidget() is combos["upn"]  # ready for the keyboard
    assert combos["legal_surname"].currentText() == "Legal Surname"
    assert combos["date_of_birth"].currentText() == "DOB"
    assert combos["preferred_forename"].currentIndex() == 0  # not guessed
    next_page(qtbot, wizard)

    assert wizard.currentId() == PREVIEW
    model = wizard.preview_page.model
    dob = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == "Date of birth"
    )
    cell = model.index(1, dob)
    assert cell.data() == "31/11/2020"
    assert cell.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BACKGROUND
    assert "impossible date 31/11/2020" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, dob).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(1, ImportPreviewModel.STATUS).data() == "problem"
    problems = wizard.preview_page.problems
    assert problems.count() == 1
    assert problems.item(0).text().startswith("line 3: date_of_birth: impossible date 31/11/2020")
    next_page(qtbot, wizard)

    assert wizard.currentId() == SUMMARY
    assert wizard.summary_page.counts[Status.ERROR].text() == "1"
    assert wizard.summary_page.counts[Status.NEW].text() == "7"
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert "nothing can be imported" in wizard.summary_page.verdict.text()
    assert pupil_count(factory) == 0

    back_to_source(qtbot, wizard)
    choose_file(qtbot, wizard, mis_file(tmp_path, "good.csv"))
    preferred = wizard.mapping_page.combos["preferred_forename"]
    preferred.setFocus()
    qtbot.keyClicks(preferred, "Pre")
    assert preferred.currentText() == "Preferred"
    assert wizard.mapping_page.samples["preferred_forename"].text() == "Ollie"
    next_page(qtbot, wizard)
    assert wizard.preview_page.problems.count() == 0
    next_page(qtbot, wizard)
    assert wizard.summary_page.counts[Status.NEW].text() == "8"
    import_button = wizard.button(QWizard.WizardButton.CommitButton)
    assert import_button.isEnabled() and import_button.text() == "&Import"
    qtbot.mouseClick(import_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: wizard.currentId() == RESULT)
    assert wizard.result_page.text.text().startswith("8 pupils added, 0 updated")
    assert wizard.importing_page.bar.value() == wizard.importing_page.bar.maximum() == 8
    assert pupil_count(factory) == 8
    with factory() as session:
        ollie = session.scalars(select(Pupil).where(Pupil.legal_surname == "Bennett")).one()
        assert ollie.preferred_forename == "Ollie"
    # Grace O'Brien joins on 15 September, after the window's today
    assert window.pupils_tab.count_label.text() == "7 pupils on roll"
    assert window.statusBar().currentMessage().startswith("Imported pupils from good.csv")


def test_the_mapping_is_remembered_for_the_next_file(
    qtbot: QtBot, open_window: OpenWindow, school: None, tmp_path: Path
) -> None:
    """After one import, a file with the same headers comes back mapped as it was chosen."""
    window = open_window()
    wizard = open_wizard(qtbot, window)
    choose_file(qtbot, wizard, mis_file(tmp_path, "first.csv"))
    combo = wizard.mapping_page.combos["preferred_forename"]
    combo.setFocus()
    qtbot.keyClicks(combo, "Pre")
    for _ in range(2):
        next_page(qtbot, wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == RESULT)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)

    again = ImportWizard(wizard.factory, wizard.now, parent=window)
    qtbot.addWidget(again)
    again.show()
    shown(qtbot, again)
    choose_file(qtbot, again, mis_file(tmp_path, "second.csv"))
    assert again.mapping_page.combos["preferred_forename"].currentText() == "Preferred"
    assert "last time" in again.mapping_page.note.text()


def test_first_start_button_opens_the_wizard_and_an_unreadable_file_is_refused(
    qtbot: QtBot,
    open_window: OpenWindow,
    school: None,
    factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    """On an empty school the panel's import button opens the wizard; a file no encoding
    explains is refused on the first page, with the reason, and nothing is written."""
    window = open_window()
    tab = window.pupils_tab
    assert tab.stack.currentWidget() is tab.first_start
    qtbot.mouseClick(tab.first_start.import_button, Qt.MouseButton.LeftButton)
    wizard = window.findChild(ImportWizard)
    assert wizard is not None
    shown(qtbot, wizard)
    path = tmp_path / "export.csv"
    path.write_bytes(b"UPN,Surname\nA1,Bront\x81\n")
    choose_file(qtbot, wizard, path)
    assert wizard.currentId() == SOURCE
    assert "line 2: encoding: the file is not UTF-8 or Windows-1252" in (
        wizard.source_page.message.text()
    )
    choose_file(qtbot, wizard, tmp_path / "missing.csv")
    assert wizard.source_page.message.text().startswith("There is no file at")
    assert pupil_count(factory) == 0


def test_a_sims_export_saved_by_excel_with_semicolons_imports_as_it_is(
    qtbot: QtBot,
    open_window: OpenWindow,
    school: None,
    factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    """Windows-1252 with semicolons: every column is matched, the leaver and the guest are
    skipped, a year group that does not fit the age is shown to check, and Import works."""
    sims = (MIS / "sims-students.csv").read_bytes().decode("cp1252")
    sims = sims.replace(",", ";").replace("21/06/2018;F;Year 3", "21/06/2016;F;Year 3")
    path = tmp_path / "sims.csv"
    path.write_bytes(sims.encode("cp1252"))
    window = open_window()
    wizard = open_wizard(qtbot, window)
    choose_file(qtbot, wizard, path)
    combos = wizard.mapping_page.combos
    assert combos["legal_surname"].currentText() == "Legal Surname"
    assert combos["enrolment_status"].currentText() == "Enrolment Status"
    assert wizard.mapping_page.samples["legal_forename"].text() == "Emma"
    next_page(qtbot, wizard)

    page = wizard.preview_page
    assert page.about.text() == (
        "Read as Windows-1252, semicolon-separated. 1 row skipped (Enrolment Status 'Guest': "
        "not on roll in the MIS). 1 row skipped (Enrolment Status 'Leaver': not on roll in the "
        "MIS)."
    )
    assert page.warnings.count() == 1
    assert page.warnings.item(0).text().startswith("line 4: year_group: born 2016-06-21")
    year = next(
        c
        for c in range(page.model.columnCount())
        if page.model.headerData(c, Qt.Orientation.Horizontal) == "Year group"
    )
    assert page.model.index(2, year).data(Qt.ItemDataRole.BackgroundRole).color() == (
        WARNING_BACKGROUND
    )
    assert page.model.index(5, ImportPreviewModel.STATUS).data() == "skipped"
    next_page(qtbot, wizard)
    assert wizard.summary_page.counts[Status.SKIPPED].text() == "2"
    assert wizard.summary_page.counts[Status.NEW].text() == "5"
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == RESULT)
    assert "2 rows skipped, not on roll in the MIS" in wizard.result_page.text.text()
    with factory() as session:
        names = session.scalars(select(Pupil.legal_forename).order_by(Pupil.legal_forename))
        assert list(names) == ["Emma", "Jakub", "Oluwaseun", "Siobhán", "Zoë"]
