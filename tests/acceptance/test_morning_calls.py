"""09:10 to 10:00 at Hillside: the receptionist works the Calls panel. Amy's mother does not
answer, her father does and gives a reason; Ben's and Omar's parents get a text; Omar turns
out to be on the Year 3 trip; "Register checked" releases Ben's text, which the window's own
outbox sends to a real SMTP server, and Omar's is never sent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.models import Contact, ContactAttempt, Mark, MarkAmendment, OutboxMessage, User
from attendance_desk.ui.desk.calls_tab import AnswerDialog
from attendance_desk.ui.main_window import MainWindow
from tests.acceptance.hillside import TODAY, Clock, School, take_morning_registers
from tests.acceptance.steps import (
    CTRL,
    answering,
    click_list_row,
    go_to,
    list_texts,
    named,
    open_as,
    press,
    register_grid,
    tab_title,
)
from tests.helpers.mail import TEXT_DOMAIN, MailServer, smtp_server, use_smtp

SEND_WAIT_MS = 15_000


@pytest.fixture
def mail(session: Session, school: School, clock: Clock) -> Iterator[MailServer]:
    """The school's email-to-text service: a real SMTP server on loopback, set up in
    Settings → Messaging by the administrator, and this morning's registers taken."""
    take_morning_registers(session, school)
    with smtp_server() as server:
        admin = session.get(User, school.staff["pat"])
        assert admin is not None
        use_smtp(session, admin, server.port, now=clock(), text_domain=TEXT_DOMAIN)
        yield server


def contact_ids(session: Session, pupil_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Contact.id).where(Contact.pupil_id == pupil_id).order_by(Contact.priority)
        )
    )


def shown_cards(qtbot: QtBot, calls: QWidget) -> list[QFrame]:
    """The chosen child's contact cards, once they are on screen."""
    frames = calls.findChildren(QFrame, "contact_card")
    qtbot.waitUntil(lambda: bool(frames) and all(f.isVisible() for f in frames))
    return frames


def cards(qtbot: QtBot, calls: QWidget) -> list[str]:
    """The contact cards on screen, each as its heading's words (tags dropped)."""
    heads = [card.findChildren(QLabel)[0].text() for card in shown_cards(qtbot, calls)]
    return [h.replace("<b>", "").replace("</b>", "") for h in heads]


def attempts_shown(qtbot: QtBot, calls: QWidget) -> list[str]:
    """The attempts listed on the cards ("09:12 No answer (Rita Shah)")."""
    return [
        label.text().strip()
        for card in shown_cards(qtbot, calls)
        for label in card.findChildren(QLabel)
        if label.text().startswith("  ")
    ]


def on_card(qtbot: QtBot, calls: QWidget, outcome: str, contact: str) -> None:
    """Click an outcome button on a contact's card ("No answer: Sarah Adams")."""
    shown_cards(qtbot, calls)
    press(qtbot, calls, f"{outcome}: {contact}")


def count_in(title: str) -> int:
    """3 from "Today (3)"."""
    return int(title.split("(")[1].rstrip(")"))


def names_listed(calls: QWidget) -> list[str]:
    rows = list_texts(named(calls, QListWidget, "Absent with no reason"))
    return [row.split("  ·  ")[0] for row in rows]


def amend_to_trip(qtbot: QtBot, window: MainWindow, school: School) -> str:
    """The trip list arrives: on the Register tab, 3A, Omar's morning mark becomes V; the
    register has closed, so the save asks for the amendment's reason."""
    tab = go_to(qtbot, window, "register")
    groups = named(tab, QComboBox, "Registration group")
    groups.setFocus()
    qtbot.keyClicks(groups, "3A")
    assert groups.currentText() == "3A"
    grid, model = register_grid(tab)
    grid.setFocus()
    assert model.slot_at(grid.currentIndex().column()) == (TODAY, "AM")
    for _ in range(school.names_in("3A").index("Omar Osei")):
        qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert model.index(grid.currentIndex().row(), 0).data().startswith("Osei, Omar")
    qtbot.keyClicks(grid, "v")

    def give_reason(dialog: QInputDialog) -> None:
        box = dialog.findChild(QLineEdit)
        assert box is not None
        qtbot.keyClicks(box, "On the Year 3 museum trip: the trip list came late")
        qtbot.keyClick(box, Qt.Key.Key_Return)

    with answering(qtbot, QInputDialog, give_reason):
        qtbot.keyClick(grid, Qt.Key.Key_S, CTRL)
    return named(tab, QLabel, "Register status").text()


def test_calls_reasons_and_texts(
    qtbot: QtBot,
    factory: sessionmaker[Session],
    session: Session,
    school: School,
    clock: Clock,
    mail: MailServer,
) -> None:
    """No answer brings up the next contact; an answer codes the session and takes the
    child off Calls and Today; a released text reaches the SMTP server through the window's
    sender; the child found on a trip gets no text."""
    clock.at(9, 10)
    window = open_as(qtbot, factory, clock, "rita")
    calls = go_to(qtbot, window, "calls")
    assert tab_title(window, "calls") == "Calls (4)"
    assert named(calls, QLabel, "calls_heading").text() == (
        "4 absent with no reason (1 overdue from an earlier day) · Wed 1 Oct 2025 09:10"
    )  # Jack, on day 3, has been waiting for every contact to be called since yesterday
    assert names_listed(calls) == [
        "Jack Jones",  # on the vulnerable list: first
        "Amy Adams",
        "Ben Baker",
        "Omar Osei",
    ]
    today_before = count_in(tab_title(window, "today"))

    # Amy: her mother does not answer, so her father comes up next; he gives the reason.
    clock.at(9, 12)
    click_list_row(qtbot, named(calls, QListWidget, "Absent with no reason"), "Amy Adams")
    assert cards(qtbot, calls) == [
        "1. Sarah Adams — Mother, parental responsibility  · call now",
        "2. David Adams — Father, parental responsibility",
    ]
    on_card(qtbot, calls, "No answer", "Sarah Adams")
    assert cards(qtbot, calls) == [
        "1. Sarah Adams — Mother, parental responsibility",
        "2. David Adams — Father, parental responsibility  · call now",
    ]
    assert attempts_shown(qtbot, calls) == ["09:12 No answer (Rita Shah)"]

    clock.at(9, 14)

    def reason(dialog: AnswerDialog) -> None:
        assert named(dialog, QComboBox, "Reason code").currentText().startswith("I — Illness")
        qtbot.keyClicks(named(dialog, QLineEdit, "What they said"), "Tummy bug since last night")
        press(qtbot, dialog, "OK")

    with answering(qtbot, AnswerDialog, reason):
        on_card(qtbot, calls, "Answered: reason given", "David Adams")
    assert named(calls, QLabel, "Last call").text() == (
        "Amy Adams: reason recorded, the register is updated."
    )
    assert "Amy Adams" not in names_listed(calls)
    assert tab_title(window, "calls") == "Calls (3)"
    assert tab_title(window, "today") == f"Today ({today_before - 1})"
    amy = school.pupils["Amy Adams"]
    mother, father = contact_ids(session, amy)
    session.expire_all()
    assert {
        m.session: m.code
        for m in session.scalars(select(Mark).where(Mark.pupil_id == amy, Mark.date == TODAY))
    } == {"AM": "I", "PM": "I"}
    assert [
        (a.contact_id, a.outcome, a.user_name)
        for a in session.scalars(
            select(ContactAttempt).where(ContactAttempt.pupil_id == amy).order_by(ContactAttempt.at)
        )
    ] == [(mother, "no_answer", "Rita Shah"), (father, "answered", "Rita Shah")]

    # Ben's and Omar's mothers get the first-day text, held until the register is checked.
    clock.at(9, 20)
    for name in ("Ben Baker", "Omar Osei"):
        click_list_row(qtbot, named(calls, QListWidget, "Absent with no reason"), name)
        on_card(qtbot, calls, "Text sent", f"Sarah {name.split()[1]}")
    outbox = named(window, QPushButton, "outbox_status")
    assert outbox.text() == "Outbox: 2 waiting · 0 failed"
    assert "2 absence texts held until the register is checked" in outbox.toolTip()

    # 09:40 the trip list: Omar is on the Year 3 trip (V), an amendment with its reason.
    clock.at(9, 40)
    assert amend_to_trip(qtbot, window, school) == "Saved: 0 new, 0 corrected, 1 amended."
    omar = school.pupils["Omar Osei"]
    session.expire_all()
    amendment = session.scalars(
        select(MarkAmendment).join(Mark).where(Mark.pupil_id == omar, Mark.date == TODAY)
    ).one()
    assert (amendment.old_code, amendment.new_code, amendment.user_name) == ("N", "V", "Rita Shah")
    assert tab_title(window, "calls") == "Calls (2)"

    # "Register checked": Ben's text goes now, through the window's sender; Omar's never.
    clock.at(9, 45)
    calls = go_to(qtbot, window, "calls")
    assert names_listed(calls) == ["Jack Jones", "Ben Baker"]
    press(qtbot, calls, "Register checked: release texts")
    assert named(calls, QLabel, "calls_heading").text() == (
        "AM register checked: 1 text released, 1 cancelled (child not absent after all)."
    )
    qtbot.waitUntil(lambda: outbox.text() == "Outbox: 0 waiting · 0 failed", timeout=SEND_WAIT_MS)
    assert mail.recipients == [f"07700900001@{TEXT_DOMAIN}"]
    (text,) = mail.received
    assert "Ben was not in school this morning" in text.get_payload()
    assert "Omar" not in text.get_payload()
    session.expire_all()
    assert {
        m.pupil_id: m.status
        for m in session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms"))
    } == {school.pupils["Ben Baker"]: "sent", omar: "cancelled"}
