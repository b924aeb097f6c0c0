"""The Letters tab: due letters ticked from the keyboard, previewed, saved and logged."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.auth import office_user
from attendance_desk.models import LetterLog, Pupil
from attendance_desk.ui.letters.letters_tab import LettersTab
from tests.helpers.builders import add_pupil, build_school
from tests.letters.scenarios import attend, give_addresses
from tests.printing.pdftext import pages

NOW = datetime(2025, 9, 29, 10, 0)


def build(session: Session) -> None:
    """Two pupils below target; Zoe's father has no parental responsibility."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    zoe = add_pupil(session, 2, surname="Zed", forename="Zoe")
    give_addresses(amy)
    zoe.contacts[1].parental_responsibility = False
    for pupil in (amy, zoe):
        attend(session, pupil, user, date(2025, 9, 3), date(2025, 9, 26), absent_every=4)
    session.commit()


def open_tab(qtbot: QtBot, factory: sessionmaker[Session]) -> LettersTab:
    tab = LettersTab(factory, lambda: NOW)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    return tab


def test_due_letters_grouped_by_stage(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Both pupils' Letter A under Stage 1, with group, date of birth (to tell namesakes
    apart) and the number of copies; nothing ticked yet."""
    build(session)
    tab = open_tab(qtbot, factory)
    assert tab.objectName() == "tab_letters"
    stage = tab.tree.topLevelItem(0)
    assert stage.text(0) == "Stage 1 (2)"
    rows = [tuple(stage.child(i).text(c) for c in (0, 1, 2, 4)) for i in range(stage.childCount())]
    assert rows == [("Amy Adams", "3A", "1 May 2017", "2"), ("Zoe Zed", "3A", "1 May 2017", "1")]
    assert tab.tree.headerItem().text(2) == "Born"
    assert tab.due_panel.ticked() == [] and not tab.due_panel.save_button.isEnabled()


def test_tick_preview_and_save(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """Space ticks Amy's letter; saving writes and logs both copies and leaves Zoe's."""
    build(session)
    tab = open_tab(qtbot, factory)
    tree = tab.tree
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentItem().text(0) == "Amy Adams"
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert [d.pupil_name for d in tab.due_panel.ticked()] == ["Amy Adams"]
    assert tab.due_panel.save_button.isEnabled()
    assert tab.due_panel.preview.page_count == 2  # one page for each parent

    written = tab.save_to(tmp_path / "out")
    assert sorted(p.name for p in written) == [
        "2025-09-29 Amy Adams F201200018001 - Letter A - to David Adams.pdf",
        "2025-09-29 Amy Adams F201200018001 - Letter A - to Sarah Adams.pdf",
        "Letters 2025-09-29 - print all.pdf",
    ]
    assert "Dear Sarah Adams," in pages(written[0].read_bytes())[0]
    with factory() as check:
        assert check.scalar(select(func.count()).select_from(LetterLog)) == 2
    stage = tab.tree.topLevelItem(0)
    assert [stage.child(i).text(0) for i in range(stage.childCount())] == ["Zoe Zed"]
    sent = tab.sent_panel.model
    assert sent.rowCount() == 2
    headings = [sent.headerData(c, Qt.Orientation.Horizontal) for c in range(sent.columnCount())]
    row = {h: sent.index(0, c).data() for c, h in enumerate(headings)}
    assert (row["Pupil"], row["Group"], row["Born"]) == ("Amy Adams", "3A", "1 May 2017")
    assert tab.cases_panel.list.topLevelItem(0).text(0) == "Amy Adams"


def test_one_pdf_for_all(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """Tick all and save: one PDF per letter, and the three (two for Amy, one for Zoe) in one
    file to print."""
    build(session)
    tab = open_tab(qtbot, factory)
    qtbot.mouseClick(tab.due_panel.tick_all_button, Qt.MouseButton.LeftButton)
    *each, path = tab.save_to(tmp_path)
    assert len(each) == 3 and all(len(pages(p.read_bytes())) == 1 for p in each)
    assert path.name == "Letters 2025-09-29 - print all.pdf"
    texts = pages(path.read_bytes())
    assert [t.split("Dear ")[1].split(",")[0] for t in texts] == [
        "Sarah Adams",
        "David Adams",
        "Sarah Zed",
    ]
    assert tab.due_panel.heading.text().startswith("No letters due")


def test_confirming_improvement_on_the_pathways_page(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """The register says 'not improved'; the officer clicks 'improved' and the case closes."""
    build(session)
    clock = [NOW]
    tab = LettersTab(factory, lambda: clock[0])
    qtbot.addWidget(tab)
    tab.show()
    tab.due_panel.set_all_ticked(True)
    tab.save_to(tmp_path)
    with factory() as more:
        user = office_user(more)
        for pupil in more.scalars(select(Pupil)):
            attend(more, pupil, user, date(2025, 9, 29), date(2025, 11, 3), absent_every=5)
        more.commit()
    clock[0] = datetime(2025, 11, 4, 9, 0)
    tab.reload()
    assert tab.due_panel.heading.text().startswith("2 letters due")
    cases = tab.cases_panel
    tab.pages.setCurrentWidget(cases)
    cases.list.setCurrentItem(cases.list.topLevelItem(0))
    assert cases.improved_button.isVisible() and "not improved" in cases.review_label.text()
    qtbot.mouseClick(cases.improved_button, Qt.MouseButton.LeftButton)
    assert cases.list.topLevelItemCount() == 1  # that case is closed
    assert tab.due_panel.heading.text().startswith("1 letter due")


def test_progress_dialog_counts_and_cancel_sends_nothing(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """Cancel pressed after the first letter: no file, nothing logged; then all three go."""
    build(session)
    tab = open_tab(qtbot, factory)
    panel = tab.due_panel
    qtbot.mouseClick(panel.tick_all_button, Qt.MouseButton.LeftButton)
    steps: list[tuple[int, int]] = []

    def press_cancel_after_first(done: int, total: int) -> None:
        steps.append((done, total))
        if done == 1 and panel.progress is not None:
            assert panel.progress.isVisible() and panel.progress.value() == 1
            cancel = panel.progress.findChild(QPushButton)
            qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)

    panel.sending_progress.connect(press_cancel_after_first)
    assert tab.save_to(tmp_path / "out") == []
    assert steps == [(0, 3), (1, 3)]
    assert "cancelled" in panel.status.text() and panel.progress is None
    assert not (tmp_path / "out").exists()  # no file suggests a letter went
    with factory() as check:
        assert check.scalar(select(func.count()).select_from(LetterLog)) == 0
    assert len(panel.ticked()) == 2  # still ticked, ready to try again

    panel.sending_progress.disconnect(press_cancel_after_first)
    steps.clear()
    panel.sending_progress.connect(lambda done, total: steps.append((done, total)))
    assert len(tab.save_to(tmp_path / "out")) == 4  # three letters and the print-all file
    assert steps == [(0, 3), (1, 3), (2, 3), (3, 3)]
    with factory() as check:
        assert check.scalar(select(func.count()).select_from(LetterLog)) == 3


def test_saving_with_no_signatory_is_refused_naming_the_setting(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    """With "Letters signed by" empty, ticking a letter and saving shows why, naming the
    setting, and nothing is written or logged."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from attendance_desk.school import settings

    build(session)
    settings.put(session, settings.SIGNATORY_NAME, "", user=office_user(session), now=NOW)
    session.commit()
    tab = open_tab(qtbot, factory)
    tree = tab.tree
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    shown: list[str] = []

    def read_and_close(tries: int = 100) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.text())
            box.close()
        elif tries:
            QTimer.singleShot(50, lambda: read_and_close(tries - 1))

    QTimer.singleShot(50, read_and_close)
    assert tab.save_to(tmp_path / "out") == []
    assert shown and "Settings → Letters signed by" in shown[0]
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    with factory() as check:
        assert check.scalar(select(func.count()).select_from(LetterLog)) == 0
