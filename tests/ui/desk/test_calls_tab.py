"""The Calls panel driven by clicks: no answer brings up the next contact; an answer codes."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import ContactAttempt, Mark, OutboxMessage
from attendance_desk.ui.desk.calls_tab import AnswerDialog, CallsTab
from tests.helpers.builders import add_pupil, build_school, mark_days
from tests.helpers.modal import answering

TUE = date(2025, 9, 9)
NOW = datetime(2025, 9, 9, 9, 35)


def open_tab(qtbot: QtBot, factory: sessionmaker[Session]) -> CallsTab:
    tab = CallsTab(factory, lambda: NOW)
    qtbot.addWidget(tab)
    tab.resize(1100, 600)
    tab.show()
    return tab


def button(tab: CallsTab, name: str) -> QPushButton:
    found = tab.findChild(QPushButton, name)
    assert found is not None, name
    return found


def test_no_answer_brings_up_contact_two(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Clicking 'No answer' on contact 1 logs it and marks contact 2 'call now'."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    mark_days(session, amy, user, {(TUE, "AM"): "N"})
    session.commit()
    first, second = amy.contacts
    tab = open_tab(qtbot, factory)
    assert "1 absent with no reason" in tab.heading.text()
    assert tab.current_row().next_contact.contact_id == first.id  # type: ignore[union-attr]
    qtbot.mouseClick(button(tab, f"no_answer_{first.id}"), Qt.MouseButton.LeftButton)
    assert tab.current_row().next_contact.contact_id == second.id  # type: ignore[union-attr]
    attempt = session.scalars(select(ContactAttempt)).one()
    assert (attempt.contact_id, attempt.outcome, attempt.user_name) == (
        first.id,
        "no_answer",
        "School office",
    )


def test_answer_with_reason_clears_the_list(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Answered: the reason dialog is filled in, the N becomes I, nobody is left to call."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    mark_days(session, amy, user, {(TUE, "AM"): "N"})
    session.commit()
    tab = open_tab(qtbot, factory)

    def answer(dialog: AnswerDialog) -> None:
        qtbot.keyClicks(dialog.note_edit, "temperature overnight")
        qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)

    with answering(qtbot, AnswerDialog, answer):
        qtbot.mouseClick(button(tab, f"answered_{amy.contacts[0].id}"), Qt.MouseButton.LeftButton)
    assert "Nobody to call" in tab.heading.text()
    assert session.scalars(select(Mark.code).where(Mark.session == "AM")).one() == "I"


def test_text_is_held_until_register_checked(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """'Text sent' queues a held text; 'Register checked' releases it."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    mark_days(session, amy, user, {(TUE, "AM"): "N"})
    session.commit()
    tab = open_tab(qtbot, factory)
    qtbot.mouseClick(button(tab, f"text_sent_{amy.contacts[0].id}"), Qt.MouseButton.LeftButton)
    assert session.scalars(select(OutboxMessage.status)).one() == "held"
    qtbot.mouseClick(tab.review_button, Qt.MouseButton.LeftButton)
    session.expire_all()
    assert session.scalars(select(OutboxMessage.status)).one() == "queued"
    assert "1 text released" in tab.heading.text()


def test_fridays_overdue_call_is_shown_with_since_when(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Monday 08:30, before the registers: Friday's unmade first-day call is listed,
    "overdue since Fri 12 Sep", and the heading counts it."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    mark_days(session, amy, user, {(date(2025, 9, 12), "AM"): "N"})
    session.commit()
    tab = CallsTab(factory, lambda: datetime(2025, 9, 15, 8, 30))
    qtbot.addWidget(tab)
    tab.show()
    assert tab.pupils.count() == 1
    assert "overdue since Fri 12 Sep" in tab.pupils.item(0).text()
    assert "1 absent with no reason (1 overdue from an earlier day)" in tab.heading.text()
    labels = [w.text() for w in tab.details.findChildren(QLabel)]
    assert any(text.startswith("Overdue since Fri 12 Sep") for text in labels)


def test_last_failed_call_says_why_the_child_left_the_list(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """No answer from both parents on day 1: the first-day call is over, Amy leaves the
    list, and the panel says the DSL decides next."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    mark_days(session, amy, user, {(TUE, "AM"): "N"})
    session.commit()
    tab = open_tab(qtbot, factory)
    assert not tab.notice.isVisible()
    for contact in amy.contacts:
        qtbot.mouseClick(button(tab, f"no_answer_{contact.id}"), Qt.MouseButton.LeftButton)
    assert tab.pupils.count() == 0
    assert tab.notice.isVisible()
    assert "every contact has been tried without an answer" in tab.notice.text()


def test_answering_an_overdue_call_codes_the_day_it_was_due(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session
) -> None:
    """Monday 08:30, Friday's call: the answer dialog says the reason covers Friday, and
    Friday's N becomes I."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams")
    friday = date(2025, 9, 12)
    mark_days(session, amy, user, {(friday, "AM"): "N", (friday, "PM"): "N"})
    session.commit()
    tab = CallsTab(factory, lambda: datetime(2025, 9, 15, 8, 30))
    qtbot.addWidget(tab)
    tab.show()
    said: list[str] = []

    def answer(dialog: AnswerDialog) -> None:
        said.extend(label.text() for label in dialog.findChildren(QLabel))
        qtbot.keyClicks(dialog.note_edit, "flu since Thursday night")
        qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)

    with answering(qtbot, AnswerDialog, answer):
        qtbot.mouseClick(button(tab, f"answered_{amy.contacts[0].id}"), Qt.MouseButton.LeftButton)
    assert "The reason covers the absence since Fri 12 Sep." in said
    session.expire_all()
    assert set(session.scalars(select(Mark.code).where(Mark.date == friday))) == {"I"}
    assert tab.pupils.count() == 0
