"""Walking the welcome wizard from the keyboard, as a new school's office would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from attendance_desk.ui.school.welcome_wizard import WelcomeWizard

ALT = Qt.KeyboardModifier.AltModifier
#: Down-arrow presses from the first choice on the pupils page.
PUPIL_CHOICE = {"import": 0, "demo": 1, "later": 2}


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """One key to whatever has the focus, as the keyboard would send it."""
    qtbot.keyClick(focused(), key, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def fill(qtbot: QtBot, texts: tuple[str, ...]) -> None:
    """Type into one box after another, Tab between them (not after the last: Tab would
    then reach the Back button, and Enter would press it)."""
    for n, text in enumerate(texts):
        if n:
            press(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, text)


def page_title(wizard: WelcomeWizard) -> str:
    return wizard.currentPage().title()


def walk(qtbot: QtBot, wizard: WelcomeWizard, *, pupils: str = "later") -> None:
    """Welcome → school → terms → times → target → login → pupils → Finish, by keys only.

    Chooses Oakfield Primary (URN 123456, LA 201, estab 2000), the typical year, the
    default register times, a 95.5 % target with the AP centre preset, and Pat Morgan
    (`pat`, "long password") as the administrator.
    """
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_Return)
    assert page_title(wizard) == "Your school"
    for text in ("Oakfield Primary", "123456", "201", "2000"):
        type_text(qtbot, text)
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Return)
    assert page_title(wizard) == "Term dates", wizard.currentPage().message.text()
    press(qtbot, Qt.Key.Key_Return)
    assert page_title(wizard) == "Register times"
    press(qtbot, Qt.Key.Key_Return)
    assert page_title(wizard) == "Target and follow-up"
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "95.5")
    press(qtbot, Qt.Key.Key_Tab)  # to the chosen preset
    press(qtbot, Qt.Key.Key_Down)  # the next preset: AP centre weekly cycle
    press(qtbot, Qt.Key.Key_Return)
    assert page_title(wizard) == "Your login"
    fill(qtbot, ("Pat Morgan", "Office manager", "pat", "long password", "long password"))
    press(qtbot, Qt.Key.Key_Return)
    assert page_title(wizard) == "Your pupils", wizard.currentPage().message.text()
    for _ in range(PUPIL_CHOICE[pupils]):
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)  # Finish
