"""Every screen that names a pupil, for every role, driven from the keyboard: the DSL, deputy
DSL and head see safeguarding detail; the receptionist, attendance officer, class teacher
and administrator see the pupils without it (the services' outputs: tests/safeguarding)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import User
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.main_window import TAB_NAMES, MainWindow
from attendance_desk.ui.pupils.pupil_file_dialog import PupilFileDialog
from tests.helpers import safeguarding_school as school


def _tree_items(item: QTreeWidgetItem) -> list[str]:
    texts = [t for c in range(item.columnCount()) for t in (item.text(c), item.toolTip(c))]
    for i in range(item.childCount()):
        texts += _tree_items(item.child(i))
    return texts


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    texts: list[str] = []
    for row in range(model.rowCount(QModelIndex())):
        for column in range(model.columnCount(QModelIndex())):
            index = model.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if value is not None:
                    texts.append(str(value))
    return texts


def screen_text(top: QWidget) -> str:
    """Everything a person could read on `top` and the widgets shown in it: labels, buttons,
    fields, every row of every list, tree and table (tooltips included)."""
    texts = [top.windowTitle()]
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        texts.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        if isinstance(widget, QTreeWidget):
            root = widget.invisibleRootItem()
            texts += [t for i in range(root.childCount()) for t in _tree_items(root.child(i))]
        elif isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
        elif isinstance(widget, QAbstractItemView):
            texts += _model_texts(widget)
    return "\n".join(t for t in texts if t)


def everything_shown(qtbot: QtBot, factory: sessionmaker[Session], user: User) -> str:
    """Log in as `user`, go through every tab with Ctrl+1…, every child on the Calls and
    Pupils tabs with the arrow keys, each pupil's file with Ctrl+O, and the on-site list
    (Ctrl+E); return all the text that was on screen."""
    set_user(user.id)
    window = MainWindow(
        factory, today=lambda: school.TODAY, now=lambda: school.NOW, send_outbox=False
    )
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    seen: list[str] = []
    for number, name in enumerate(TAB_NAMES, start=1):
        qtbot.keyClick(window, Qt.Key.Key_0 + number, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda name=name: window.tabs.currentWidget() is window.tab_widgets[name])
        seen.append(screen_text(window))
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    calls = window.calls_tab.pupils
    calls.setFocus()
    for _ in range(calls.count()):
        seen.append(screen_text(window))
        qtbot.keyClick(calls, Qt.Key.Key_Down)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    table = window.pupils_tab.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the first row is current, not yet chosen
    qtbot.keyClick(table, Qt.Key.Key_Up)
    for _ in range(table.model().rowCount()):
        seen.append(screen_text(window))
        qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PupilFileDialog))
        seen.append(screen_text(dialog))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda dialog=dialog: not dialog.isVisible())
        dialog.deleteLater()
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    on_site = window.findChildren(QWidget, "on_site_dialog") or [
        w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window
    ]
    seen += [screen_text(w) for w in on_site]
    return "\n".join(seen)


@pytest.fixture
def staff(session: Session) -> dict[str, User]:
    built, _ = school.build(session)
    return built


@pytest.mark.parametrize("username", school.OUTSIDERS)
def test_other_roles_see_no_safeguarding_detail_on_any_screen(
    qtbot: QtBot, factory: sessionmaker[Session], staff: dict[str, User], username: str
) -> None:
    """Every tab, every child's call card and pupil details, every pupil's file and the
    on-site list name the pupils, and hold none of their safeguarding detail."""
    text = everything_shown(qtbot, factory, staff[username])
    assert "Amy Adams" in text and "Ben Brown" in text
    assert school.leaks(text) == [], text


def test_the_dsl_sees_the_detail_on_screen(
    qtbot: QtBot, factory: sessionmaker[Session], staff: dict[str, User]
) -> None:
    """The same walk as the DSL shows the visit's outcome, the police request, the social
    worker and the flags (so the test above can fail)."""
    text = everything_shown(qtbot, factory, staff["dana"])
    for words in school.DSL_SEES:
        assert words in text, words
    assert len(school.leaks(text)) >= 12, school.leaks(text)
