"""The safe-and-well wizard driven with keys and clicks, and resumed after closing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.followup.rules import actions_for_day
from attendance_desk.models import Pupil, SafeAndWellCheck, User
from attendance_desk.safeguarding import checks as sw
from attendance_desk.school.followup_policy import preset
from attendance_desk.ui.safeguarding.safe_and_well_wizard import (
    DECISION,
    NEXT_STEPS,
    QUESTIONS,
    VISIT,
    SafeAndWellWizard,
)
from tests.helpers.builders import add_pupil, build_school, mark_days

DAYS = [date(2025, 9, 8), date(2025, 9, 9), date(2025, 9, 10)]
NOW = datetime(2025, 9, 10, 10, 0)


@pytest.fixture
def case(session: Session) -> tuple[Pupil, User]:
    _, office = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", cp=True, social_worker="J. Okafor")
    mark_days(session, amy, office, {(d, s): "N" for d in DAYS for s in ("AM", "PM")})
    dsl = User(username="dsl", full_name="Dana Singh", position="DSL", role="dsl")
    session.add(dsl)
    session.commit()
    return amy, dsl


def open_wizard(
    qtbot: QtBot, factory: sessionmaker[Session], amy: Pupil, dsl: User
) -> SafeAndWellWizard:
    wizard = SafeAndWellWizard(factory, lambda: NOW, pupil_id=amy.id, user_id=dsl.id)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def next_page(qtbot: QtBot, wizard: SafeAndWellWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def tick(qtbot: QtBot, box: object) -> None:
    """Toggle a check box or radio button from the keyboard, as a user tabbing through would."""
    qtbot.keyClick(box, Qt.Key.Key_Space)


def answer_questions(qtbot: QtBot, wizard: SafeAndWellWizard) -> None:
    page = wizard.page(QUESTIONS)
    for edit in page.answers.values():
        qtbot.keyClicks(edit, "No")


def test_no_answer_at_the_door_ends_in_police_consult(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, case: tuple
) -> None:
    """Day 3: through every page to a not-seen visit; the police consult is on the worklist."""
    amy, dsl = case
    wizard = open_wizard(qtbot, factory, amy, dsl)
    assert "Child protection plan" in wizard.page(0).text.text()
    next_page(qtbot, wizard)
    answer_questions(qtbot, wizard)
    next_page(qtbot, wizard)
    decision = wizard.page(DECISION)
    assert wizard.currentId() == DECISION and decision.visit.isChecked()
    qtbot.keyClicks(decision.rationale, "Day 3, CP plan, no contact with anyone")
    next_page(qtbot, wizard)
    visit = wizard.page(VISIT)
    assert wizard.currentId() == VISIT
    qtbot.keyClicks(visit.staff_two, "Tom Reid")
    tick(qtbot, visit.risk)
    tick(qtbot, visit.outcomes["not_seen"])
    next_page(qtbot, wizard)
    assert "enquiries" in visit.error.text()  # refused until enquiries are recorded
    qtbot.keyClicks(visit.enquiries, "Neighbour: family not seen since Sunday")
    tick(qtbot, visit.letter)
    next_page(qtbot, wizard)
    steps = wizard.page(NEXT_STEPS)
    assert wizard.currentId() == NEXT_STEPS
    tick(qtbot, steps.steps["social_worker"])
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    check = session.query(SafeAndWellCheck).one()
    assert (check.outcome, check.staff_two, check.letter_left) == ("not_seen", "Tom Reid", True)
    assert check.finished_at == NOW
    kinds = {a.kind for a in actions_for_day(session, DAYS[-1], preset())}
    assert "police_welfare_consult" in kinds and "safe_and_well_visit" not in kinds


def test_closing_and_reopening_resumes(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, case: tuple
) -> None:
    """Questions saved, window closed: the wizard reopens on the decision with answers kept."""
    amy, dsl = case
    wizard = open_wizard(qtbot, factory, amy, dsl)
    next_page(qtbot, wizard)
    answer_questions(qtbot, wizard)
    next_page(qtbot, wizard)
    wizard.close()
    again = open_wizard(qtbot, factory, amy, dsl)
    assert again.currentId() == DECISION
    assert again.check.unusual == "No"
    assert session.query(SafeAndWellCheck).count() == 1


def test_receptionist_cannot_open_it(
    qtbot: QtBot, factory: sessionmaker[Session], session: Session, case: tuple
) -> None:
    """Opening the wizard as a receptionist is refused by the service."""
    from attendance_desk.access.permissions import NotAllowed

    amy, _ = case
    desk = User(username="desk", full_name="Rita Desk", position="Reception", role="receptionist")
    session.add(desk)
    session.commit()
    with pytest.raises(NotAllowed):
        SafeAndWellWizard(factory, lambda: NOW, pupil_id=amy.id, user_id=desk.id)
    assert sw.QUESTIONS  # the wizard's questions come from the service


def test_context_shows_the_absence_as_one_run(
    qtbot: QtBot, factory: sessionmaker[Session], case: tuple
) -> None:
    """Three days of N read as one line with the dates, the session count and the code,
    not six single sessions."""
    amy, dsl = case
    wizard = open_wizard(qtbot, factory, amy, dsl)
    context = wizard.page(0).text.text()
    assert "Mon 8 Sep – Wed 10 Sep, 6 sessions, N" in context
    assert "Mon 8 Sep AM" not in context
