"""The administrator adds and disables users; others are refused."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access import auth
from attendance_desk.models import User
from attendance_desk.ui.access.acting_user import set_user
from attendance_desk.ui.access.users_dialog import UsersDialog
from tests.helpers.builders import add_staff

NOW = datetime(2025, 9, 8, 16, 0)


def test_admin_adds_then_disables_a_receptionist(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Typing a new user and clicking Add lets them log in; disabling stops it."""
    boss = auth.create_user(
        session,
        username="pat",
        full_name="Pat Morgan",
        position="Office",
        role="admin",
        password="long password",
        now=NOW,
    )
    session.commit()
    try:
        set_user(boss.id)
        dialog = UsersDialog(factory, lambda: NOW)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.keyClicks(dialog.full_name, "Rita Shah")
        qtbot.keyClicks(dialog.username, "rita")
        qtbot.keyClicks(dialog.position, "Receptionist")
        dialog.role_box.setCurrentIndex(dialog.role_box.findData("receptionist"))
        qtbot.keyClicks(dialog.password, "first password")
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        assert "Rita Shah can now log in" in dialog.message.text()
        assert auth.login(session, username="rita", password="first password", now=NOW)
        rita = next(
            dialog.tree.topLevelItem(i)
            for i in range(dialog.tree.topLevelItemCount())
            if dialog.tree.topLevelItem(i).text(1) == "rita"
        )
        dialog.tree.setCurrentItem(rita)
        qtbot.mouseClick(dialog.toggle_button, Qt.MouseButton.LeftButton)
        session.expire_all()
        assert "Disabled" in dialog.message.text()
        with pytest.raises(auth.LoginFailed):
            auth.login(session, username="rita", password="first password", now=NOW)
    finally:
        set_user(None)


def test_receptionist_cannot_add_users(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """A receptionist filling the form is told it is for the administrator."""
    desk = add_staff(session, pat="admin", rita="receptionist")["rita"]
    session.commit()
    try:
        set_user(desk.id)
        dialog = UsersDialog(factory, lambda: NOW)
        qtbot.addWidget(dialog)
        for edit, text in (
            (dialog.full_name, "X Y"),
            (dialog.username, "xy"),
            (dialog.position, "P"),
            (dialog.password, "long password"),
        ):
            qtbot.keyClicks(edit, text)
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        assert "Administrator" in dialog.message.text()
    finally:
        set_user(None)


def test_new_teacher_gets_their_group(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Adding a class teacher with a group makes them that group's teacher."""
    from attendance_desk.models import RegGroup
    from tests.helpers.builders import add_pupil, build_school

    build_school(session)
    add_pupil(session, 1, group="3A")
    add_staff(session, pat="admin")
    boss = session.query(User).filter_by(username="pat").one()
    session.commit()
    try:
        set_user(boss.id)
        dialog = UsersDialog(factory, lambda: NOW)
        qtbot.addWidget(dialog)
        for edit, text in (
            (dialog.full_name, "Tess Teacher"),
            (dialog.username, "tess"),
            (dialog.position, "Class teacher"),
            (dialog.password, "long password"),
        ):
            qtbot.keyClicks(edit, text)
        dialog.role_box.setCurrentIndex(dialog.role_box.findData("teacher"))
        dialog.group_box.setCurrentIndex(dialog.group_box.findText("3A"))
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        session.expire_all()
        group = session.query(RegGroup).filter_by(name="3A").one()
        assert group.teacher_id is not None
    finally:
        set_user(None)
