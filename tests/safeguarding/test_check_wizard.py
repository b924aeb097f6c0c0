"""What the safe-and-well wizard reads and prints around its saved pages: the check opened
with its context, the check as stored, the door letter drafted from unsaved names, and the
forms printed from the check."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.models import SafeAndWellCheck, User
from attendance_desk.safeguarding import checks as sw
from attendance_desk.safeguarding.check_wizard import (
    begin_check,
    check_as_saved,
    check_document,
    draft_visit_letter,
)
from attendance_desk.safeguarding.documents import police_summary
from attendance_desk.school import settings
from tests.helpers.builders import add_pupil, build_school, mark_days
from tests.printing.pdftext import pages

DAYS = [date(2025, 9, 8), date(2025, 9, 9), date(2025, 9, 10)]
NOW = datetime(2025, 9, 10, 10, 0)


@pytest.fixture
def amy_and_dana(session: Session) -> tuple[int, User]:
    """Amy (CP) absent three days with no reason, the DSL Dana, the school's phone set."""
    _, office = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy", cp=True)
    mark_days(session, amy, office, {(d, s): "N" for d in DAYS for s in ("AM", "PM")})
    dana = User(username="dana", full_name="Dana Singh", position="DSL", role="dsl")
    session.add(dana)
    settings.put(session, settings.SCHOOL_PHONE, "01632 960123", user=office, now=NOW)
    session.commit()
    return amy.id, dana


def test_begin_opens_the_check_with_its_context_and_resumes_it(
    session: Session, amy_and_dana: tuple[int, User]
) -> None:
    """Day 3 of a CP child's absence: a visit is the default, the context names her and her
    flag, and opening again gives the same check."""
    amy_id, dana = amy_and_dana
    opened = begin_check(session, pupil_id=amy_id, user=dana, now=NOW)
    assert (opened.user_name, opened.default_decision) == ("Dana Singh", "visit_today")
    assert opened.context.name == "Amy Adams"
    assert "Child protection plan" in opened.context.flags
    again = begin_check(session, pupil_id=amy_id, user=dana, now=NOW)
    assert again.check_id == opened.check_id
    assert session.query(SafeAndWellCheck).count() == 1


def test_begin_is_refused_outside_the_safeguarding_roles(
    session: Session, amy_and_dana: tuple[int, User]
) -> None:
    """A receptionist cannot open a check, and none is made."""
    amy_id, _ = amy_and_dana
    rita = User(username="rita", full_name="Rita", position="Reception", role="receptionist")
    session.add(rita)
    with pytest.raises(NotAllowed):
        begin_check(session, pupil_id=amy_id, user=rita, now=NOW)
    assert session.query(SafeAndWellCheck).count() == 0


def test_the_check_as_saved_reads_after_its_session_closes(
    factory: sessionmaker[Session], session: Session, amy_and_dana: tuple[int, User]
) -> None:
    """The stored check, with its next steps, is readable once the session has closed."""
    amy_id, dana = amy_and_dana
    check_id = begin_check(session, pupil_id=amy_id, user=dana, now=NOW).check_id
    answers = dict.fromkeys(sw.QUESTIONS, "No")
    sw.save_answers(session, check_id=check_id, answers=answers, user=dana, now=NOW)
    sw.save_decision(
        session,
        check_id=check_id,
        decision="visit_today",
        rationale="CP, day 3",
        user=dana,
        now=NOW,
    )
    sw.add_next_step(session, check_id=check_id, kind="social_worker", user=dana, now=NOW)
    session.commit()
    with factory() as other:
        check = check_as_saved(other, check_id)
    assert check.pupil_id == amy_id
    assert [step.kind for step in check.next_steps] == ["social_worker"]


def test_the_door_letter_names_unsaved_staff_and_keeps_nothing(
    factory: sessionmaker[Session], session: Session, amy_and_dana: tuple[int, User]
) -> None:
    """The letter names the two members of staff typed on the visit page; the check still
    has no staff stored afterwards."""
    amy_id, dana = amy_and_dana
    check_id = begin_check(session, pupil_id=amy_id, user=dana, now=NOW).check_id
    session.commit()
    with factory() as other:
        pdf = draft_visit_letter(
            other, check_id=check_id, staff=("Dana Singh", "Tom Reid"), now=NOW
        )
        other.commit()  # even a caller that commits keeps nothing of the draft
    letter = " ".join(" ".join(pages(pdf)).replace("\xa0", " ").split())
    assert "Dana Singh and Tom Reid" in letter and "Amy Adams" in letter
    session.expire_all()
    stored = session.get(SafeAndWellCheck, check_id)
    assert stored is not None and (stored.staff_one, stored.staff_two) == (None, None)


def test_forms_print_for_the_dsl_only(session: Session, amy_and_dana: tuple[int, User]) -> None:
    """The police summary prints for the DSL; a receptionist is refused, and an unknown
    check is named as such."""
    amy_id, dana = amy_and_dana
    check_id = begin_check(session, pupil_id=amy_id, user=dana, now=NOW).check_id
    pdf = check_document(session, police_summary, check_id=check_id, user=dana, now=NOW)
    assert "Amy Adams" in "".join(pages(pdf))
    rita = User(username="rita", full_name="Rita", position="Reception", role="receptionist")
    session.add(rita)
    with pytest.raises(NotAllowed):
        check_document(session, police_summary, check_id=check_id, user=rita, now=NOW)
    with pytest.raises(sw.CheckError, match="does not exist"):
        check_document(session, police_summary, check_id=check_id + 99, user=dana, now=NOW)
