"""The Templates page: the school rewords a letter by keyboard, sees mistakes, saves for all."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.auth import office_user
from attendance_desk.letters import template_store as store
from attendance_desk.letters.sending import preview_pdf
from attendance_desk.pathway.due import letters_due
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.letters.letter_template_editor import LetterTemplateEditor
from attendance_desk.ui.letters.letters_tab import LettersTab
from attendance_desk.ui.main_window import MainWindow
from tests.helpers.builders import add_staff
from tests.helpers.modal import answering
from tests.printing.pdftext import pages
from tests.ui.conftest import TODAY
from tests.ui.letters.test_letters_tab import NOW, build, open_tab


def open_editor(qtbot: QtBot, tab: LettersTab) -> LetterTemplateEditor:
    """Click the Templates page's tab, as a user would."""
    bar = tab.pages.tabBar()
    index = tab.pages.indexOf(tab.template_editor)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tab.pages.currentWidget() is tab.template_editor
    return tab.template_editor


def put_cursor_after(editor: LetterTemplateEditor, words: str) -> None:
    """Place the text cursor just after `words` (where the test then types)."""
    found = editor.editor.document().find(words)
    assert not found.isNull()
    found.clearSelection()
    editor.editor.setTextCursor(found)
    editor.editor.setFocus()


def flat(pdf: bytes) -> str:
    return " ".join(" ".join(pages(pdf)).split())


def test_type_see_the_problem_fix_it_and_save(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """A misspelt field is named with its line; fixed and saved with Ctrl+S, letters use it."""
    build(session)
    tab = open_tab(qtbot, factory)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)  # shortcuts need an active window
    editor = open_editor(qtbot, tab)
    assert editor.templates.currentItem().text() == "Letter A"
    assert not editor.save_button.isEnabled() and not editor.problem.isVisible()
    qtbot.waitUntil(lambda: "Amy Adams" in editor.sample_label.text())

    put_cursor_after(editor, "Thank you for your support.")
    qtbot.keyClick(editor.editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.editor, "Please ring Mrs Khan. Amy was here {atendance_pct}.")
    line = editor.editor.textCursor().blockNumber() + 1
    qtbot.waitUntil(editor.problem.isVisible)
    assert editor.problem.text().startswith(f"Line {line}: unknown merge field {{atendance_pct}}")
    assert editor.save_button.isEnabled()

    for _ in "atendance_pct}.":
        qtbot.keyClick(editor.editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor.editor, "attendance_pct}.")
    qtbot.waitUntil(lambda: not editor.problem.isVisible())
    qtbot.keyClick(editor.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert not editor.save_button.isEnabled() and editor.standard_button.isEnabled()
    assert editor.templates.currentItem().text() == "Letter A (school's wording)"
    assert "school's own wording" in editor.state.text()
    assert editor.history.count() == 1
    with factory() as check:
        assert store.current_text(check, "letter_a").own
        day = NOW.date()
        text = flat(preview_pdf(check, letters_due(check, day), day, printed_at=NOW))
    assert "Please ring Mrs Khan. Amy was here 70.6%." in text


def test_fields_go_in_at_the_cursor_by_double_click_and_enter(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Double-clicking {pupil_name} or Enter on [meeting] inserts it where the cursor is."""
    build(session)
    tab = open_tab(qtbot, factory)
    editor = open_editor(qtbot, tab)
    put_cursor_after(editor, "Thank you")
    fields = editor.fields
    item = fields.findItems("{pupil_name}", Qt.MatchFlag.MatchExactly)[0]
    fields.scrollToItem(item)
    where = fields.visualItemRect(item).center()
    qtbot.mouseClick(fields.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(fields.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert "Thank you{pupil_name} for your support." in editor.editor.toPlainText()
    assert "supported by Amy" not in editor.editor.toPlainText()
    editor.editor.moveCursor(QTextCursor.MoveOperation.End)
    meeting = fields.findItems("[meeting]", Qt.MatchFlag.MatchExactly)[0]
    fields.setCurrentItem(meeting)
    fields.setFocus()
    qtbot.keyClick(fields, Qt.Key.Key_Return)
    assert editor.editor.toPlainText().endswith("[signature]\n[meeting]\n")
    assert editor.field_help.text() == "The meeting's date, time and place, in a box"


def test_leaving_with_unsaved_words_asks(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Cancel keeps you on the page with your words; Discard leaves and drops them."""
    build(session)
    tab = open_tab(qtbot, factory)
    editor = open_editor(qtbot, tab)
    put_cursor_after(editor, "Thank you for your support.")
    qtbot.keyClicks(editor.editor, " Truly.")
    bar = tab.pages.tabBar()

    def answer(button: QMessageBox.StandardButton) -> Callable[[QMessageBox], None]:
        def press(box: QMessageBox) -> None:
            assert "not saved" in box.text()
            qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)

        return press

    with answering(qtbot, QMessageBox, answer(QMessageBox.StandardButton.Cancel)):
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    assert tab.pages.currentWidget() is editor
    assert "support. Truly." in editor.editor.toPlainText()

    with answering(qtbot, QMessageBox, answer(QMessageBox.StandardButton.Discard)):
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    assert tab.pages.currentWidget() is tab.due_panel
    assert "Truly." not in editor.editor.toPlainText()
    with factory() as check:
        assert not store.current_text(check, "letter_a").own


def test_receptionist_reads_only(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Without the permission the text cannot be typed in, Save is off and a note says why."""
    build(session)
    staff = add_staff(session, pat="admin", rita="receptionist")
    session.commit()
    set_user(staff["rita"].id)  # Rita is logged in
    try:
        editor = LetterTemplateEditor(factory, lambda: NOW)
        qtbot.addWidget(editor)
        editor.show()
        before = editor.editor.toPlainText()
        editor.editor.setFocus()
        qtbot.keyClicks(editor.editor, "scribble")
        assert editor.editor.toPlainText() == before
        editor.fields.setCurrentRow(0)
        editor.fields.setFocus()
        qtbot.keyClick(
            editor.fields, Qt.Key.Key_Return
        )  # reading the fields is fine, not inserting
        assert editor.editor.toPlainText() == before
        assert editor.field_help.text() == "The school's name"
        assert not editor.save_button.isEnabled() and not editor.standard_button.isEnabled()
        assert editor.read_only_note.isVisible()
        assert "Attendance officer" in editor.read_only_note.text()
    finally:
        set_user(None)


def test_back_to_the_standard_wording_after_confirming(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """The button asks first; Yes prints the standard text again and the history shows both."""
    build(session)
    store.save_text(
        session,
        name="letter_a",
        text=store.standard_text("letter_a").replace("Thank you", "Many thanks"),
        user=office_user(session),
        now=NOW,
    )
    session.commit()
    tab = open_tab(qtbot, factory)
    editor = open_editor(qtbot, tab)
    assert "Many thanks" in editor.editor.toPlainText()

    def say_yes(box: QMessageBox) -> None:
        assert "standard wording again" in box.text()
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    with answering(qtbot, QMessageBox, say_yes):
        qtbot.mouseClick(editor.standard_button, Qt.MouseButton.LeftButton)
    assert editor.editor.toPlainText() == store.standard_text("letter_a")
    assert not editor.standard_button.isEnabled()
    assert editor.history.item(0).text().endswith("back to the standard wording")
    assert editor.history.item(1).text().endswith("the school's wording")
    with factory() as check:
        day = NOW.date()
        text = flat(preview_pdf(check, letters_due(check, day), day, printed_at=NOW))
    assert "Many thanks" not in text and "Thank you for your support" in text


def test_closing_the_window_with_unsaved_words_asks(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Closing the app from another tab brings the unsaved wording back and asks first."""
    build(session)
    window = MainWindow(factory, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("letters")
    editor = open_editor(qtbot, window.letters_tab)
    put_cursor_after(editor, "Thank you for your support.")
    qtbot.keyClicks(editor.editor, " Truly.")
    window.show_tab("today")

    def answer(button: QMessageBox.StandardButton) -> Callable[[QMessageBox], None]:
        def press(box: QMessageBox) -> None:
            assert "not saved" in box.text()
            qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)

        return press

    with answering(qtbot, QMessageBox, answer(QMessageBox.StandardButton.Cancel)):
        window.close()
    assert window.isVisible()
    assert window.tabs.currentWidget() is window.letters_tab
    assert window.letters_tab.pages.currentWidget() is editor
    assert "support. Truly." in editor.editor.toPlainText()

    with answering(qtbot, QMessageBox, answer(QMessageBox.StandardButton.Discard)):
        window.close()
    assert not window.isVisible()
