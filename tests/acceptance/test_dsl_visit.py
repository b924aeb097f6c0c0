"""10:00 at Hillside: Jack Jones, on the vulnerable list, is on day 3 with no contact. The
receptionist sees his safe-and-well visit on Today but cannot open the check; she hands over
to the DSL, who opens it from Today, decides to visit, comes back from a visit where nobody
answered and records it; the police welfare check consult stays on her worklist. Nobody but
the DSL, deputy and head may close any of it."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.desk import calls
from attendance_desk.followup.outcomes import close_action
from attendance_desk.models import ActionOutcome, Contact, SafeAndWellCheck, User
from attendance_desk.safeguarding import checks as sw
from attendance_desk.ui.main_window import MainWindow
from attendance_desk.ui.safeguarding.safe_and_well_wizard import SafeAndWellWizard
from tests.acceptance.hillside import TODAY, Clock, School, take_morning_registers
from tests.acceptance.steps import (
    back_to,
    click,
    click_row,
    find_row,
    go_to,
    hand_over,
    named,
    open_as,
    open_dialog,
    tick,
    tree_groups,
)

VISITS = "Safe-and-well visits due"
POLICE = "Police welfare check consults"
DECISIONS = "DSL decisions"
HOME_VISITS = "Home visits"

ANSWERS = (
    "Yes: Jack has not been off without a call before",
    "Mum told the class teacher in September that money is tight",
    "Kim Reid cannot visit until Friday",
    "Older sister at Hillside Secondary; grandmother nearby",
    "On the vulnerable list: young carer for his mother",
    "No, term time",
)


@pytest.fixture
def jack_not_reached(session: Session, school: School) -> int:
    """This morning's registers, and Rita's 09:15 calls to both of Jack's parents: no answer."""
    take_morning_registers(session, school)
    jack = school.pupils["Jack Jones"]
    rita = session.get(User, school.staff["rita"])
    assert rita is not None
    for minute, contact in enumerate(
        session.scalars(select(Contact).where(Contact.pupil_id == jack).order_by(Contact.priority))
    ):
        calls.log_attempt(
            session,
            pupil_id=jack,
            contact_id=contact.id,
            outcome="no_answer",
            user=rita,
            now=datetime.combine(TODAY, time(9, 15 + minute)),
        )
    session.commit()
    return jack


def worklist(qtbot: QtBot, window: MainWindow) -> dict[str, list[str]]:
    """Today (Ctrl+1): its groups by their heading without the count, the names under each."""
    back_to(qtbot, window)
    tree = named(go_to(qtbot, window, "today"), QTreeWidget, "Follow-up worklist")
    return {title.rsplit(" (", 1)[0]: names for title, names in tree_groups(tree).items()}


def open_from_today(qtbot: QtBot, window: MainWindow, group: str) -> QTreeWidgetItem:
    """On Today, click Jack's row under `group` and press Enter."""
    today = go_to(qtbot, window, "today")
    tree = named(today, QTreeWidget, "Follow-up worklist")
    row = find_row(tree, group, "Jack Jones")
    click_row(qtbot, tree, row)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    return row


def next_page(qtbot: QtBot, wizard: QWizard) -> QWidget:
    """Next, which saves the page; the page it leads to."""
    before = wizard.currentId()
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    errors = [e.text() for e in wizard.currentPage().findChildren(QLabel) if e.text()]
    assert wizard.currentId() != before, errors
    return wizard.currentPage()


def decide_to_visit(qtbot: QtBot, wizard: QWizard) -> None:
    """The child and the absence, the six questions, and the decision to visit today."""
    page = wizard.currentPage()
    assert any("Jack Jones (5C)" in label.text() for label in page.findChildren(QLabel))
    page = next_page(qtbot, wizard)
    assert page.title() == "The six questions"
    for question, answer in zip(sw.QUESTIONS.values(), ANSWERS, strict=True):
        qtbot.keyClicks(named(page, QPlainTextEdit, question), answer)
    page = next_page(qtbot, wizard)
    assert page.title() == "Decision"
    assert named(page, QRadioButton, "Visit today").isChecked()  # day 3, no contact: due
    qtbot.keyClicks(
        named(page, QPlainTextEdit, "Rationale"), "Day 3, vulnerable, no answer from either parent"
    )
    assert next_page(qtbot, wizard).title() == "The visit"


def record_no_answer(qtbot: QtBot, wizard: QWizard) -> None:
    """The visit: two staff, risk assessed, nobody answered, enquiries made, letter left;
    then the next step, and Finish."""
    page = wizard.currentPage()
    assert named(page, QLineEdit, "First member of staff").text() == "Dana Singh"
    qtbot.keyClicks(named(page, QLineEdit, "Second member of staff"), "Owen Price")
    tick(qtbot, named(page, QCheckBox, "Risk assessment completed"))
    tick(qtbot, named(page, QRadioButton, sw.OUTCOMES["not_seen"]))
    qtbot.keyClicks(
        named(page, QPlainTextEdit, "Reasonable enquiries made"),
        "Neighbour at no. 12 has not seen the family since Sunday",
    )
    tick(qtbot, named(page, QCheckBox, "Letter left at the property"))
    page = next_page(qtbot, wizard)
    assert page.title() == "Next steps"
    tick(qtbot, named(page, QCheckBox, "Social worker informed"))
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    qtbot.waitUntil(lambda: not wizard.isVisible())


def test_dsl_visit_from_today(
    qtbot: QtBot,
    factory: sessionmaker[Session],
    session: Session,
    school: School,
    clock: Clock,
    jack_not_reached: int,
) -> None:
    """Reception's Enter on Jack's visit shows the case, not the check; the DSL's opens the
    wizard (decision at 10:05, resumed at the visit page at 11:30) through a visit with no
    answer: the DSL decision and the visit leave Today, the police consult stays on hers and
    never shows on reception's; the safeguarding service refuses reception the check."""
    jack = jack_not_reached
    # 09:50 Rita sees Jack's safe-and-well visit on Today: Enter shows her the case only.
    clock.at(9, 50)
    window = open_as(qtbot, factory, clock, "rita")
    open_from_today(qtbot, window, VISITS)
    assert window.current_tab_name() == "safeguarding"
    tab = window.tabs.currentWidget()
    cases = named(tab, QTreeWidget, "Children needing a safeguarding decision")
    assert cases.currentItem().text(0) == "Jack Jones"
    assert not named(tab, QPushButton, "Open the safe-and-well check").isEnabled()
    assert named(tab, QLabel, "safeguarding_note").text() == (
        "Only the DSL, deputy DSL and headteacher can open a check."
    )
    assert not [w for w in window.findChildren(SafeAndWellWizard) if w.isVisible()]

    # 10:00 she hands over to the DSL at the same PC.
    clock.at(10, 0)
    hand_over(qtbot, window, "dana")
    assert named(window, QLabel, "acting_user").text() == (
        "Dana Singh (Designated Safeguarding Lead)"
    )
    before = worklist(qtbot, window)
    for group in (VISITS, POLICE, DECISIONS, HOME_VISITS):
        assert before[group] == ["Jack Jones"], group

    # 10:05 the DSL decides to visit today, then closes the check to go out.
    clock.at(10, 5)
    open_from_today(qtbot, window, VISITS)
    assert window.current_tab_name() == "safeguarding"
    wizard = open_dialog(window, SafeAndWellWizard)
    decide_to_visit(qtbot, wizard)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert DECISIONS not in worklist(qtbot, window)
    assert worklist(qtbot, window)[VISITS] == ["Jack Jones"]

    # 11:30 back from the house: nobody answered. The check resumes at the visit.
    clock.at(11, 30)
    open_from_today(qtbot, window, VISITS)
    wizard = open_dialog(window, SafeAndWellWizard)
    page = wizard.currentPage()
    assert page.title() == "The visit"
    visited = named(page, QDateTimeEdit, "Time of the visit")
    assert visited.dateTime().toPython() == datetime(2025, 10, 1, 11, 30)
    record_no_answer(qtbot, wizard)
    after = worklist(qtbot, window)
    assert after[POLICE] == ["Jack Jones"]
    assert VISITS not in after
    assert DECISIONS not in after
    session.expire_all()
    check = session.scalars(select(SafeAndWellCheck).where(SafeAndWellCheck.pupil_id == jack)).one()
    assert (check.decision, check.outcome, check.staff_one, check.staff_two) == (
        "visit_today",
        "not_seen",
        "Dana Singh",
        "Owen Price",
    )
    assert check.finished_at == datetime(2025, 10, 1, 11, 30)
    assert [s.kind for s in check.next_steps] == ["social_worker"]
    closed = {
        o.kind: o.user_name
        for o in session.scalars(select(ActionOutcome).where(ActionOutcome.pupil_id == jack))
    }
    assert closed["safe_and_well_visit"] == "Dana Singh"
    assert closed["dsl_alert"] == "Dana Singh"
    assert "police_welfare_consult" not in closed

    # 11:45 Rita is back: the police consult is not on her list (it would tell her that the
    # visit found nobody), and the service will not open the check for her.
    clock.at(11, 45)
    hand_over(qtbot, window, "rita")
    assert POLICE not in worklist(qtbot, window)
    rita = session.get(User, school.staff["rita"])
    assert rita is not None
    with pytest.raises(NotAllowed):
        sw.open_check(session, pupil_id=jack, user=rita, now=clock())


def visit_found_nobody(session: Session, school: School, jack: int) -> None:
    """What the DSL recorded by 11:30 (as `test_dsl_visit_from_today` does on screen)."""
    dana = session.get(User, school.staff["dana"])
    assert dana is not None
    at = datetime.combine(TODAY, time(11, 30))
    check = sw.open_check(session, pupil_id=jack, user=dana, now=at)
    sw.save_answers(
        session,
        check_id=check.id,
        answers=dict(zip(sw.QUESTIONS, ANSWERS, strict=True)),
        user=dana,
        now=at,
    )
    sw.save_decision(
        session, check_id=check.id, decision="visit_today", rationale="Day 3", user=dana, now=at
    )
    visit = sw.Visit("Dana Singh", "Owen Price", True, at, "", "not_seen", "Neighbours", True)
    sw.save_visit(session, check_id=check.id, visit=visit, user=dana, now=at)
    sw.add_next_step(session, check_id=check.id, kind="social_worker", user=dana, now=at)
    sw.finish(session, check_id=check.id, user=dana, now=at)
    session.commit()


def test_the_visit_answers_the_home_visit(
    qtbot: QtBot,
    factory: sessionmaker[Session],
    session: Session,
    school: School,
    clock: Clock,
    jack_not_reached: int,
) -> None:
    """Jack's home visit (eight school days away) leaves the DSL's Today once her
    safe-and-well visit is recorded: the visit answers it."""
    visit_found_nobody(session, school, jack_not_reached)
    clock.at(11, 35)
    window = open_as(qtbot, factory, clock, "dana")
    assert worklist(qtbot, window)[POLICE] == ["Jack Jones"]
    assert HOME_VISITS not in worklist(qtbot, window)


def test_reception_cannot_close_the_dsl_actions(
    qtbot: QtBot,
    factory: sessionmaker[Session],
    session: Session,
    school: School,
    clock: Clock,
    jack_not_reached: int,
) -> None:
    """Logged in as reception, Done and Dismiss are not offered on any safeguarding action
    on Today, and the service refuses her the very actions the screen shows."""
    clock.at(10, 0)
    window = open_as(qtbot, factory, clock, "rita")
    today = go_to(qtbot, window, "today")
    tree = named(today, QTreeWidget, "Follow-up worklist")
    rita = session.get(User, school.staff["rita"])
    assert rita is not None
    assert POLICE not in tree_groups(tree)  # the DSL's alone
    for group in (VISITS, DECISIONS):
        row = find_row(tree, group, "Jack Jones")
        click_row(qtbot, tree, row)
        assert not named(today, QPushButton, "Done…").isEnabled(), group
        assert not named(today, QPushButton, "Dismiss…").isEnabled(), group
        with pytest.raises(NotAllowed):
            close_action(
                session,
                action=row.data(0, Qt.ItemDataRole.UserRole),
                done=True,
                note="done",
                user=rita,
                now=clock(),
            )
        session.rollback()
    assert (
        session.scalar(select(ActionOutcome.id).where(ActionOutcome.pupil_id == jack_not_reached))
        is None
    )
