"""The check's printed documents, read back from the PDF."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from attendance_desk.models import SafeAndWellCheck, User
from attendance_desk.safeguarding import checks as sw
from attendance_desk.safeguarding.documents import (
    DocumentIncomplete,
    cme_notice,
    police_summary,
    visit_letter,
)
from attendance_desk.school import settings
from tests.helpers.builders import add_pupil, build_school, mark_days
from tests.printing.pdftext import pages

NOW = datetime(2025, 9, 10, 11, 30)


def test_visit_letter_cme_and_police_documents(session: Session) -> None:
    """The letter names the child and the visit time; the LA and police forms carry the
    fields they need."""
    _, office = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy", cla=True)
    amy.address = "12 Elm Road, Hilltown HT1 2AB"
    mark_days(session, amy, office, {(d, "AM"): "N" for d in (date(2025, 9, 8), date(2025, 9, 9))})
    dsl = User(username="dsl", full_name="Dana Singh", position="DSL", role="dsl")
    session.add(dsl)
    settings.put(session, settings.SCHOOL_PHONE, "01632 960123", user=office, now=NOW)
    check = sw.open_check(session, pupil_id=amy.id, user=dsl, now=NOW)
    sw.save_answers(
        session, check_id=check.id, user=dsl, now=NOW, answers={k: "no" for k in sw.QUESTIONS}
    )
    sw.save_decision(
        session,
        check_id=check.id,
        decision="visit_today",
        rationale="LAC, day 2",
        user=dsl,
        now=NOW,
    )
    sw.save_visit(
        session,
        check_id=check.id,
        user=dsl,
        now=NOW,
        visit=sw.Visit(
            "Dana Singh",
            "Tom Reid",
            True,
            datetime(2025, 9, 10, 11, 0),
            "",
            "not_seen",
            "Neighbours at 10 and 14 asked",
            True,
        ),
    )
    sw.add_next_step(
        session, check_id=check.id, kind="police", reference="HT-99812", user=dsl, now=NOW
    )
    printed = " ".join(pages(visit_letter(session, check, NOW))).replace("\xa0", " ")
    letter = " ".join(printed.split())
    assert "Amy Adams" in letter and "11:00 on Wednesday 10 September 2025" in letter
    assert "01632 960123" in letter and "Dana Singh and Tom Reid" in letter
    cme = "".join(pages(cme_notice(session, check, dsl, NOW)))
    for expected in (
        "Amy Adams",
        amy.upn,
        "12 Elm Road",
        "Sarah Adams (Mother)",
        "07700 900001",
        "Neighbours at 10 and 14 asked",
        "Not known",
    ):
        assert expected in cme
    police = "".join(pages(police_summary(session, check, dsl, NOW)))
    assert "HT-99812" in police and "Looked after" in police and "Child not seen" in police


def _visited_check(session: Session) -> tuple[SafeAndWellCheck, User]:
    """Jakub, known as Kuba, absent two days; his father has PR and lives elsewhere."""
    _, office = build_school(session)
    kuba = add_pupil(session, 1, surname="Wójcik", forename="Jakub", cp=True)
    kuba.preferred_forename = "Kuba"
    kuba.address = "3 Ash Grove, Hilltown HT1 4CD"
    kuba.contacts[1].address = "Flat 9, 40 Mill Street, Lowtown LT2 8EF"
    mark_days(session, kuba, office, {(d, "AM"): "N" for d in (date(2025, 9, 8), date(2025, 9, 9))})
    dsl = User(username="dsl", full_name="Dana Singh", position="DSL", role="dsl")
    session.add(dsl)
    settings.put(session, settings.SCHOOL_PHONE, "01632 960123", user=office, now=NOW)
    check = sw.open_check(session, pupil_id=kuba.id, user=dsl, now=NOW)
    return check, dsl


def test_both_forms_show_legal_and_preferred_names_urn_and_telephone(session: Session) -> None:
    """ "Jakub (Kuba) Wójcik" on the CME form and the police summary, each with the school's
    URN and telephone."""
    check, dsl = _visited_check(session)
    for build in (cme_notice, police_summary):
        text = " ".join("".join(pages(build(session, check, dsl, NOW))).split())
        assert "Jakub (Kuba) Wójcik" in text, build.__name__
        assert "URN 123456" in text and "School telephone 01632 960123" in text, build.__name__


def test_police_summary_gives_a_pr_parents_own_address(session: Session) -> None:
    """The father with PR who lives elsewhere is listed with his own address; the mother,
    living with the child, "as the pupil"."""
    check, dsl = _visited_check(session)
    text = " ".join("".join(pages(police_summary(session, check, dsl, NOW))).split())
    assert "Parents with parental responsibility" in text
    assert "David Wójcik (Father) Address Flat 9, 40 Mill Street, Lowtown LT2 8EF" in text
    assert "Sarah Wójcik (Mother) Address as the pupil" in text


def test_the_door_letter_is_refused_without_the_school_telephone(session: Session) -> None:
    """With no telephone in Settings the "please ring us today" letter is not printed, and
    the refusal names the setting."""
    check, dsl = _visited_check(session)
    settings.put(session, settings.SCHOOL_PHONE, "", user=dsl, now=NOW)
    with pytest.raises(DocumentIncomplete, match="Settings → School office telephone"):
        visit_letter(session, check, NOW)
